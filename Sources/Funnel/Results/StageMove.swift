/// One recorded move of a lead between stages: from, to, when, why and who.
public struct StageMove: Sendable, Hashable, Codable {
    /// The stage the lead left.
    public var from: String
    /// The stage it entered.
    public var to: String
    /// Seconds since the epoch.
    public var at: Double
    /// The reason named (a manual move) or the disqualifier that fired; `nil` otherwise.
    public var reason: String?
    /// Who moved it: `"auto"` for an advance, else the caller's name.
    public var by: String

    /// A move from `from` to `to` at `at`, with its reason and mover.
    public init(from: String, to: String, at: Double, reason: String?, by: String) {
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
        self.by = by
    }
}
