/// What a ``StageMachine`` asks about one lead at one instant.
///
/// The scorer answers for a scored lead; another capability (routing, a
/// report replaying history) can answer from what it knows.
protocol StageOracle {
    /// Whether the model's predicate rooted at `root` holds for the lead.
    mutating func holds(_ root: Int32) -> Bool
    /// The id of the first disqualifier, in model order, that holds; `nil` when none.
    mutating func firstDisqualifier() -> String?
    /// The parts of the predicate rooted at `root` (written as `predicate`)
    /// that the lead lacks, as predicates.
    mutating func unmet(_ root: Int32, _ predicate: Predicate) -> [String]
    /// The lead entered a stage that resets behaviour at `since` (SPEC §13):
    /// from now on, events before `since` no longer count.
    mutating func resetBehavior(since: Double)
}

extension StageOracle {
    /// An oracle that does not score (routing, a report replaying history)
    /// has no behaviour to forget.
    mutating func resetBehavior(since: Double) {}
}
