extension Deduplicator {
    /// Merges a group of Swift leads straight from their values, with the
    /// result ``mergeGroup(_:_:keys:document:)`` gives through documents but
    /// without building one per lead and parsing the merged one back: that
    /// round trip was half of deduping a million leads.
    ///
    /// A merged document `Lead` would reject (an empty id, stage, account or
    /// event type) takes the document path, which keeps it as written.
    func mergeLeads(_ group: [Int], _ records: [Record], keys: [String], leads: [Lead]) -> MergeResult {
        let headIndex = head(of: group, records)
        let head = records[headIndex]
        let others = group.filter { $0 != headIndex }
        var account = head.account
        for i in others where account == nil { account = records[i].account }
        if head.id.isEmpty || head.stage?.isEmpty == true || account?.isEmpty == true {
            return mergeGroup(group, records, keys: keys) { leads[$0].jsonValue }
        }

        // Attributes: first non-null value, head first; `strings` attributes united.
        // The head's dictionary is the start, changed only where a value is
        // `.other` (written, and so merged, as null), united, or filled in;
        // `order` lists names as the documents would (each lead's new names
        // sorted, head first).
        let headLead = leads[headIndex]
        var attributes = headLead.attributes
        var order = attributes.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var unions: [(id: Int32, seen: Set<String>, items: [String])] = []
        /// Unites `items` into `strings` attribute `name`'s union; `nil` when `name` is not one.
        func unite(_ name: String, _ items: [String]) -> LeadValue? {
            guard let id = slotNames.find(name), slots[Int(id)].type == .strings else { return nil }
            var k = 0
            while k < unions.count && unions[k].id != id { k += 1 }
            if k == unions.count { unions.append((id, [], [])) }
            for s in items where unions[k].seen.insert(comparisonKey(s)).inserted { unions[k].items.append(s) }
            return .strings(unions[k].items)
        }
        for (name, value) in headLead.attributes {
            switch value {
            case .other: attributes[name] = .null
            case .strings(let items): if let union = unite(name, items) { attributes[name] = union }
            default: break
            }
        }
        var fresh: [String] = []
        for i in others {
            for (name, raw) in leads[i].attributes {
                let value: LeadValue = if case .other = raw { .null } else { raw }
                if case .strings(let items) = value, let union = unite(name, items) {
                    if attributes[name] == nil { fresh.append(name) }
                    attributes[name] = union
                    continue
                }
                switch attributes[name] {
                case nil:
                    fresh.append(name)
                    attributes[name] = value
                case .null?:
                    attributes[name] = value
                default:
                    break
                }
            }
            if !fresh.isEmpty {
                order += fresh.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                fresh.removeAll(keepingCapacity: true)
            }
        }

        // Events: all of them, an exact repeat kept once, by time then input order.
        var events: [Event] = []
        var all: [(at: Double, lead: Int, index: Int, event: Event)] = []
        for i in group { for (k, event) in leads[i].events.enumerated() { all.append((event.at, i, k, event)) } }
        if !all.isEmpty {
            all.sort { ($0.at, $0.lead, $0.index) < ($1.at, $1.lead, $1.index) }
            var seen: Set<EventIdentity> = []
            for item in all {
                let value = item.event.jsonValue
                guard seen.insert(EventIdentity(value, at: item.at)).inserted else { continue }
                // As the merged document reads back: `.other` properties become null.
                guard let event = try? Event(value, path: "") else {
                    return mergeGroup(group, records, keys: keys) { leads[$0].jsonValue }
                }
                events.append(event)
            }
        }

        let lead = Lead(id: head.id, attributes: attributes, events: events, stage: head.stage, account: account)
        return MergeResult(
            head: head.id, merged: others.map { records[$0].id }, keys: keys, lead: lead, document: nil,
            attributeOrder: order)
    }
}
