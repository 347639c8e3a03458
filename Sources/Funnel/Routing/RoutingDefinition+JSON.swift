extension RoutingDefinition {
    /// Reads a `funnel.routing/1` document's structure. Names (attributes,
    /// criteria) are checked when it is compiled against a model.
    ///
    /// - Throws: ``RoutingError`` listing every structural fault with its path.
    public init(json text: String) throws(RoutingError) {
        try self.init(jsonValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(text) })
    }

    /// Like ``init(json:)`` from raw UTF-8 bytes (invalid UTF-8 is a fault).
    public init(jsonBytes bytes: [UInt8]) throws(RoutingError) {
        try self.init(jsonValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(bytes) })
    }

    package init(jsonValue value: JSONValue) throws(RoutingError) {
        var reader = DocumentReader()
        let definition = reader.routing(value)
        if let definition, reader.faults.isEmpty {
            self = definition
        } else {
            throw RoutingError(faults: reader.faults.inDocumentOrder(of: value))
        }
    }
}

extension DocumentReader {
    mutating func routing(_ value: JSONValue) -> RoutingDefinition? {
        let keys: Set = ["format", "capacity_window_days", "teams", "otherwise"]
        guard let members = object(value, "", allowed: keys) else { return nil }
        var routing = RoutingDefinition(teams: [])
        if let format = required(members, "format", ""), let text = string(format, "format") {
            if text != RoutingDefinition.format {
                fault("format", "expected \"\(RoutingDefinition.format)\", found \"\(text)\"")
            }
        }
        if let raw = optional(members, "capacity_window_days"),
            let days = number(raw, "capacity_window_days")
        {
            routing.capacityWindowDays = days
        }
        if let raw = optional(members, "otherwise"), raw != .null {
            routing.otherwise = string(raw, "otherwise")
        }
        if let raw = required(members, "teams", ""), let items = array(raw, "teams") {
            for (i, item) in items.enumerated() {
                if let team = routingTeam(item, "teams".indexed(i)) { routing.teams.append(team) }
            }
        }
        return routing
    }

    private mutating func routingTeam(_ value: JSONValue, _ path: String) -> RoutingTeam? {
        guard let fields = object(value, path, allowed: ["id", "if", "strategy", "members"]) else { return nil }
        let id = required(fields, "id", path).flatMap { string($0, path.joined("id"), nonEmpty: true) }
        var test: Predicate?
        var testOK = true
        if let raw = optional(fields, "if") {
            test = predicate(raw, path.joined("if"))
            testOK = test != nil
        }
        var strategy = RoutingStrategy.roundRobin
        if let raw = optional(fields, "strategy"), let text = string(raw, path.joined("strategy")) {
            if let known = RoutingStrategy(rawValue: text) {
                strategy = known
            } else {
                fault(path.joined("strategy"), "unknown strategy \"\(text)\" (expected round_robin, weighted or least_loaded)")
            }
        }
        var members: [RoutingMember] = []
        if let raw = required(fields, "members", path), let items = array(raw, path.joined("members")) {
            for (j, item) in items.enumerated() {
                if let member = routingMember(item, path.joined("members").indexed(j)) { members.append(member) }
            }
        }
        guard let id, testOK else { return nil }
        return RoutingTeam(id, if: test, strategy: strategy, members: members)
    }

    private mutating func routingMember(_ value: JSONValue, _ path: String) -> RoutingMember? {
        guard let fields = object(value, path, allowed: ["id", "if", "weight", "capacity"]) else { return nil }
        let id = required(fields, "id", path).flatMap { string($0, path.joined("id"), nonEmpty: true) }
        var member = RoutingMember("")
        var ok = id != nil
        if let raw = optional(fields, "if") {
            member.predicate = predicate(raw, path.joined("if"))
            ok = ok && member.predicate != nil
        }
        if let raw = optional(fields, "weight") {
            if let weight = number(raw, path.joined("weight")) { member.weight = weight } else { ok = false }
        }
        if let raw = optional(fields, "capacity"), raw != .null {
            if let x = number(raw, path.joined("capacity")) {
                // Exact integers only; the range keeps the conversion from trapping.
                if x >= 0, x <= Double(Int32.max), x == Double(Int(x)) {
                    member.capacity = Int(x)
                } else {
                    fault(path.joined("capacity"), "expected a whole number from 0 to \(Int32.max), found \(formatNumber(x))")
                    ok = false
                }
            } else {
                ok = false
            }
        }
        guard let id, ok else { return nil }
        member.id = id
        return member
    }
}
