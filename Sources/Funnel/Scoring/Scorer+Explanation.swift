extension Scorer {
    /// Scores lead `lead` and explains the score.
    mutating func result(lead: Int) -> ScoreResult {
        let (fit, behavior) = score(lead: lead)
        let model = evaluator.model
        let definition = model.definition
        var contributions: [Contribution] = []
        for (r, rule) in definition.scoring.fit.enumerated() where fitHit(r) {
            contributions.append(Contribution(rule: rule.id, kind: .fit, points: rule.points, events: 0))
        }
        for (r, rule) in definition.scoring.behavior.enumerated() where ruleHits(r) > 0 {
            contributions.append(
                Contribution(rule: rule.id, kind: .behavior, points: cappedTotal(r), events: ruleHits(r)))
        }
        var criteria: [CriterionResult] = []
        for (i, criterion) in definition.criteria.enumerated() {
            let holds = evaluator.criterion(i)
            var lacking: [String] = []
            if !holds { evaluator.collectUnmet(model.criterionRoots[i], criterion.predicate, into: &lacking) }
            criteria.append(CriterionResult(name: criterion.name, holds: holds, lacking: lacking))
        }
        var disqualifiedBy: [String] = []
        for (i, disqualifier) in definition.disqualifiers.enumerated()
        where evaluator.holds(model.disqualifierRoots[i]) {
            disqualifiedBy.append(disqualifier.id)
        }
        return ScoreResult(
            id: evaluator.leadID, fit: fit, behavior: behavior, total: fit + behavior,
            grade: model.scoring.grades.name(fit),
            criteria: criteria, disqualifiedBy: disqualifiedBy, contributions: contributions)
    }
}
