extension Lead {
    /// This lead as a SPEC §6 document: `id`, then `stage` and `account` when
    /// set, `attributes` (sorted by name) and `events` (`at` in seconds).
    /// A ``LeadValue/other`` value, whose content `Lead` does not keep, is written as `null`.
    public var json: String {
        JSONWriter.document(reservingCapacity: 128) { $0.writeValue(jsonValue) }
    }

    package var jsonValue: JSONValue {
        var members = [JSONMember("id", .string(id))]
        if let stage { members.append(JSONMember("stage", .string(stage))) }
        if let account { members.append(JSONMember("account", .string(account))) }
        let sorted = attributes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        members.append(JSONMember("attributes", .object(sorted.map { JSONMember($0.key, $0.value.jsonValue) })))
        members.append(JSONMember("events", .array(events.map(\.jsonValue))))
        return .object(members)
    }
}

extension Event {
    package var jsonValue: JSONValue {
        var members = [JSONMember("type", .string(type)), JSONMember("at", .number(at))]
        if !properties.isEmpty {
            let sorted = properties.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            members.append(JSONMember("props", .object(sorted.map { JSONMember($0.key, $0.value.jsonValue) })))
        }
        return .object(members)
    }
}

extension LeadValue {
    package var jsonValue: JSONValue {
        switch self {
        case .null, .other: .null
        case .string(let s): .string(s)
        case .number(let x): .number(x)
        case .bool(let b): .bool(b)
        case .strings(let list): .array(list.map { .string($0) })
        }
    }
}
