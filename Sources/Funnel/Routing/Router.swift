/// Routes leads to teams and people by a routing document (SPEC §10), keeping
/// the state that rotation and load need.
///
/// ```swift
/// var router = try Router(model: model, routing: RoutingDefinition(json: routingText))
/// let result = try router.route(lead, at: now)     // team, owner or queue, and the teams skipped
/// try router.setAvailable("luis", false)
/// let saved = router.stateJSON                       // a funnel.roster/1 document
/// ```
///
/// A router is a value: copying one copies its state, and a call that throws
/// leaves it exactly as it was. It is not meant to be shared between threads
/// while it routes (use one per thread, or a lock).
public struct Router: Sendable {
    let routing: CompiledRouting
    var state: RouterState
    /// Scratch space reused by every lead: the eligible members of a team and
    /// each member's first failing condition (`SkipCode`).
    private var eligible: [Int] = []
    private var reasons: [SkipCode]

    /// Validates `routing` completely against `model` and compiles it; the
    /// state starts fresh (everyone available, no assignments).
    ///
    /// - Throws: ``RoutingError`` with every fault and its path in the routing document.
    public init(model: Model, routing: RoutingDefinition) throws(RoutingError) {
        self.routing = try RoutingCompiler.compile(routing, for: model)
        state = RouterState(self.routing)
        reasons = [SkipCode](repeating: .noMatch, count: self.routing.memberCount)
        eligible.reserveCapacity(self.routing.memberCount)
    }

    /// Reads, validates and compiles a `funnel.routing/1` document against `model`.
    ///
    /// - Throws: ``RoutingError`` with every fault, in document order.
    public init(model: Model, routingJSON text: String) throws(RoutingError) {
        try self.init(
            model: model, routingValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(text) })
    }

    /// Like ``init(model:routingJSON:)`` from UTF-8 bytes (invalid UTF-8 is a fault).
    public init(model: Model, routingJSONBytes bytes: [UInt8]) throws(RoutingError) {
        try self.init(
            model: model, routingValue: RoutingError.parsing { () throws(JSONParseError) in try JSONParser.parse(bytes) })
    }

    /// Reads and compiles a parsed routing document; faults come out in
    /// document order whichever check found them.
    package init(model: Model, routingValue value: JSONValue) throws(RoutingError) {
        do {
            try self.init(model: model, routing: RoutingDefinition(jsonValue: value))
        } catch {
            throw RoutingError(faults: error.faults.inDocumentOrder(of: value))
        }
    }

    /// The routing document this router follows.
    public var definition: RoutingDefinition { routing.definition }
    /// Every person of the routing document, in order of first appearance.
    public var people: [String] { routing.personIDs }
    /// The instant of the last lead routed (kept leads do not count); `nil` before the first.
    public var lastRoutedAt: Double? { state.lastAt == -.infinity ? nil : state.lastAt }

    /// Whether `person` is available; `nil` for a person the routing document does not name.
    public func isAvailable(_ person: String) -> Bool? {
        routing.personIndex[person].map { state.available[Int($0)] }
    }

    /// Marks `person` available or not; takes effect from the next lead.
    ///
    /// - Throws: ``RouteError`` with code ``RouteError/Code/unknownPerson``.
    public mutating func setAvailable(_ person: String, _ available: Bool) throws(RouteError) {
        guard let p = routing.personIndex[person] else {
            throw RouteError(code: .unknownPerson, message: "\"\(person)\" is not a member of any team")
        }
        state.available[Int(p)] = available
    }

    /// `person`'s load at `t`: their assignments in `(t − window, t]`, over all
    /// teams; `nil` for a person the routing document does not name. For a `t`
    /// earlier than the last routing instant the count may miss assignments
    /// that had already left the window then (they are forgotten).
    ///
    /// - Complexity: O(log n) in the person's assignments.
    public func load(of person: String, at t: Double) -> Int? {
        routing.personIndex[person].map { state.logs[Int($0)].peekLoad(at: t, window: routing.window) }
    }

    // MARK: Routing

    /// Routes one lead at `t` (seconds since the epoch), SPEC §10: a lead with
    /// an `owner` keeps it unless `reassign`; otherwise the first team whose
    /// `if` holds and that has an eligible member takes it.
    ///
    /// - Throws: ``RouteError``: the lead does not fit the model
    ///   (``RouteError/Code/invalidLead``), or `t` is not finite or earlier
    ///   than the last routing instant (``RouteError/Code/badInstant``). The
    ///   router is then unchanged.
    public mutating func route(_ lead: Lead, at t: Double, reassign: Bool = false) throws(RouteError) -> RouteResult {
        let leads = try Leads([lead], for: self)
        try check(t, clock: state.lastAt, index: nil)
        var scorer = Scorer(leads.batch, asOf: t)
        return route(lead: 0, of: leads, at: t, reassign: reassign, &scorer)
    }

    /// Routes `leads` in order, all at `t`: the same as routing them one by one.
    ///
    /// - Throws: ``RouteError`` (with ``RouteError/index``) for the first lead
    ///   that does not fit the model; nothing is routed then.
    public mutating func route(_ leads: [Lead], at t: Double, reassign: Bool = false) throws(RouteError) -> [RouteResult] {
        try route(Leads(leads, for: self), at: [Double](repeating: t, count: leads.count), reassign: reassign)
    }

    /// Routes leads ingested beforehand, lead `i` at `instants[i]`, in order:
    /// the same results as routing them one by one, but with no string work
    /// per lead beyond building its result.
    ///
    /// - Throws: ``RouteError`` when `instants` has the wrong length, or an
    ///   instant is not finite or goes backwards (``RouteError/index`` says
    ///   which lead); nothing is routed then.
    public mutating func route(_ leads: Leads, at instants: [Double], reassign: Bool = false) throws(RouteError)
        -> [RouteResult]
    {
        guard leads.routing === routing else {
            throw RouteError(code: .invalidLead, message: "these leads were ingested for another router")
        }
        guard instants.count == leads.count else {
            throw RouteError(
                code: .badInstant, message: "expected \(leads.count) instants, one per lead, found \(instants.count)")
        }
        if let failure = firstBadInstant(leads, instants, reassign: reassign) { throw failure }
        return routePrefix(leads, instants, upTo: leads.count, reassign: reassign)
    }

    /// Routes leads `0..<end` of `leads`, whose instants have been checked.
    mutating func routePrefix(_ leads: Leads, _ instants: [Double], upTo end: Int, reassign: Bool) -> [RouteResult] {
        var results: [RouteResult] = []
        results.reserveCapacity(end)
        guard end > 0 else { return results }
        var scorer = Scorer(leads.batch, asOf: instants[0])
        for i in 0..<end {
            if routing.readsScore && instants[i] != scorer.asOf { scorer = Scorer(leads.batch, asOf: instants[i]) }
            results.append(route(lead: i, of: leads, at: instants[i], reassign: reassign, &scorer))
        }
        return results
    }

    /// The first lead whose instant is not finite or earlier than the clock
    /// (which only routed leads move), as an error; `nil` when all are fine.
    func firstBadInstant(_ leads: Leads, _ instants: [Double], reassign: Bool) -> RouteError? {
        var clock = state.lastAt
        for i in 0..<min(instants.count, leads.count) {
            do {
                try check(instants[i], clock: clock, index: i)
            } catch {
                return error
            }
            if reassign || leads.owners[i] == nil { clock = instants[i] }
        }
        return nil
    }

    private func check(_ t: Double, clock: Double, index: Int?) throws(RouteError) {
        guard t.isFinite else {
            throw RouteError(code: .badInstant, message: "the routing instant must be a finite number of seconds", index: index)
        }
        guard t >= clock else {
            throw RouteError(
                code: .badInstant,
                message: "routing instants never go backwards: \(formatNumber(t)) is earlier than the last one, \(formatNumber(clock))",
                index: index)
        }
    }

    /// Routes lead `i` of `leads` at `t` (checked), SPEC §10. `scorer` reads
    /// `leads.batch` at `t` when a condition reads a score.
    private mutating func route(lead i: Int, of leads: Leads, at t: Double, reassign: Bool, _ scorer: inout Scorer)
        -> RouteResult
    {
        let id = leads.batch.ids[i]
        if !reassign, let owner = leads.owners[i] {
            return RouteResult(id: id, owner: owner, kept: true)
        }
        state.lastAt = t
        if routing.readsScore {
            _ = scorer.score(lead: i)
        } else {
            scorer.evaluator.begin(lead: i)
        }
        var skipped: [SkippedTeam] = []
        let window = routing.window
        // Local copies of the compiled arrays: one retain each per lead, not per member.
        let teamRoots = routing.teamRoots
        let memberStart = routing.memberStart
        let memberPerson = routing.memberPerson
        let memberRoots = routing.memberRoots
        let memberCapacities = routing.memberCapacities
        for team in 0..<teamRoots.count {
            let root = teamRoots[team]
            if root >= 0 && !scorer.evaluator.holds(root) { continue }
            let members = memberStart[team]..<memberStart[team + 1]
            eligible.removeAll(keepingCapacity: true)
            for m in members {
                let person = Int(memberPerson[m])
                let code: SkipCode
                if !state.available[person] {
                    code = .unavailable
                } else if memberRoots[m] >= 0 && !scorer.evaluator.holds(memberRoots[m]) {
                    code = .noMatch
                } else if memberCapacities[m] != Int.max
                    && state.logs[person].load(at: t, window: window) >= memberCapacities[m]
                {
                    code = .atCapacity
                } else {
                    eligible.append(m)
                    continue
                }
                reasons[m] = code
            }
            guard !eligible.isEmpty else {
                skipped.append(
                    SkippedTeam(
                        team: routing.teamIDs[team],
                        members: members.map { m in
                            SkippedMember(
                                routing.personIDs[Int(routing.memberPerson[m])], reasons[m].reason)
                        }))
                continue
            }
            let chosen = choose(team, at: t)
            let person = Int(routing.memberPerson[chosen])
            state.logs[person].append(t)
            state.teamLast[team] = Int32(chosen)
            return RouteResult(id: id, team: routing.teamIDs[team], owner: routing.personIDs[person], skipped: skipped)
        }
        return RouteResult(id: id, queue: routing.definition.otherwise, skipped: skipped)
    }

    /// The member of `team` that takes the lead, among `eligible` (non-empty,
    /// in list order), by the team's strategy; updates weighted state.
    private mutating func choose(_ team: Int, at t: Double) -> Int {
        switch routing.teamStrategies[team] {
        case .roundRobin:
            let last = Int(state.teamLast[team])
            return eligible.first { $0 > last } ?? eligible[0]
        case .weighted:
            var total = 0.0
            var best = eligible[0]
            var bestWeight = -Double.infinity
            for m in eligible {
                let weight = routing.memberWeights[m]
                total += weight
                state.current[m] += weight
                if state.current[m] > bestWeight {
                    bestWeight = state.current[m]
                    best = m
                }
            }
            state.current[best] -= total
            return best
        case .leastLoaded:
            var best = eligible[0]
            var bestRatio = Double.infinity
            for m in eligible {
                let load = state.logs[Int(routing.memberPerson[m])].load(at: t, window: routing.window)
                let ratio = Double(load) / routing.memberWeights[m]
                if ratio < bestRatio {
                    bestRatio = ratio
                    best = m
                }
            }
            return best
        }
    }
}

/// A member's first failing condition, as scratch space stores it.
private enum SkipCode: UInt8 {
    case unavailable = 1, noMatch, atCapacity

    var reason: SkipReason {
        switch self {
        case .unavailable: .unavailable
        case .noMatch: .noMatch
        case .atCapacity: .atCapacity
        }
    }
}

/// What a router remembers between leads (SPEC §10), by index.
struct RouterState: Sendable, Hashable {
    /// The instant of the last lead routed; −∞ before the first.
    var lastAt = -Double.infinity
    /// Per person.
    var available: [Bool]
    var logs: [AssignmentLog]
    /// Per team, the flat index of the member it assigned last; -1 for none.
    var teamLast: [Int32]
    /// Per member (flat), its current weight for smooth weighted round robin.
    var current: [Double]

    /// The fresh state: everyone available, nothing assigned.
    init(_ routing: CompiledRouting) {
        available = [Bool](repeating: true, count: routing.personIDs.count)
        logs = [AssignmentLog](repeating: AssignmentLog(), count: routing.personIDs.count)
        teamLast = [Int32](repeating: -1, count: routing.teamIDs.count)
        current = [Double](repeating: 0, count: routing.memberCount)
    }
}

extension Router {
    /// Leads ingested once for one router, ready to be routed (the fast path
    /// of ``Router/route(_:at:reassign:)-(Leads,_,_)``).
    public struct Leads: Sendable {
        let routing: CompiledRouting
        private(set) var batch: LeadBatch
        private(set) var owners: [String?]

        /// Ingests `leads` for `router`.
        ///
        /// - Throws: ``RouteError`` with code ``RouteError/Code/invalidLead``
        ///   and the lead's ``RouteError/index`` when one does not fit the model.
        public init(_ leads: [Lead], for router: Router) throws(RouteError) {
            routing = router.routing
            var batch = LeadBatch(model: routing.model)
            batch.keepsRuleSums = leads.count > 1
            var owners: [String?] = []
            owners.reserveCapacity(leads.count)
            for (i, lead) in leads.enumerated() {
                do {
                    try batch.append(lead)
                } catch {
                    throw RouteError.invalidLead(error, index: leads.count > 1 ? i : nil)
                }
                owners.append(lead.owner)
            }
            self.batch = batch
            self.owners = owners
        }

        /// No leads yet: for JSON Lines, ingested one at a time with
        /// ``append(_:)`` so that the lines before a bad one still count.
        init(routing: CompiledRouting) {
            self.routing = routing
            batch = LeadBatch(model: routing.model)
            owners = []
        }

        /// Adds one lead; on error nothing is added.
        mutating func append(_ lead: Lead) throws(LeadError) {
            try batch.append(lead)
            owners.append(lead.owner)
        }

        /// The number of leads.
        public var count: Int { owners.count }
        /// Their ids, in order.
        public var ids: [String] { batch.ids }
    }
}
