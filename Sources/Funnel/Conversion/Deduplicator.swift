/// Finds and merges duplicate leads (SPEC §11): two leads are duplicates when
/// they share an email key or a phone key of the model's contact attributes,
/// and groups are closed under that relation.
///
/// Grouping is a union–find over one dictionary probe per key, so it stays
/// near-linear however the keys are shared (10,000 leads with one phone are
/// 10,000 unions, not 50 million comparisons).
///
/// - Complexity: O(*n* α(*n*)) to group, plus sorting each group's events.
public struct Deduplicator: Sendable {
    let compiled: CompiledModel
    let settings: ConversionSettings
    /// Names of the model's `strings` attributes, whose members are united.
    let stringsAttributes: Set<String>
    /// Declared attribute names as bytes; a name's id indexes `slots`.
    let slotNames: ByteKeyTable
    /// Declared attributes: their type, and whether they are the email (1) or phone (2).
    let slots: [(type: AttributeType, role: UInt8)]

    /// A deduplicator for `model`'s contact email and phone attributes.
    public init(model: Model) {
        compiled = model.compiled
        let settings = model.definition.conversion ?? ConversionSettings()
        self.settings = settings
        stringsAttributes = Set(model.definition.attributes.filter { $0.type == .strings }.map(\.name))
        var names = ByteKeyTable()
        var slots: [(type: AttributeType, role: UInt8)] = []
        for declaration in model.definition.attributes where names.insert(declaration.name).inserted {
            slots.append((declaration.type, 0))
        }
        if let email = settings.contact.email, let id = names.find(email) { slots[Int(id)].role |= 1 }
        if let phone = settings.contact.phone, let id = names.find(phone) { slots[Int(id)].role |= 2 }
        slotNames = names
        self.slots = slots
    }

    /// One lead as grouping needs it: its keys and what picks the head. The
    /// document is looked at only for leads that turn out to have duplicates.
    struct Record {
        var id: String
        var stage: String?
        var account: String?
        var rank: Int32
        var latest: Double
        /// Ids in ``Grouping``'s email and phone key tables; -1 for none.
        var emailKey: Int32
        var phoneKey: Int32
    }

    /// The groups of two or more duplicates among `leads`, in the input order
    /// of each group's first lead.
    ///
    /// - Throws: ``LeadError`` at `leads[i]…` for a badly typed attribute or an unknown stage.
    public func groups(_ leads: [Lead]) throws(LeadError) -> [MergeResult] {
        var grouping = Grouping(count: leads.count)
        for (i, lead) in leads.enumerated() {
            do throws(LeadError) {
                try add(lead, to: &grouping)
            } catch {
                throw LeadError(path: "leads".indexed(i).joined(error.path), message: error.message)
            }
        }
        return merge(&grouping) { group, records, keys in mergeLeads(group, records, keys: keys, leads: leads) }
    }

    /// The groups of the lead documents of JSON Lines text (blank lines skipped).
    ///
    /// - Throws: ``LineError`` naming the line and the field.
    package func groups(jsonLines bytes: UnsafeRawBufferPointer) throws(LineError) -> [MergeResult] {
        let (lines, numbers) = JSONLines.split(bytes)
        return try groups(lines: lines, numbers: numbers)
    }

    /// The groups of non-blank JSON Lines lines and their 1-based numbers.
    package func groups(lines: [[UInt8]], numbers: [Int]) throws(LineError) -> [MergeResult] {
        var grouping = Grouping(count: lines.count)
        var documents: [JSONValue] = []
        documents.reserveCapacity(lines.count)
        for (line, number) in zip(lines, numbers) {
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw LineError(line: number, isParseError: true, message: "malformed JSON: \(error)")
            }
            do throws(LeadError) {
                try add(try Lead(jsonValue: value), to: &grouping)
                documents.append(value)
            } catch {
                throw LineError(line: number, isParseError: false, message: error.description)
            }
        }
        return merge(&grouping) { group, records, keys in
            mergeGroup(group, records, keys: keys) { documents[$0] }
        }
    }

    /// The groups as JSON Lines, one ``MergeResult`` document a line.
    package func lines(_ results: [MergeResult]) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: results.count * 256)
        for result in results {
            result.write(to: &writer)
            writer.bytes.append(0x0A)
        }
        return writer.bytes
    }

    /// The leads read so far, their keys interned as bytes, and their sets.
    struct Grouping {
        var records: [Record] = []
        var sets: UnionFind
        var emails: KeyTally
        var phones: KeyTally

        /// Room for `count` leads: the key tables never grow (each lead has at most one key of each).
        init(count: Int) {
            records.reserveCapacity(count)
            sets = UnionFind(count: count)
            emails = KeyTally(capacity: count)
            phones = KeyTally(capacity: count)
        }
    }

    /// Each key's first lead and how many leads have it.
    struct KeyTally {
        var keys: ByteKeyTable
        var first: [Int32] = []
        var count: [Int32] = []

        init(capacity: Int) {
            keys = ByteKeyTable(capacity: capacity)
            first.reserveCapacity(capacity)
            count.reserveCapacity(capacity)
        }

        /// Notes that lead `i` has `key`, uniting it with the key's first lead; the key's id.
        @inline(__always)
        mutating func note(_ key: UnsafeBufferPointer<UInt8>, _ i: Int32, _ sets: inout UnionFind) -> Int32 {
            let (id, inserted) = keys.insert(key)
            if inserted {
                first.append(i)
                count.append(1)
            } else {
                sets.union(first[Int(id)], i)
                count[Int(id)] &+= 1
            }
            return id
        }
    }

    /// Reads `lead` into `grouping`: checks it, notes its keys, unites it with
    /// the earlier leads that share one.
    func add(_ lead: Lead, to grouping: inout Grouping) throws(LeadError) {
        var (record, emailText, phoneText) = try record(lead)
        let i = Int32(truncatingIfNeeded: grouping.records.count)
        if let emailText {
            record.emailKey = MatchKeys.withEmailKey(emailText) { key in
                key.map { grouping.emails.note($0, i, &grouping.sets) } ?? -1
            }
        }
        if let phoneText {
            record.phoneKey = MatchKeys.withPhoneKey(phoneText) { key in
                key.map { grouping.phones.note($0, i, &grouping.sets) } ?? -1
            }
        }
        grouping.records.append(record)
    }

    /// A lead's record (keys not yet noted), and the email and phone texts.
    func record(_ lead: Lead) throws(LeadError) -> (record: Record, emailText: String?, phoneText: String?) {
        var emailText: String?
        var phoneText: String?
        for (attribute, value) in lead.attributes {
            guard let id = slotNames.find(attribute) else { continue }
            let slot = slots[Int(id)]
            if !slot.type.fits(value) { throw firstBadAttribute(lead, compiled: compiled) }
            if slot.role != 0, case .string(let text) = value {
                if slot.role & 1 != 0 { emailText = text }
                if slot.role & 2 != 0 { phoneText = text }
            }
        }
        let stageIndex = try compiled.checkedStage(lead.stage)
        var rank: Int32 = 0
        if let stages = compiled.stages {
            let s = stages.start(stageIndex)
            switch stages.outcomes[Int(s)] {
            case .lost?, .disqualified?: rank = -1
            default: rank = s
            }
        }
        var latest = -Double.infinity
        for event in lead.events where event.at > latest { latest = event.at }
        let record = Record(
            id: lead.id, stage: lead.stage, account: lead.account, rank: rank, latest: latest,
            emailKey: -1, phoneKey: -1)
        return (record, emailText, phoneText)
    }

    // MARK: Grouping

    /// Groups the leads of `grouping`; `mergeGroup(members, records, keys)`
    /// merges one group (members in input order, keys sorted).
    func merge(
        _ grouping: inout Grouping, mergeGroup: ([Int], [Record], [String]) -> MergeResult
    ) -> [MergeResult] {
        let records = grouping.records
        let n = records.count
        // Groups of two or more, numbered by their first lead; members in input order.
        var groupOfRoot = [Int32](repeating: -1, count: n)
        var groupOf = [Int32](repeating: -1, count: n)
        var sizes: [Int] = []
        for i in 0..<n {
            let root = grouping.sets.find(Int32(truncatingIfNeeded: i))
            if grouping.sets.size(of: root) < 2 { continue }
            if groupOfRoot[Int(root)] < 0 {
                groupOfRoot[Int(root)] = Int32(truncatingIfNeeded: sizes.count)
                sizes.append(0)
            }
            let g = Int(groupOfRoot[Int(root)])
            groupOf[i] = Int32(truncatingIfNeeded: g)
            sizes[g] += 1
        }
        var starts = [Int](repeating: 0, count: sizes.count + 1)
        for g in sizes.indices { starts[g + 1] = starts[g] + sizes[g] }
        var fill = starts
        var members = [Int](repeating: 0, count: starts[sizes.count])
        for i in 0..<n where groupOf[i] >= 0 {
            let g = Int(groupOf[i])
            members[fill[g]] = i
            fill[g] += 1
        }
        // A key two leads share names their group.
        var keys = [[String]](repeating: [], count: sizes.count)
        func collect(_ tally: KeyTally, _ prefix: String) {
            for id in 0..<tally.count.count where tally.count[id] > 1 {
                let g = Int(groupOf[Int(tally.first[id])])
                keys[g].append(prefix + tally.keys.string(Int32(truncatingIfNeeded: id)))
            }
        }
        collect(grouping.emails, "email:")
        collect(grouping.phones, "phone:")
        var results: [MergeResult] = []
        results.reserveCapacity(sizes.count)
        for g in sizes.indices {
            let sortedKeys = keys[g].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let group = Array(members[starts[g]..<starts[g + 1]])
            results.append(mergeGroup(group, records, sortedKeys))
        }
        return results
    }

    /// The head: the most advanced stage, then the most recent event, then the first.
    func head(of group: [Int], _ records: [Record]) -> Int {
        var best = group[0]
        for i in group.dropFirst() {
            let a = records[i]
            let b = records[best]
            if a.rank > b.rank || (a.rank == b.rank && a.latest > b.latest) { best = i }
        }
        return best
    }

    /// Merges a group through the leads' documents: `document(i)` gives lead i's.
    func mergeGroup(_ group: [Int], _ records: [Record], keys: [String], document: (Int) -> JSONValue)
        -> MergeResult
    {
        let headIndex = head(of: group, records)
        let order = [headIndex] + group.filter { $0 != headIndex }
        let head = records[headIndex]
        var attributesOf: [Int: [JSONMember]] = [:]
        var eventsOf: [Int: [(at: Double, value: JSONValue)]] = [:]
        for i in group {
            let value = document(i)
            if case .object(let members)? = value["attributes"] { attributesOf[i] = members }
            if case .array(let items)? = value["events"] {
                // Valid lead documents: every event has a readable `at`.
                eventsOf[i] = items.compactMap { item in
                    guard let raw = item["at"], let at = try? Event.instant(raw, path: "") else { return nil }
                    return (at, item)
                }
            }
        }

        // Attributes: first non-null value, head first; `strings` attributes united.
        var names: [String] = []
        var values: [String: JSONValue] = [:]
        var unions: [String: (seen: Set<String>, items: [JSONValue])] = [:]
        for i in order {
            for member in attributesOf[i] ?? [] {
                let name = member.key
                if values[name] == nil { names.append(name) }
                if stringsAttributes.contains(name), case .array(let items) = member.value {
                    var union = unions[name] ?? ([], [])
                    for case .string(let s) in items where union.seen.insert(comparisonKey(s)).inserted {
                        union.items.append(.string(s))
                    }
                    unions[name] = union
                    values[name] = .array(union.items)
                } else if values[name] == nil || values[name] == .null {
                    values[name] = member.value
                }
            }
        }
        var account = head.account
        for i in order where account == nil { account = records[i].account }

        // Events: all of them, an exact repeat kept once, by time then input order.
        var all: [(at: Double, lead: Int, index: Int, value: JSONValue)] = []
        for i in group { for (k, event) in (eventsOf[i] ?? []).enumerated() { all.append((event.at, i, k, event.value)) } }
        all.sort { ($0.at, $0.lead, $0.index) < ($1.at, $1.lead, $1.index) }
        var seen: Set<EventIdentity> = []
        var events: [JSONValue] = []
        for event in all where seen.insert(EventIdentity(event.value, at: event.at)).inserted {
            events.append(event.value)
        }

        var fields = [JSONMember("id", .string(head.id))]
        if let stage = head.stage { fields.append(JSONMember("stage", .string(stage))) }
        if let account { fields.append(JSONMember("account", .string(account))) }
        fields.append(JSONMember("attributes", .object(names.map { JSONMember($0, values[$0] ?? .null) })))
        fields.append(JSONMember("events", .array(events)))
        let value = JSONValue.object(fields)
        let lead = (try? Lead(jsonValue: value)) ?? Lead(id: head.id, stage: head.stage, account: account)
        return MergeResult(
            head: head.id, merged: group.filter { $0 != headIndex }.map { records[$0].id }, keys: keys,
            lead: lead, document: value)
    }
}

/// What makes two events identical: type, instant and properties (members in any order).
struct EventIdentity: Hashable {
    let type: String
    let at: Double
    let props: [UInt8]

    init(_ event: JSONValue, at: Double) {
        if case .string(let t)? = event["type"] { type = t } else { type = "" }
        self.at = at
        var writer = JSONWriter(reservingCapacity: 32)
        if let props = event["props"] { writer.writeValue(props.sortedMembers) }
        self.props = writer.bytes
    }
}

private extension JSONValue {
    /// Object members sorted by key at every level, so that equal objects write equally.
    var sortedMembers: JSONValue {
        switch self {
        case .object(let members):
            return .object(
                members.map { JSONMember($0.key, $0.value.sortedMembers) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
        case .array(let items): return .array(items.map(\.sortedMembers))
        default: return self
        }
    }
}

extension Model {
    /// The groups of duplicate leads among `leads` and their merged leads
    /// (SPEC §11). The C ABI's `funnel_dedupe_jsonl`.
    ///
    /// - Throws: ``LeadError`` at `leads[i]…` for a badly typed attribute or an unknown stage.
    public func dedupe(_ leads: [Lead]) throws(LeadError) -> [MergeResult] {
        try Deduplicator(model: self).groups(leads)
    }
}
