extension StageMachine {
    /// Advances a lead from stage `start` (SPEC §5): disqualification first,
    /// then automatic entries, chained, never entering a stage twice. Moves are
    /// `by: "auto"` at `asOf`.
    func advance(
        _ leadID: String, from start: Int32, at asOf: Double, _ oracle: inout some StageOracle
    ) -> AdvanceResult {
        var current = start
        var moves: [StageMove] = []
        var since: Double?
        func record(_ to: Int32, _ reason: String?) {
            moves.append(StageMove(from: ids[Int(current)], to: ids[Int(to)], at: asOf, reason: reason, by: "auto"))
            current = to
            if list[Int(to)].resetsBehavior {
                since = asOf
                oracle.resetBehavior(since: asOf)
            }
        }
        if let fired = oracle.firstDisqualifier() {
            let target = edges[Int(current)].first { edge in
                outcomes[Int(edge.to)] == .disqualified && requiresHold(edge.to, &oracle)
            }
            if let target {
                record(target.to, fired)
                return AdvanceResult(id: leadID, stage: ids[Int(current)], moves: moves, behaviorSince: since)
            }
        }
        var visited: Set<Int32> = [current]
        while let next = edges[Int(current)].first(where: { edge in
            let root = enterWhen[Int(edge.to)]
            return !visited.contains(edge.to) && root >= 0 && oracle.holds(root) && requiresHold(edge.to, &oracle)
        }) {
            visited.insert(next.to)
            record(next.to, nil)
        }
        return AdvanceResult(id: leadID, stage: ids[Int(current)], moves: moves, behaviorSince: since)
    }

    /// Whether stage `stage`'s guard (if any) holds.
    func requiresHold(_ stage: Int32, _ oracle: inout some StageOracle) -> Bool {
        let root = requires[Int(stage)]
        return root < 0 || oracle.holds(root)
    }
}
