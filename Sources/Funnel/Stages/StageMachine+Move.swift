extension StageMachine {
    /// Checks a manual move from stage `start` to the stage named `target`
    /// (SPEC §5) and returns the move to record.
    ///
    /// - Throws: ``MoveError``: unknown stage, no transition, guard not met
    ///   (with the unmet parts), reason missing or not allowed.
    func move(
        from start: Int32, to target: String, reason: String?, by actor: String, at asOf: Double,
        _ oracle: inout some StageOracle
    ) throws(MoveError) -> StageMove {
        guard let to = index[target] else { throw .unknownStage(target) }
        let from = ids[Int(start)]
        guard let edge = edge(from: start, to: to) else {
            throw .transitionNotAllowed(from: from, to: target)
        }
        if !requiresHold(to, &oracle) {
            let unmet = list[Int(to)].requires.map { oracle.unmet(requires[Int(to)], $0) } ?? []
            throw .guardNotMet(stage: target, unmet: unmet)
        }
        guard edge.accepts(reason) else {
            if let reason { throw .reasonNotAllowed(reason, allowed: edge.allowedReasons) }
            throw .reasonRequired(allowed: edge.allowedReasons)
        }
        return StageMove(from: from, to: target, at: asOf, reason: reason, by: actor)
    }
}
