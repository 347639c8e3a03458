extension LeadBatch {
    /// Every lead's full, explained score (SPEC §7), in order.
    public func results(at asOf: Double, threads: Int = defaultThreadCount) -> [ScoreResult] {
        collect(at: asOf, threads: threads) { scorer, i in scorer.result(lead: i) }
    }

    /// Runs `body` for every lead with a per-thread scorer and gathers the
    /// results in order.
    func collect<T: Sendable>(
        at asOf: Double, threads: Int, _ body: @Sendable (inout Scorer, Int) -> T
    ) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        nonisolated(unsafe) let out = slots
        let batch = self
        inParallel(count: count, threads: threads) { next in
            var scorer = Scorer(batch, asOf: asOf)
            while let range = next() {
                for i in range { out[i] = body(&scorer, i) }
            }
        }
        return slots.compactMap { $0 }
    }
}

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
        let grade = model.gradeIndex(fit)
        return ScoreResult(
            id: evaluator.leadID, fit: fit, behavior: behavior, total: fit + behavior,
            grade: grade >= 0 ? definition.scoring.grades[Int(grade)].grade : nil,
            criteria: criteria, disqualifiedBy: disqualifiedBy, contributions: contributions)
    }
}

extension Model {
    /// Scores one lead at `asOf` (seconds since the epoch), explained.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model's declarations.
    public func score(_ lead: Lead, at asOf: Double) throws(LeadError) -> ScoreResult {
        var batch = LeadBatch(model: self)
        batch.keepsRuleSums = false
        try batch.append(lead)
        var scorer = Scorer(batch, asOf: asOf)
        return scorer.result(lead: 0)
    }

    /// Scores many leads on every core, explained, in order.
    ///
    /// - Throws: ``LeadBatchError`` naming the first lead that does not fit.
    public func score(_ leads: [Lead], at asOf: Double, threads: Int = defaultThreadCount) throws(LeadBatchError)
        -> [ScoreResult]
    {
        try LeadBatch(model: self, leads: leads).results(at: asOf, threads: threads)
    }
}
