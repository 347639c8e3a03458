/// A routing document as written: the Swift form of `funnel.routing/1`
/// (SPEC §10). Which team, and which person in it, takes a lead.
///
/// A definition is plain data and may be wrong; ``Router/init(model:routing:)``
/// validates it completely against a model and compiles it.
public struct RoutingDefinition: Sendable, Hashable {
    /// The format tag every routing document carries.
    public static let format = "funnel.routing/1"

    /// Assignments older than this many days no longer count towards a
    /// person's load (> 0; default 30).
    public var capacityWindowDays: Double
    /// Tried in order; the first with an eligible member takes the lead.
    public var teams: [RoutingTeam]
    /// The queue of a lead no team takes (`nil`: none).
    public var otherwise: String?

    public init(capacityWindowDays: Double = 30, teams: [RoutingTeam], otherwise: String? = nil) {
        self.capacityWindowDays = capacityWindowDays
        self.teams = teams
        self.otherwise = otherwise
    }
}

/// One team: when it takes leads, how it picks among its members, and who they are.
public struct RoutingTeam: Sendable, Hashable {
    public var id: String
    /// The team is tried only for leads this holds for (`nil`: every lead).
    public var predicate: Predicate?
    public var strategy: RoutingStrategy
    /// Non-empty, unique ids, in the order round robin and ties follow.
    public var members: [RoutingMember]

    public init(_ id: String, if predicate: Predicate? = nil, strategy: RoutingStrategy = .roundRobin,
                members: [RoutingMember]) {
        self.id = id
        self.predicate = predicate
        self.strategy = strategy
        self.members = members
    }
}

/// A person's place in a team. The same person (id) may be in several teams;
/// availability and load are the person's, over all of them.
public struct RoutingMember: Sendable, Hashable {
    /// The person's id: what a route result names as `owner`.
    public var id: String
    /// The member takes only leads this holds for (`nil`: every lead).
    public var predicate: Predicate?
    /// A finite number > 0 (default 1), for `weighted` and `least_loaded`.
    public var weight: Double
    /// The most assignments the person may have in the capacity window while
    /// taking leads for this team (≥ 0; `nil`: no limit).
    public var capacity: Int?

    public init(_ id: String, if predicate: Predicate? = nil, weight: Double = 1, capacity: Int? = nil) {
        self.id = id
        self.predicate = predicate
        self.weight = weight
        self.capacity = capacity
    }
}

/// How a team picks among its eligible members (SPEC §10).
public enum RoutingStrategy: String, Sendable, Hashable, CaseIterable {
    /// The first eligible member after the team's last person, wrapping around.
    case roundRobin = "round_robin"
    /// Smooth weighted round robin over the eligible members.
    case weighted
    /// The eligible member with the smallest load ÷ weight (the first on ties).
    case leastLoaded = "least_loaded"
}
