/// A set of byte strings numbered 0, 1, 2… in the order they were first
/// inserted: an open-addressing hash table over UTF-8 bytes whose keys live in
/// one contiguous byte arena.
///
/// The hot paths of conversion, dedupe and the history reader intern and look
/// up keys as bytes, straight from the text they scan: no `String` is made, and
/// a probe hashes 8 bytes per step instead of feeding `Hasher` byte by byte.
/// Ids are dense, so callers keep what belongs to a key in flat arrays indexed
/// by its id; iteration in id order is insertion order, never hash order, so
/// nothing a caller computes depends on the hash.
///
/// The hash is seeded once per process with a random value, so that keys
/// crafted to collide in one run do not collide in the next.
///
/// - Complexity: `find` and `insert` are O(key length) expected; the table
///   doubles when it is half full.
struct ByteKeyTable: Sendable {
    /// Every key's bytes, one after another in id order.
    private var arena: [UInt8] = []
    /// `ends[id]` is where key `id` ends in `arena` (it starts at `ends[id - 1]`, or 0).
    private var ends: [Int] = []
    /// Open addressing, linear probing, at most 3/4 full. Each slot holds what
    /// a probe needs: the hash's high 32 bits and the id (`empty` when free),
    /// where the key is in the arena (start << 24 | length, length `longKey`
    /// when it does not fit), and a key of up to 16 bytes itself, zero-padded,
    /// so that short keys (lead ids, domains) are compared without touching
    /// the arena: one cache miss per lookup.
    private var slots: [Slot]

    private struct Slot {
        var meta: UInt64
        var place: UInt64
        var low: UInt64
        var high: UInt64
    }
    private var mask: Int

    private static let empty = UInt64.max
    private static let longKey: UInt64 = 0xFF_FFFF

    /// An empty table with room for `capacity` keys before it grows.
    init(capacity: Int = 0) {
        var size = 16
        while size * 3 < 4 * capacity { size <<= 1 }
        slots = Array(repeating: Slot(meta: Self.empty, place: 0, low: 0, high: 0), count: size)
        mask = size - 1
        ends.reserveCapacity(capacity)
    }

    /// A table of `keys`, numbered in order (a repeated key keeps its first id).
    init(_ keys: some Sequence<String>) {
        self.init()
        for key in keys { _ = insert(key) }
    }

    /// The number of keys.
    var count: Int { ends.count }

    /// The id of `key`, or `nil` when it is not in the table.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, hash: Self.hash(key))
    }

    /// The id of `key` (whose ``hash(_:)`` is `hash`), or `nil`.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let tag = hash >> 32
        let (low, high) = Self.words(key)
        let short = key.count <= 16
        return slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot.meta == Self.empty { return nil }
                if slot.meta >> 32 == tag {
                    let id = Int32(truncatingIfNeeded: slot.meta)
                    if short {
                        if slot.place & Self.longKey == UInt64(key.count) && slot.low == low && slot.high == high {
                            return id
                        }
                        i = (i + 1) & mask
                        continue
                    }
                    let start = Int(truncatingIfNeeded: slot.place >> 24)
                    var count = Int(truncatingIfNeeded: slot.place & Self.longKey)
                    if count == Self.longKey { count = ends[Int(id)] - start }
                    if count == key.count
                        && arena.withUnsafeBufferPointer({ Self.equal($0.baseAddress.map { $0 + start }, key.baseAddress, count) })
                    {
                        return id
                    }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// The first word of the slot where a probe for `hash` starts. Batched
    /// lookups read it for many keys in a row, before probing any of them, so
    /// that the cache misses of those keys overlap instead of following one
    /// another; callers fold the words into a checksum so the reads are kept.
    @inline(__always)
    func touch(hash: UInt64) -> UInt64 {
        slots.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: hash) & mask].meta }
    }

    /// The id of `key` (whose hash is `hash`), inserting it when new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int32, inserted: Bool) {
        if let id = find(key, hash: hash) { return (id, false) }
        let id = Int32(truncatingIfNeeded: ends.count)
        let start = arena.count
        arena.append(contentsOf: key)
        ends.append(arena.count)
        if 4 * ends.count > 3 * slots.count { grow() } else { place(id, start, key.count, hash) }
        return (id, true)
    }

    /// The id of `key`, inserting it when new.
    @inline(__always)
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        insert(key, hash: Self.hash(key))
    }

    /// The id of `key`'s UTF-8, inserting it when new.
    mutating func insert(_ key: String) -> (id: Int32, inserted: Bool) {
        withUTF8Bytes(key) { insert($0) }
    }

    /// The id of `key`'s UTF-8, or `nil`.
    func find(_ key: String) -> Int32? {
        withUTF8Bytes(key) { find($0) }
    }

    /// Calls `body` with the bytes of key `id`.
    @inline(__always)
    func withKey<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let k = Int(id)
        let start = k == 0 ? 0 : ends[k - 1]
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<ends[k]])) }
    }

    /// Key `id` as a `String` (its bytes are valid UTF-8 whenever the inserted ones were).
    func string(_ id: Int32) -> String {
        withKey(id) { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func place(_ id: Int32, _ start: Int, _ count: Int, _ hash: UInt64) {
        let mask = self.mask
        let meta = (hash >> 32) << 32 | UInt64(UInt32(bitPattern: id))
        let place = UInt64(start) << 24 | min(UInt64(count), Self.longKey)
        let (low, high) = count <= 16
            ? arena.withUnsafeBufferPointer { Self.words(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
            : (0, 0)
        slots.withUnsafeMutableBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i].meta != Self.empty { i = (i + 1) & mask }
            slots[i] = Slot(meta: meta, place: place, low: low, high: high)
        }
    }

    /// Doubles the slots, hashing every key again from the arena.
    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: Slot(meta: Self.empty, place: 0, low: 0, high: 0), count: size)
        mask = size - 1
        var start = 0
        for k in 0..<ends.count {
            let end = ends[k]
            let hash = arena.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end])) }
            place(Int32(truncatingIfNeeded: k), start, end - start, hash)
            start = end
        }
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard n > 0, let a, let b else { return true }
        return bytesEqual(a, b, n)
    }

    /// The first 16 bytes of `key` as two little-endian words, zero-padded.
    @inline(__always)
    private static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        guard let base = key.baseAddress else { return (0, 0) }
        let n = key.count
        if n >= 16 {
            let raw = UnsafeRawPointer(base)
            return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        if n >= 8 { return (UnsafeRawPointer(base).loadUnaligned(as: UInt64.self), partialWord(base + 8, n - 8)) }
        return (partialWord(base, n), 0)
    }

    /// The `n` bytes (0 ≤ `n` < 8) at `base` as a little-endian word, zero-padded:
    /// two overlapping loads instead of a loop over the bytes.
    @inline(__always)
    private static func partialWord(_ base: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        if n >= 4 {
            let head = UInt64(raw.loadUnaligned(as: UInt32.self))
            let tail = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            // `tail` holds bytes n-4..<n; bytes 4..<n are its top n-4 bytes.
            return head | (tail >> UInt64(8 * (8 - n))) << 32
        }
        guard n > 0 else { return 0 }
        // n = 1, 2, 3: bytes 0, n/2 and n-1 cover them all (repeats are or-ed twice).
        let half = n >> 1
        return UInt64(base[0]) | UInt64(base[half]) << UInt64(8 * half) | UInt64(base[n - 1]) << UInt64(8 * (n - 1))
    }

    // MARK: Hashing

    /// The per-process seed.
    private static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// The hash of `key`: 8 bytes a step, each folded in by a 128-bit multiply.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        var h = seed ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        guard n > 0, let base = key.baseAddress else { return mix(h, 0xA076_1D64_78BD_642F) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            h = mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ seed, h ^ 0xA076_1D64_78BD_642F)
            i += 8
        }
        if i < n {
            h = mix(partialWord(base + i, n - i) ^ seed, h ^ 0xE703_7ED1_A0B4_28DB)
        }
        return mix(h ^ 0x8EBC_6AF0_9C88_C6E3, 0x5899_65CC_7537_4CC3)
    }
}
