/// What advancing a lead decided (SPEC §5): where it ends and how it got there.
public struct AdvanceResult: Sendable, Hashable, Codable {
    public var id: String
    /// The stage the lead ends in.
    public var stage: String
    /// Every move, in order; empty when the lead stays.
    public var moves: [StageMove]

    public init(id: String, stage: String, moves: [StageMove]) {
        self.id = id
        self.stage = stage
        self.moves = moves
    }
}
