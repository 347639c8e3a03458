/// Matching many leads at once (SPEC §11): the same results as
/// ``Converter/account(explicit:email:label:)`` lead by lead, found in chunks
/// so that the cache misses of a chunk's lookups overlap.
///
/// On a large index every lookup misses the cache several times over (the
/// table slot, the key's position, the account, its name and domains), and a
/// lead's misses follow one another. Here each step is taken for a whole chunk
/// before the next: the chunk's slots are read one after another, then probed,
/// then their positions read, then their accounts, so the memory system
/// fetches for many leads at a time. Any lead off the common path (an explicit
/// id, a non-ASCII key, an ambiguous or new account) is matched by the
/// one-lead function, which gives the result by construction.
extension Converter {
    /// The account parts of many leads, from the values they depend on, held in
    /// columns: entry `i` of each column belongs to lead `i`, and a column
    /// shorter than the others reads as `nil` past its end. Element `i` of the
    /// result is what ``account(explicit:email:label:)`` gives for lead `i`,
    /// found several times faster per lead on a large index.
    ///
    /// - Throws: ``LeadError`` at `explicit[i]` for an explicit id that is not known.
    public func accountParts(explicit: [String?] = [], emails: [String?], labels: [String?]) throws(LeadError)
        -> [ConversionResult.AccountPart]
    {
        let count = max(explicit.count, emails.count, labels.count)
        var parts: [ConversionResult.AccountPart] = []
        parts.reserveCapacity(count)
        func one(_ i: Int) throws(LeadError) -> ConversionResult.AccountPart {
            do throws(LeadError) {
                return try account(
                    explicit: i < explicit.count ? explicit[i] : nil, email: i < emails.count ? emails[i] : nil,
                    label: i < labels.count ? labels[i] : nil)
            } catch {
                throw LeadError(path: "explicit".indexed(i), message: error.message)
            }
        }
        guard settings.account.by == .company else {
            for i in 0..<count { parts.append(try one(i)) }
            return parts
        }
        var chunk = MatchChunk()
        var touched: UInt64 = 0
        var start = 0
        while start < count {
            let end = min(count, start + MatchChunk.size)
            touched &+= chunk.find(start..<end, explicit: explicit, emails: emails, labels: labels, accounts: accounts)
            for i in start..<end {
                let k = i - start
                let position = chunk.positions[k]
                let step = chunk.steps[k]
                if position >= 0 {
                    parts.append(known(position, step == MatchChunk.Step.name ? .name : .domain))
                } else if step == MatchChunk.Step.new {
                    // Rule 4: named by the company attribute, with the email domain when it counts.
                    let place = chunk.domains[k]
                    var domains: [String] = []
                    if !place.isEmpty, i < emails.count, let email = emails[i] {
                        domains = [withUTF8Bytes(email) { String(decoding: UnsafeBufferPointer(rebasing: $0[place]), as: UTF8.self) }]
                    }
                    parts.append(.init(match: .new, id: nil, name: i < labels.count ? labels[i] : nil, domains: domains, candidates: []))
                } else {
                    parts.append(try one(i))
                }
            }
            start = end
        }
        // Keeps the touching reads: the optimizer cannot know this never holds.
        if touched == 1 { parts.reserveCapacity(count + 1) }
        return parts
    }
}

/// The state of one chunk of leads being matched: per lead, how far it got
/// (``Step``), its key's hash and id, and its account position.
struct MatchChunk {
    static let size = 64

    /// How far a lead of the chunk got.
    enum Step {
        /// Off the common path: matched by the one-lead function.
        static let other: UInt8 = 0
        /// A plain email domain to look up (its range in `ranges`).
        static let domain: UInt8 = 1
        /// No domain decided: a name key to compute.
        static let needsName: UInt8 = 2
        /// A name key to look up (in `names`, its range in `ranges`).
        static let name: UInt8 = 3
        /// A domain key found (its id in `keys`).
        static let domainKey: UInt8 = 4
        /// No known account: a new one (rule 4), its domain in `domains`.
        static let new: UInt8 = 5
    }

    var steps = [UInt8](repeating: 0, count: size)
    var hashes = [UInt64](repeating: 0, count: size)
    var ranges = [Range<Int>](repeating: 0..<0, count: size)
    /// The plain email domain that matched no account, for a new account; empty for none.
    var domains = [Range<Int>](repeating: 0..<0, count: size)
    var keys = [Int32](repeating: -1, count: size)
    /// The account each lead matched by a single domain or name hit; -1 for the others.
    var positions = [Int32](repeating: -1, count: size)
    /// The chunk's name keys, one after another.
    var names: [UInt8] = []

    /// Finds the accounts of leads `range` that one domain or name key decides;
    /// returns a checksum of the words read ahead.
    mutating func find(
        _ range: Range<Int>, explicit: [String?], emails: [String?], labels: [String?], accounts: AccountIndex
    ) -> UInt64 {
        let tables = accounts.lookup.tables
        let base = range.lowerBound
        var touched: UInt64 = 0
        // 1. Email domains: hashed, and the first slot of each probe read.
        for i in range {
            let k = i - base
            positions[k] = -1
            domains[k] = 0..<0
            steps[k] = Step.needsName
            if i < explicit.count, explicit[i] != nil {
                steps[k] = Step.other
                continue
            }
            guard i < emails.count, let email = emails[i] else { continue }
            let (step, place, hash): (UInt8, Range<Int>, UInt64) = withUTF8Bytes(email) { bytes in
                switch MatchKeys.plainEmailDomain(bytes) {
                case .none: return (Step.needsName, 0..<0, 0)
                case .general: return (Step.other, 0..<0, 0)
                case .plain(let place):
                    let domain = UnsafeBufferPointer(rebasing: bytes[place])
                    if MatchKeys.isFreeMail(domain) { return (Step.needsName, 0..<0, 0) }
                    return (Step.domain, place, ByteKeyTable.hash(domain))
                }
            }
            steps[k] = step
            if step == Step.domain {
                ranges[k] = place
                hashes[k] = hash
                touched &+= tables.byDomain.keys.touch(hash: hash)
            }
        }
        // 2. Domains probed; the leads they leave undecided get name keys,
        //    hashed, and the first slot of each probe read.
        var used = 0
        for i in range {
            let k = i - base
            if steps[k] == Step.domain {
                guard i < emails.count, let email = emails[i] else { continue }
                let place = ranges[k]
                let hash = hashes[k]
                let (found, more) = withUTF8Bytes(email) { bytes in
                    tables.domainLevels(UnsafeBufferPointer(rebasing: bytes[place]), hash: hash)
                }
                if let found {
                    if more.isEmpty {
                        keys[k] = found
                        steps[k] = Step.domainKey
                        touched &+= UInt64(truncatingIfNeeded: tables.byDomain.solo(found))
                    } else {
                        steps[k] = Step.other
                    }
                    continue
                }
                domains[k] = place
                steps[k] = Step.needsName
            }
            guard steps[k] == Step.needsName else { continue }
            guard i < labels.count, let label = labels[i] else {
                steps[k] = Step.new
                continue
            }
            // The name key, written after the chunk's earlier ones; nil: not ASCII.
            let key: (place: Range<Int>, hash: UInt64)?? = withUTF8Bytes(label) { bytes in
                guard isASCII(bytes) else { return nil }
                if names.count < used + bytes.count + 1 {
                    names.append(contentsOf: repeatElement(0, count: max(names.count, bytes.count + 1)))
                }
                let from = used
                return names.withUnsafeMutableBufferPointer { all in
                    let out = UnsafeMutableBufferPointer(rebasing: all[from...])
                    guard let key = NameKey.asciiKey(bytes, into: out) else { return .some(nil) }
                    guard let first = key.baseAddress, let origin = UnsafePointer(all.baseAddress) else {
                        return nil
                    }
                    let at = first - origin
                    used = at + key.count
                    return (at..<(at + key.count), ByteKeyTable.hash(key))
                }
            }
            guard let key else {
                steps[k] = Step.other
                continue
            }
            guard let key else {
                steps[k] = Step.new  // no name key
                continue
            }
            steps[k] = Step.name
            ranges[k] = key.place
            hashes[k] = key.hash
            touched &+= tables.byNameKey.keys.touch(hash: key.hash)
        }
        // 3. Name keys probed; the key's single position read.
        names.withUnsafeBufferPointer { names in
            for k in 0..<range.count where steps[k] == Step.name {
                let key = UnsafeBufferPointer(rebasing: names[ranges[k]])
                guard let id = tables.byNameKey.keys.find(key, hash: hashes[k]) else {
                    steps[k] = Step.new
                    continue
                }
                keys[k] = id
                touched &+= UInt64(truncatingIfNeeded: tables.byNameKey.solo(id))
            }
        }
        // 4. Positions (a key with several accounts is ambiguous: left to the
        //    one-lead function), and each account read with the heads of its
        //    name and domains.
        accounts.accounts.withUnsafeBufferPointer { known in
            for k in 0..<range.count {
                let step = steps[k]
                guard step == Step.domainKey || step == Step.name else { continue }
                let position = step == Step.name ? tables.byNameKey.solo(keys[k]) : tables.byDomain.solo(keys[k])
                guard position >= 0 else { continue }
                positions[k] = position
                let account = known[Int(position)]
                touched &+= UInt64(truncatingIfNeeded: account.domains.count)
                if let name = account.name {
                    touched &+= UInt64(name.utf8.withContiguousStorageIfAvailable { $0.first ?? 0 } ?? 0)
                }
            }
        }
        return touched
    }
}
