extension Lead {
    /// Reads a lead document (SPEC §6). Fields other than `id`, `attributes`,
    /// `events`, `stage`, `owner` (SPEC §10), `account` (SPEC §11) and
    /// `behavior_since` (SPEC §13) are ignored, so hosts may send their own records.
    public init(json text: String) throws(LeadError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw LeadError(path: "", message: "malformed JSON: \(error)")
        }
        try self.init(jsonValue: value)
    }

    /// Like ``init(json:)`` from UTF-8 bytes; invalid UTF-8 is an error.
    public init(jsonBytes bytes: UnsafeRawBufferPointer) throws(LeadError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw LeadError(path: "", message: "malformed JSON: \(error)")
        }
        try self.init(jsonValue: value)
    }

    package init(jsonValue value: JSONValue) throws(LeadError) {
        guard case .object(let members) = value else {
            throw LeadError(path: "", message: "expected an object, found \(value.kindDescription)")
        }
        var id: String?
        var attributes: [String: LeadValue] = [:]
        var events: [Event] = []
        var stage: String?
        var owner: String?
        var account: String?
        var behaviorSince: Double?
        for member in members {
            switch member.key {
            case "id":
                guard case .string(let text) = member.value, !text.isEmpty else {
                    throw LeadError(path: "id", message: "expected a non-empty string")
                }
                id = text
            case "attributes":
                switch member.value {
                case .null: break
                case .object(let entries):
                    attributes.reserveCapacity(entries.count)
                    for entry in entries { attributes[entry.key] = LeadValue(entry.value) }
                default:
                    throw LeadError(
                        path: "attributes", message: "expected an object, found \(member.value.kindDescription)")
                }
            case "events":
                switch member.value {
                case .null: break
                case .array(let items):
                    events.reserveCapacity(items.count)
                    for (i, item) in items.enumerated() { events.append(try Event(item, path: "events".indexed(i))) }
                default:
                    throw LeadError(path: "events", message: "expected an array, found \(member.value.kindDescription)")
                }
            case "stage":
                switch member.value {
                case .null: break
                case .string(let text) where !text.isEmpty: stage = text
                default: throw LeadError(path: "stage", message: "expected a stage id")
                }
            case "owner":
                // Routing checks the field strictly (Router's JSON Lines); elsewhere an
                // owner of another shape is a host's own record, ignored like others.
                if case .string(let text) = member.value, !text.isEmpty { owner = text }
            case "account":
                switch member.value {
                case .null: break
                case .string(let text) where !text.isEmpty: account = text
                default: throw LeadError(path: "account", message: "expected an account id (a non-empty string)")
                }
            case "behavior_since":
                if case .null = member.value { break }
                let since = try Event.instant(member.value, path: "behavior_since")
                guard since.isFinite else { throw LeadError(path: "behavior_since", message: "expected a finite time") }
                behaviorSince = since
            default:
                continue
            }
        }
        guard let id else { throw LeadError(path: "id", message: "required field is missing") }
        self.init(
            id: id, attributes: attributes, events: events, stage: stage, owner: owner, account: account,
            behaviorSince: behaviorSince)
    }
}

extension Event {
    init(_ value: JSONValue, path: String) throws(LeadError) {
        guard case .object(let members) = value else {
            throw LeadError(path: path, message: "expected an object, found \(value.kindDescription)")
        }
        var type: String?
        var at: Double?
        var properties: [String: LeadValue] = [:]
        for member in members {
            switch member.key {
            case "type":
                guard case .string(let text) = member.value, !text.isEmpty else {
                    throw LeadError(path: path.joined("type"), message: "expected a non-empty string")
                }
                type = text
            case "at":
                at = try Event.instant(member.value, path: path.joined("at"))
            case "props":
                switch member.value {
                case .null: break
                case .object(let entries):
                    for entry in entries { properties[entry.key] = LeadValue(entry.value) }
                default:
                    throw LeadError(
                        path: path.joined("props"), message: "expected an object, found \(member.value.kindDescription)")
                }
            default:
                continue
            }
        }
        guard let type else { throw LeadError(path: path.joined("type"), message: "required field is missing") }
        guard let at else { throw LeadError(path: path.joined("at"), message: "required field is missing") }
        self.init(type, at: at, properties: properties)
    }

    /// RFC 3339 text with a zone, or seconds since the epoch.
    static func instant(_ value: JSONValue, path: String) throws(LeadError) -> Double {
        switch value {
        case .number(let x):
            return x
        case .string(let text):
            guard let seconds = Timestamp.parseRFC3339(text) else {
                throw LeadError(path: path, message: "expected RFC 3339 date-time with a zone, found \"\(text)\"")
            }
            return seconds
        default:
            throw LeadError(
                path: path, message: "expected RFC 3339 text or seconds since the epoch, found \(value.kindDescription)")
        }
    }
}

extension LeadValue {
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .string(let s): self = .string(s)
        case .number(let x): self = .number(x)
        case .bool(let b): self = .bool(b)
        case .array(let items):
            var texts: [String] = []
            texts.reserveCapacity(items.count)
            for item in items {
                guard case .string(let s) = item else {
                    self = .other
                    return
                }
                texts.append(s)
            }
            self = .strings(texts)
        case .object: self = .other
        }
    }
}
