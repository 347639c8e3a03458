/// `funnel_pointer_codes`: the distinct values of an array of pointers, numbered
/// in order of first appearance. A Python host's column of strings is an array
/// of object pointers (a numpy object array's data, a list's items), and the same
/// few string objects recur in it (categories, event types): numbering the
/// pointers costs a few nanoseconds a value, where hashing each string (in Python
/// or as text here) costs tens. Values equal to `missing` (Python's None) get
/// number -1 and are not counted. Only the pointer values are compared; what
/// they point to is never read.
@_cdecl("funnel_pointer_codes")
public func funnel_pointer_codes(
    _ values: UnsafePointer<UInt>?, _ count: Int, _ codes: UnsafeMutablePointer<Int32>?,
    _ missing: UInt, _ firsts: UnsafeMutablePointer<Int>?, _ capacity: Int,
    _ distinct: UnsafeMutablePointer<Int>?
) -> Int32 {
    guarded("funnel_pointer_codes") { () throws(Failure) in
        distinct?.pointee = 0
        let values = try Check.array(values, count, "values")
        guard capacity >= 0, capacity < Int(Int32.max) else { throw Failure(.argument, "capacity is too large") }
        guard count > 0 else { return }
        guard let codes else { throw Failure(.argument, "codes is NULL") }
        guard let firsts else { throw Failure(.argument, "firsts is NULL") }
        var table = PointerTable(capacity: capacity)
        let found = table.number(values, missing: missing, codes: codes, firsts: firsts, capacity: capacity)
        distinct?.pointee = found
        guard found <= capacity else {
            throw Failure(.limit, "more than \(capacity) distinct values")
        }
    }
}

/// An open-addressing table from pointer values to their numbers.
struct PointerTable {
    private var keys: [UInt]
    private var numbers: [Int32]
    private let shift: UInt

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        keys = Array(repeating: 0, count: size)
        numbers = Array(repeating: -1, count: size)
        shift = UInt(UInt.bitWidth - size.trailingZeroBitCount)
    }

    /// Numbers every value; returns the distinct count, or `capacity + 1` when
    /// there are more (then it stops there).
    mutating func number(
        _ values: UnsafeBufferPointer<UInt>, missing: UInt, codes: UnsafeMutablePointer<Int32>,
        firsts: UnsafeMutablePointer<Int>, capacity: Int
    ) -> Int {
        let mask = keys.count - 1
        let shift = self.shift
        var found = 0
        // Every value looked up, found at its first slot almost always: no test of
        // whether it repeats the one before, a branch that mispredicts on mixed values
        // (event types) and costs more than the look-up it saves on runs.
        return keys.withUnsafeMutableBufferPointer { keys in
            numbers.withUnsafeMutableBufferPointer { numbers in
                for i in 0..<values.count {
                    let value = values[i]
                    var slot = Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> shift)
                    var code: Int32
                    while true {
                        code = numbers[slot]
                        if keys[slot] == value && code >= 0 { break }
                        if code < 0 {
                            if value == missing {
                                code = -1
                                break
                            }
                            guard found < capacity else { return capacity + 1 }
                            keys[slot] = value
                            code = Int32(found)
                            numbers[slot] = code
                            firsts[found] = i
                            found += 1
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    codes[i] = code
                }
                return found
            }
        }
    }
}
