/// A short list of byte strings (attribute names, event types) found by a
/// 32-bit tag (length, first and last byte) in a small open-addressing
/// table, the bytes compared only when the tags match: one probe for most
/// look-ups however many names the model has.
///
/// - Complexity: `find` is O(1) probes expected plus O(length) per tag match.
struct NameList: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var tags: [UInt32] = []
    /// Per slot, the index + 1 of the name whose tag hashes there (after
    /// linear probing), 0 for none; at most half full.
    private var slots = [Int32](repeating: 0, count: 16)

    /// The number of names.
    var count: Int { tags.count }

    /// Adds `name` as the next index; false (and nothing added) when it is already there.
    mutating func append(_ name: [UInt8]) -> Bool {
        let found = name.withUnsafeBufferPointer { find($0.baseAddress, $0.count) }
        guard found == nil else { return false }
        bytes.append(contentsOf: name)
        starts.append(bytes.count)
        tags.append(name.withUnsafeBufferPointer { Self.tag($0.baseAddress, $0.count) })
        if tags.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for k in tags.indices { place(k) }
        } else {
            place(tags.count - 1)
        }
        return true
    }

    private mutating func place(_ k: Int) {
        let mask = slots.count - 1
        var h = Self.slot(tags[k]) & mask
        while slots[h] != 0 { h = (h + 1) & mask }
        slots[h] = Int32(k + 1)
    }

    /// The index of the `count` bytes at `key`, or `nil`.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt8>?, _ count: Int) -> Int? {
        let tag = Self.tag(key, count)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var h = Self.slot(tag) & mask
            while true {
                let entry = Int(slots[h])
                if entry == 0 { return nil }
                let k = entry - 1
                if tags[k] == tag {
                    let start = starts[k]
                    if starts[k + 1] - start == count {
                        if count == 0 { return k }
                        let same = bytes.withUnsafeBufferPointer { all in
                            guard let base = all.baseAddress, let key else { return false }
                            return Self.equal(base + start, key, count)
                        }
                        if same { return k }
                    }
                }
                h = (h + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func slot(_ tag: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(tag) &* 0x9E37_79B9_7F4A_7C15) >> 40)
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

    @inline(__always)
    private static func tag(_ key: UnsafePointer<UInt8>?, _ count: Int) -> UInt32 {
        guard count > 0, let key else { return 0 }
        return UInt32(truncatingIfNeeded: min(count, 0xFFFF)) << 16 | UInt32(key[0]) << 8 | UInt32(key[count - 1])
    }
}
