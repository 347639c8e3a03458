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
        // Positions are in discovery order; `order` lists names as the documents
        // would (each lead's new names sorted, head first).
        var names: [String] = []
        var values: [LeadValue] = []
        var unions: [(seen: Set<String>, items: [String])?] = []
        var order: [String] = []
        var slotPosition = [Int32](repeating: -1, count: slots.count)
        var undeclared: [String: Int] = [:]
        for i in [headIndex] + others {
            let firstNew = names.count
            for (name, raw) in leads[i].attributes {
                // `.other` is written, and so merged, as null.
                let value: LeadValue = if case .other = raw { .null } else { raw }
                let p: Int
                var isStrings = false
                if let id = slotNames.find(name) {
                    isStrings = slots[Int(id)].type == .strings
                    if slotPosition[Int(id)] < 0 { slotPosition[Int(id)] = Int32(truncatingIfNeeded: names.count) }
                    p = Int(slotPosition[Int(id)])
                } else if let known = undeclared[name] {
                    p = known
                } else {
                    p = names.count
                    undeclared[name] = p
                }
                let isNew = p == names.count
                if isNew {
                    names.append(name)
                    values.append(value)
                    unions.append(nil)
                }
                if isStrings, case .strings(let items) = value {
                    var union = unions[p] ?? ([], [])
                    for s in items where union.seen.insert(comparisonKey(s)).inserted { union.items.append(s) }
                    values[p] = .strings(union.items)
                    unions[p] = union
                } else if !isNew, case .null = values[p] {
                    values[p] = value
                }
            }
            if names.count > firstNew {
                order += names[firstNew...].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
        }
        var attributes: [String: LeadValue] = [:]
        attributes.reserveCapacity(names.count)
        for (name, value) in zip(names, values) { attributes[name] = value }

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
