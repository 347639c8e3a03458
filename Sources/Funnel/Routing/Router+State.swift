// The router's state as a `funnel.roster/1` document (SPEC §10), written and
// read back so that routing can stop and go on exactly where it was.
//
//   {"format": "funnel.roster/1", "last_at": 1795000000,
//    "people": {"maria": {"available": true, "assigned": [1795000000]}},
//    "teams": {"iberia": {"last": "maria", "current": {"maria": 0, "joao": 0}}}}
//
// `last_at` extends the SPEC document: the instant of the last lead routed, so
// that a router read back refuses the same earlier instants as the one that
// wrote it (absent or null: none; read back as the latest of it and every
// assignment). `assigned` lists only the assignments still inside the capacity
// window at `last_at`: the older ones can never count again, because routing
// instants never go backwards.

extension Router {
    /// The format tag of a state document.
    public static let stateFormat = "funnel.roster/1"

    /// A router whose state is read from a `funnel.roster/1` document (`nil`: fresh).
    ///
    /// - Throws: ``RoutingError`` for the routing document's faults, or the
    ///   state document's, each at its path.
    public init(model: Model, routing: RoutingDefinition, stateJSON: String?) throws(RoutingError) {
        try self.init(model: model, routing: routing)
        if let stateJSON { try restoreState(json: stateJSON) }
    }

    /// The state as a `funnel.roster/1` document: every person of the routing
    /// document (availability, assignments inside the window) and every team
    /// (last person, current weights), in document order.
    public var stateJSON: String {
        let routing = self.routing
        let state = self.state
        return JSONWriter.document(reservingCapacity: 256) { w in
            w.writeRaw("{\"format\":")
            w.writeString(Router.stateFormat)
            w.writeRaw(",\"last_at\":")
            if state.lastAt == -.infinity { w.writeNull() } else { w.writeNumber(state.lastAt) }
            w.writeRaw(",\"people\":{")
            for (p, person) in routing.personIDs.enumerated() {
                if p > 0 { w.writeRaw(",") }
                w.writeString(person)
                w.writeRaw(":{\"available\":")
                w.writeBool(state.available[p])
                w.writeRaw(",\"assigned\":[")
                let log = state.logs[p]
                let live = state.lastAt == -.infinity
                    ? log.instants[log.head...] : log.live(at: state.lastAt, window: routing.window)
                for (k, instant) in live.enumerated() {
                    if k > 0 { w.writeRaw(",") }
                    w.writeNumber(instant)
                }
                w.writeRaw("]}")
            }
            w.writeRaw("},\"teams\":{")
            for t in 0..<routing.teamIDs.count {
                if t > 0 { w.writeRaw(",") }
                w.writeString(routing.teamIDs[t])
                w.writeRaw(":{\"last\":")
                let last = Int(state.teamLast[t])
                if last >= 0 { w.writeString(routing.personIDs[Int(routing.memberPerson[last])]) } else { w.writeNull() }
                w.writeRaw(",\"current\":{")
                for m in routing.memberStart[t]..<routing.memberStart[t + 1] {
                    if m > routing.memberStart[t] { w.writeRaw(",") }
                    w.writeString(routing.personIDs[Int(routing.memberPerson[m])])
                    w.writeRaw(":")
                    w.writeNumber(state.current[m])
                }
                w.writeRaw("}}")
            }
            w.writeRaw("}}")
        }
    }

    /// Replaces the state with the one a `funnel.roster/1` document holds.
    /// People and teams the routing document does not name are ignored (their
    /// entries must still be well formed), and so is a team's `last` or a
    /// current weight naming someone who is not a member of that team.
    ///
    /// - Throws: ``RoutingError`` with every fault at its path; the state is
    ///   then unchanged.
    public mutating func restoreState(json text: String) throws(RoutingError) {
        try restoreState(jsonValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(text) })
    }

    /// Like ``restoreState(json:)`` from UTF-8 bytes (invalid UTF-8 is a fault).
    public mutating func restoreState(jsonBytes bytes: [UInt8]) throws(RoutingError) {
        try restoreState(jsonValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(bytes) })
    }

    package mutating func restoreState(jsonValue value: JSONValue) throws(RoutingError) {
        var reader = DocumentReader()
        let state = reader.roster(value, routing)
        guard let state, reader.faults.isEmpty else {
            throw RoutingError(faults: reader.faults.inDocumentOrder(of: value))
        }
        self.state = state
    }
}

extension DocumentReader {
    mutating func roster(_ value: JSONValue, _ routing: CompiledRouting) -> RouterState? {
        guard let members = object(value, "", allowed: ["format", "last_at", "people", "teams"]) else { return nil }
        var state = RouterState(routing)
        if let format = required(members, "format", ""), let text = string(format, "format") {
            if text != Router.stateFormat {
                fault("format", "expected \"\(Router.stateFormat)\", found \"\(text)\"")
            }
        }
        var lastAt = -Double.infinity
        if let raw = optional(members, "last_at"), raw != .null, let t = instant(raw, "last_at") {
            lastAt = t
        }
        if let raw = optional(members, "people"), let people = entries(raw, "people") {
            for entry in people {
                let path = "people".joined(entry.key)
                guard let fields = object(entry.value, path, allowed: ["available", "assigned"]) else { continue }
                var available = true
                if let raw = optional(fields, "available"), let flag = bool(raw, path.joined("available")) {
                    available = flag
                }
                var instants: [Double] = []
                if let raw = optional(fields, "assigned"), let items = array(raw, path.joined("assigned")) {
                    for (k, item) in items.enumerated() {
                        if let t = instant(item, path.joined("assigned").indexed(k)) { instants.append(t) }
                    }
                }
                guard let p = routing.personIndex[entry.key] else { continue }
                state.available[Int(p)] = available
                state.logs[Int(p)] = AssignmentLog(instants)
                if let latest = instants.max() { lastAt = max(lastAt, latest) }
            }
        }
        if let raw = optional(members, "teams"), let teams = entries(raw, "teams") {
            for entry in teams {
                let path = "teams".joined(entry.key)
                guard let fields = object(entry.value, path, allowed: ["last", "current"]) else { continue }
                let team = routing.teamIndex[entry.key]
                if let raw = optional(fields, "last"), raw != .null,
                    let person = string(raw, path.joined("last"), nonEmpty: true),
                    let team, let m = routing.member(ofTeam: team, person: person)
                {
                    state.teamLast[team] = Int32(m)
                }
                if let raw = optional(fields, "current"), let weights = entries(raw, path.joined("current")) {
                    for weight in weights {
                        let weightPath = path.joined("current").joined(weight.key)
                        guard let x = number(weight.value, weightPath) else { continue }
                        guard x.isFinite else {
                            fault(weightPath, "expected a finite number")
                            continue
                        }
                        if let team, let m = routing.member(ofTeam: team, person: weight.key) { state.current[m] = x }
                    }
                }
            }
        }
        state.lastAt = lastAt
        return state
    }

    /// A finite instant: seconds since the epoch or RFC 3339 text with a zone.
    private mutating func instant(_ value: JSONValue, _ path: String) -> Double? {
        switch value {
        case .number(let x) where x.isFinite:
            return x
        case .string(let text):
            if let t = Timestamp.parseRFC3339(text) { return t }
            fault(path, "expected RFC 3339 date-time with a zone, found \"\(text)\"")
            return nil
        default:
            fault(path, "expected a finite number of seconds since the epoch or RFC 3339 text, found \(value.kindDescription)")
            return nil
        }
    }
}
