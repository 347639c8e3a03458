/// A scorer answers a stage machine's questions about the lead it scored last
/// (``Scorer/score(lead:)`` first, so that `score` predicates can be read).
extension Scorer: StageOracle {
    mutating func holds(_ root: Int32) -> Bool {
        evaluator.holds(root)
    }

    mutating func firstDisqualifier() -> String? {
        let model = evaluator.model
        for i in 0..<model.disqualifierRoots.count where evaluator.holds(model.disqualifierRoots[i]) {
            return model.definition.disqualifiers[i].id
        }
        return nil
    }

    /// Scores the lead again without its events before `since`, so that the
    /// rest of the advance reads the new score.
    mutating func resetBehavior(since: Double) {
        self.since = since
        _ = score(lead: evaluator.lead)
        self.since = -.infinity
    }

    mutating func unmet(_ root: Int32, _ predicate: Predicate) -> [String] {
        var unmet: [String] = []
        evaluator.collectUnmet(root, predicate, into: &unmet)
        return unmet
    }
}
