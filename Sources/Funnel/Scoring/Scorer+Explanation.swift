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
        var groupContributes = [Bool](repeating: false, count: definition.scoring.groups.count)
        for (r, rule) in definition.scoring.behavior.enumerated() where ruleHits(r) > 0 {
            contributions.append(
                Contribution(rule: rule.id, kind: .behavior, points: cappedTotal(r), events: ruleHits(r)))
            let g = group(ofRule: r)
            if g >= 0 { groupContributes[g] = true }
        }
        var groups: [GroupTotal] = []
        for (g, group) in definition.scoring.groups.enumerated() where groupContributes[g] {
            groups.append(GroupTotal(group: group.id, points: groupTotal(g)))
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
        let scoring = model.scoring
        var result = ScoreResult(
            id: evaluator.leadID, fit: fit, behavior: behavior, total: evaluator.total,
            grade: scoring.grades.name(fit),
            criteria: criteria, disqualifiedBy: disqualifiedBy, contributions: contributions)
        result.groups = groups
        result.engagement = scoring.engagement.name(behavior)
        if let grade = result.grade, let engagement = result.engagement { result.priority = grade + engagement }
        return result
    }
}
