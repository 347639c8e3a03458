/// Account positions filed under byte keys (domains, name keys, group keys),
/// each key's positions in the order they were filed: a ``ByteKeyTable`` plus
/// one linked list per key in flat arrays, so a lookup hashes the key's bytes
/// once and allocates nothing.
struct AccountPostings: Sendable {
    /// The keys; a key's id indexes `first`, `last` and `counts`.
    private(set) var keys = ByteKeyTable()
    private var first: [Int32] = []
    private var last: [Int32] = []
    private var counts: [Int32] = []
    /// Per key: its one position when it has exactly one, else -1. Most keys
    /// have one, so a lookup reads one array instead of `counts`, `first` and
    /// `positions` (three cache misses on a large index).
    private var solos: [Int32] = []
    /// Per filed entry: the account position and the next entry of its key (-1: none).
    private var positions: [Int32] = []
    private var next: [Int32] = []

    /// Files `position` under `key` (after the positions already there).
    mutating func file(_ position: Int32, under key: UnsafeBufferPointer<UInt8>) {
        let (id, inserted) = keys.insert(key)
        let entry = Int32(truncatingIfNeeded: positions.count)
        positions.append(position)
        next.append(-1)
        if inserted {
            first.append(entry)
            last.append(entry)
            counts.append(1)
            solos.append(position)
        } else {
            let k = Int(id)
            next[Int(last[k])] = entry
            last[k] = entry
            counts[k] += 1
            solos[k] = -1
        }
    }

    /// Files `position` under the UTF-8 of `key`.
    mutating func file(_ position: Int32, under key: String) {
        withUTF8Bytes(key) { file(position, under: $0) }
    }

    /// The key id of `key`, or `nil` when nothing is filed under it.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? { keys.find(key) }

    /// How many positions key `id` holds.
    @inline(__always)
    func count(_ id: Int32) -> Int { Int(counts[Int(id)]) }

    /// The one position filed under key `id`, or -1 when it holds several.
    @inline(__always)
    func solo(_ id: Int32) -> Int32 { solos.withUnsafeBufferPointer { $0[Int(id)] } }

    /// The first position filed under key `id`.
    @inline(__always)
    func firstPosition(_ id: Int32) -> Int32 { positions[Int(first[Int(id)])] }

    /// Every position filed under key `id`, in filing order.
    func positions(_ id: Int32) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count(id))
        var entry = first[Int(id)]
        while entry >= 0 {
            result.append(positions[Int(entry)])
            entry = next[Int(entry)]
        }
        return result
    }

    /// The positions filed under `key`, in filing order; empty when none.
    func positions(_ key: UnsafeBufferPointer<UInt8>) -> [Int32] {
        find(key).map { positions($0) } ?? []
    }
}
