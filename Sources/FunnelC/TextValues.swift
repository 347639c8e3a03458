#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Values handed over as one text, each followed by a NUL byte, numbered by
/// their distinct values: what the `funnel_batch_set_*_text` functions turn
/// into the dictionary and ids the other setters take. A host (Python's
/// `"\0".join`) builds such a text in one call, where a dictionary of its own
/// would cost it a look-up per value in its interpreter.
struct TextValues {
    /// The distinct values, in order of first appearance.
    var dictionary: [String] = []
    /// Per value, its index in ``dictionary``.
    var ids: [Int32]

    /// The `count` values of `text`.
    ///
    /// - Throws: ``Failure`` (FUNNEL_E_ARGUMENT) when `text` does not hold
    ///   exactly `count` NUL-terminated values; FUNNEL_E_PARSE when one is not
    ///   valid UTF-8; FUNNEL_E_LIMIT past 2^31 - 1 distinct values.
    init(_ text: UnsafeRawBufferPointer, count: Int, name: String) throws(Failure) {
        var ids = [Int32](repeating: 0, count: count)
        var dictionary: [String] = []
        guard count > 0 else {
            self.ids = ids
            guard text.isEmpty else { throw Failure(.argument, "\(name) holds values beyond the \(count) expected") }
            return
        }
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw Failure(.argument, "\(name) holds 0 values, expected \(count)")
        }
        // Open addressing: per slot the id of a value (-1: empty); per id where
        // its first occurrence starts and how long it is.
        var mask = 63
        var slots = [Int32](repeating: -1, count: mask + 1)
        var starts: [Int] = []
        var lengths: [Int] = []
        let end = text.count
        var at = 0
        try ids.withUnsafeMutableBufferPointer { (ids) throws(Failure) in
            for k in 0..<count {
                guard at < end, let nul = memchr(base + at, 0, end - at) else {
                    throw Failure(.argument, "\(name) holds \(k) values, expected \(count)")
                }
                let length = UnsafeRawPointer(nul) - UnsafeRawPointer(base + at)
                let value = base + at
                var slot = Int(truncatingIfNeeded: Self.hash(value, length)) & mask
                var id: Int32 = -1
                while true {
                    let found = slots[slot]
                    if found < 0 { break }
                    let f = Int(found)
                    if lengths[f] == length && memcmp(base + starts[f], value, length) == 0 {
                        id = found
                        break
                    }
                    slot = (slot &+ 1) & mask
                }
                if id < 0 {
                    guard starts.count < Int(Int32.max) else {
                        throw Failure(.limit, "\(name): more distinct values than a batch numbers (\(Int32.max))")
                    }
                    guard let string = String(validating: UnsafeBufferPointer(start: value, count: length), as: UTF8.self)
                    else { throw Failure(.parse, "\(name) value \(k) is not valid UTF-8") }
                    id = Int32(starts.count)
                    slots[slot] = id
                    starts.append(at)
                    lengths.append(length)
                    dictionary.append(string)
                    if starts.count * 2 > mask {
                        // Grow: twice the slots, every value placed again.
                        mask = mask * 2 + 1
                        slots = [Int32](repeating: -1, count: mask + 1)
                        for d in 0..<starts.count {
                            var s = Int(truncatingIfNeeded: Self.hash(base + starts[d], lengths[d])) & mask
                            while slots[s] >= 0 { s = (s &+ 1) & mask }
                            slots[s] = Int32(d)
                        }
                    }
                }
                ids[k] = id
                at += length + 1
            }
        }
        guard at == end else { throw Failure(.argument, "\(name) holds values beyond the \(count) expected") }
        self.ids = ids
        self.dictionary = dictionary
    }

    /// A hash of the `length` bytes at `value`, eight at a time.
    @inline(__always)
    private static func hash(_ value: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: length) &* 0x9e37_79b9_7f4a_7c15
        var i = 0
        let raw = UnsafeRawPointer(value)
        while i &+ 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xbf58_476d_1ce4_e5b9
            h ^= h >> 31
            i &+= 8
        }
        var tail: UInt64 = 0
        while i < length {
            tail = tail << 8 | UInt64(value[i])
            i &+= 1
        }
        h = (h ^ tail) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 29)
    }
}
