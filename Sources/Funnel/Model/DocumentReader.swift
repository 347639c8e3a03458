/// Reads a parsed JSON document into typed values, collecting every fault with
/// its path instead of stopping at the first.
struct DocumentReader {
    private var log = FaultLog()
    var faults: [ModelFault] { log.faults }

    mutating func fault(_ path: String, _ message: String) {
        log.fault(path, message)
    }

    /// The members of an object; faults for a non-object and for every key
    /// outside `allowed`.
    mutating func object(_ value: JSONValue, _ path: String, allowed: Set<String>) -> [JSONMember]? {
        guard case .object(let members) = value else {
            fault(path, "expected an object, found \(value.kindDescription)")
            return nil
        }
        for member in members where !allowed.contains(member.key) {
            fault(path.joined(member.key), "unknown field")
        }
        return members
    }

    /// The members of an object whose keys are names, not fields.
    mutating func entries(_ value: JSONValue, _ path: String) -> [JSONMember]? {
        guard case .object(let members) = value else {
            fault(path, "expected an object, found \(value.kindDescription)")
            return nil
        }
        return members
    }

    /// Object members looked up by key; faults for a missing required key.
    mutating func required(_ members: [JSONMember], _ key: String, _ path: String) -> JSONValue? {
        if let value = members.first(where: { $0.key == key })?.value { return value }
        fault(path.joined(key), "required field is missing")
        return nil
    }

    func optional(_ members: [JSONMember], _ key: String) -> JSONValue? {
        members.first(where: { $0.key == key })?.value
    }

    mutating func array(_ value: JSONValue, _ path: String) -> [JSONValue]? {
        guard case .array(let items) = value else {
            fault(path, "expected an array, found \(value.kindDescription)")
            return nil
        }
        return items
    }

    mutating func string(_ value: JSONValue, _ path: String, nonEmpty: Bool = false) -> String? {
        guard case .string(let text) = value else {
            fault(path, "expected a string, found \(value.kindDescription)")
            return nil
        }
        if nonEmpty && text.isEmpty {
            fault(path, "expected a non-empty string")
            return nil
        }
        return text
    }

    mutating func number(_ value: JSONValue, _ path: String) -> Double? {
        guard case .number(let x) = value else {
            fault(path, "expected a number, found \(value.kindDescription)")
            return nil
        }
        return x
    }

    mutating func bool(_ value: JSONValue, _ path: String) -> Bool? {
        guard case .bool(let b) = value else {
            fault(path, "expected true or false, found \(value.kindDescription)")
            return nil
        }
        return b
    }

    /// A string, or an array of strings (as in a transition's `to`).
    mutating func stringOrStrings(_ value: JSONValue, _ path: String) -> [String]? {
        switch value {
        case .string(let s):
            if s.isEmpty {
                fault(path, "expected a non-empty string")
                return nil
            }
            return [s]
        case .array(let items):
            var out: [String] = []
            for (i, item) in items.enumerated() {
                if let s = string(item, path.indexed(i), nonEmpty: true) { out.append(s) }
            }
            return out.count == items.count ? out : nil
        default:
            fault(path, "expected a string or an array of strings, found \(value.kindDescription)")
            return nil
        }
    }
}

extension String {
    /// `a.b` (or `b` at the root).
    func joined(_ key: String) -> String { isEmpty ? key : "\(self).\(key)" }
    /// `a[3]`.
    func indexed(_ index: Int) -> String { "\(self)[\(index)]" }
}
