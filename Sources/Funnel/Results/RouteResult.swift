/// What routing one lead decided (SPEC §10): the team and person who take it,
/// or the queue it waits in, and the teams passed over on the way.
///
/// Codable in the Swift value's own shape; ``json`` writes the SPEC §10 document.
public struct RouteResult: Sendable, Hashable, Codable {
    /// The lead's id.
    public var id: String
    /// The team that took the lead; `nil` when none did or the lead kept its owner.
    public var team: String?
    /// The person who owns the lead now; `nil` when no team took it.
    public var owner: String?
    /// The routing document's `otherwise` when no team took the lead; `nil` whenever `owner` is set.
    public var queue: String?
    /// True when the lead kept the owner its document named.
    public var kept: Bool
    /// Teams whose `if` held but which had no eligible member, in document order.
    public var skipped: [SkippedTeam]

    public init(
        id: String, team: String? = nil, owner: String? = nil, queue: String? = nil, kept: Bool = false,
        skipped: [SkippedTeam] = []
    ) {
        self.id = id
        self.team = team
        self.owner = owner
        self.queue = queue
        self.kept = kept
        self.skipped = skipped
    }
}

/// A team passed over for want of an eligible member, and why each member was not.
public struct SkippedTeam: Sendable, Hashable, Codable {
    public var team: String
    /// Every member of the team, in list order, with its first failing condition.
    public var members: [SkippedMember]

    public init(team: String, members: [SkippedMember]) {
        self.team = team
        self.members = members
    }

    /// The reason for member `id`, if it is one of this team's.
    public func reason(_ id: String) -> SkipReason? { members.first { $0.id == id }?.reason }
}

/// One member of a skipped team and its first failing condition.
public struct SkippedMember: Sendable, Hashable, Codable {
    public var id: String
    public var reason: SkipReason

    public init(_ id: String, _ reason: SkipReason) {
        self.id = id
        self.reason = reason
    }
}

/// Why a member could not take a lead, checked in this order (SPEC §10).
public enum SkipReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The person is marked unavailable.
    case unavailable
    /// The member's `if` does not hold for the lead.
    case noMatch = "no match"
    /// The person's load in the capacity window has reached the member's capacity.
    case atCapacity = "at capacity"
}
