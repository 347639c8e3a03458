/// What a criterion that does not hold lists as lacking, mirroring
/// `Evaluator.collectUnmet`, with each predicate described once: the parts of
/// an `all` in order, a named criterion's own steps, else the predicate's
/// description as `Text` (a `String` for ``ScoreResult``, escaped JSON bytes
/// for the result writer), so that both explain a lead the same way.
struct LackingStep<Text: Sendable>: Sendable {
    enum Kind: Sendable {
        /// The steps of an `all`'s parts.
        case all([LackingStep])
        /// The steps of criterion `index` (in the criteria's order).
        case criterion(Int)
        /// The predicate's description.
        case part(Text)
    }
    /// The node whose truth decides whether anything is lacking here.
    let node: Int32
    let kind: Kind

    init(
        _ node: Int32, _ predicate: Predicate, nodes: Column<PredicateNode>, children: Column<Int32>,
        describe: (Predicate) -> Text
    ) {
        self.node = node
        switch (predicate, nodes[Int(node)]) {
        case (.all(let parts), .all(let range)):
            kind = .all(
                parts.enumerated().map { k, part in
                    LackingStep(children[Int(range.start) + k], part, nodes: nodes, children: children, describe: describe)
                })
        case (.criterion, .criterion(let index)):
            kind = .criterion(Int(index))
        default:
            kind = .part(describe(predicate))
        }
    }
}
