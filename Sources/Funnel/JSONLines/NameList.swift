/// A short list of byte strings (attribute names, event types) found by a
/// linear scan that compares a 32-bit tag (length, first and last byte)
/// before any bytes: for the few dozen names a model has, quicker than
/// hashing the key.
///
/// - Complexity: `find` is O(names) tag compares plus O(length) per tag match.
struct NameList: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var tags: [UInt32] = []

    /// The number of names.
    var count: Int { tags.count }

    /// Adds `name` as the next index; false (and nothing added) when it is already there.
    mutating func append(_ name: [UInt8]) -> Bool {
        let found = name.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { find($0, buffer.count) } ?? (buffer.isEmpty ? findEmpty() : nil)
        }
        guard found == nil else { return false }
        bytes.append(contentsOf: name)
        starts.append(bytes.count)
        tags.append(name.withUnsafeBufferPointer { Self.tag($0.baseAddress, $0.count) })
        return true
    }

    /// The index of the `count` bytes at `key`, or `nil`.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        let tag = Self.tag(key, count)
        return tags.withUnsafeBufferPointer { tags in
            for k in 0..<tags.count where tags[k] == tag {
                let start = starts[k]
                guard starts[k + 1] - start == count else { continue }
                if count == 0 { return k }
                let same = bytes.withUnsafeBufferPointer { all in
                    all.baseAddress.map { Self.equal($0 + start, key, count) } ?? false
                }
                if same { return k }
            }
            return nil
        }
    }

    /// Whether the `count` bytes at `a` and `b` are equal: names of 8 to 16
    /// bytes (most event types) in two word compares, others by `memcmp`.
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count >= 8 && count <= 16 else { return bytesEqual(a, b, count) }
        let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
            && (x + (count - 8)).loadUnaligned(as: UInt64.self) == (y + (count - 8)).loadUnaligned(as: UInt64.self)
    }

    private func findEmpty() -> Int? {
        for k in 0..<tags.count where starts[k + 1] == starts[k] { return k }
        return nil
    }

    @inline(__always)
    private static func tag(_ key: UnsafePointer<UInt8>?, _ count: Int) -> UInt32 {
        guard count > 0, let key else { return 0 }
        return UInt32(truncatingIfNeeded: min(count, 0xFFFF)) << 16 | UInt32(key[0]) << 8 | UInt32(key[count - 1])
    }
}
