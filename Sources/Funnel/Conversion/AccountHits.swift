/// The known accounts that fit one matching rule: none, exactly one (the common
/// case, found without allocating), or several in host order.
enum AccountHits {
    case none
    case one(Int32)
    case many([Int32])

    /// The positions, in host order.
    var positions: [Int32] {
        switch self {
        case .none: []
        case .one(let position): [position]
        case .many(let positions): positions
        }
    }
}

extension AccountPostings {
    /// The positions filed under `key` as hits.
    @inline(__always)
    func hits(_ key: UnsafeBufferPointer<UInt8>) -> AccountHits {
        guard let id = find(key) else { return .none }
        return hits(id)
    }

    /// The positions filed under key `id` as hits.
    @inline(__always)
    func hits(_ id: Int32) -> AccountHits {
        let position = solo(id)
        return position >= 0 ? .one(position) : .many(positions(id))
    }
}

extension AccountIndex {
    /// Company accounts with the domain key `domain` (bytes) or a parent of it
    /// (`eu.acme.es` finds `acme.es`), in host order, each once.
    func hits(inDomain domain: UnsafeBufferPointer<UInt8>) -> AccountHits {
        lookup.tables.hits(inDomain: domain)
    }
}

extension AccountTables {
    /// Company accounts with the domain key `domain` (bytes) or a parent of it
    /// (`eu.acme.es` finds `acme.es`), in host order, each once.
    func hits(inDomain domain: UnsafeBufferPointer<UInt8>) -> AccountHits {
        let (found, more) = domainLevels(domain, hash: ByteKeyTable.hash(domain))
        guard let found else { return .none }
        if more.isEmpty { return byDomain.hits(found) }
        var all = byDomain.positions(found)
        for id in more { all += byDomain.positions(id) }
        all.sort()
        var unique: [Int32] = []
        for position in all where unique.last != position { unique.append(position) }
        return unique.count == 1 ? .one(unique[0]) : .many(unique)
    }

    /// The domain keys filed for `domain` (whose hash is `hash`) and for its
    /// parents: the first level found, and the keys of further levels (rare).
    @inline(__always)
    func domainLevels(_ domain: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (found: Int32?, more: [Int32]) {
        var found: Int32? = byDomain.keys.find(domain, hash: hash)
        var more: [Int32] = []  // the keys of further levels with hits (rare)
        if fewestDots != Int.max {
            var dotsLeft = 0
            for b in domain where b == UInt8(ascii: ".") { dotsLeft += 1 }
            var i = 0
            while i + 1 < domain.count {
                if domain[i] == UInt8(ascii: ".") {
                    dotsLeft -= 1  // the dots in domain[(i + 1)...]
                    if dotsLeft < fewestDots { break }
                    if let id = byDomain.find(UnsafeBufferPointer(rebasing: domain[(i + 1)...])) {
                        if found == nil { found = id } else { more.append(id) }
                    }
                }
                i += 1
            }
        }
        return (found, more)
    }
}
