/// What advancing a lead decided (SPEC §5): where it ends and how it got there.
/// ``json`` is what `funnel_advance_json` (and `funnel_move_json`, with one
/// move) returns.
public struct AdvanceResult: Sendable, Hashable, Codable {
    /// The lead's id.
    public var id: String
    /// The stage the lead ends in.
    public var stage: String
    /// Every move, in order; empty when the lead stays.
    public var moves: [StageMove]
    /// The instant of the last move into a stage that resets behaviour
    /// (SPEC §13), which the host stores as the lead's `behavior_since`;
    /// `nil` when no move entered one.
    public var behaviorSince: Double?

    /// Lead `id` ends in `stage` after `moves`.
    public init(id: String, stage: String, moves: [StageMove], behaviorSince: Double? = nil) {
        self.id = id
        self.stage = stage
        self.moves = moves
        self.behaviorSince = behaviorSince
    }
}
