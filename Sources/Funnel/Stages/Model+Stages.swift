extension Model {
    /// Advances one lead at `asOf` (SPEC §5): disqualification first, then the
    /// automatic entries, chained. The C ABI's `funnel_advance_json`.
    ///
    /// - Throws: ``MoveError`` with code ``MoveError/Code/noStages`` or
    ///   ``MoveError/Code/invalidLead``.
    public func advance(_ lead: Lead, at asOf: Double) throws(MoveError) -> AdvanceResult {
        let (stages, batch) = try stagedBatch(lead)
        var scorer = Scorer(batch, asOf: asOf)
        _ = scorer.score(lead: 0)
        return stages.advance(lead.id, from: stages.start(batch.stages[0]), at: asOf, &scorer)
    }

    /// Advances `lead` and records where it ends: `lead.stage` becomes the new
    /// stage, and `lead.behaviorSince` the result's when a move reset behaviour.
    /// `funnel_advance_json` for a host that keeps the lead.
    @discardableResult
    public func advance(_ lead: inout Lead, at asOf: Double) throws(MoveError) -> AdvanceResult {
        let result = try advance(lead, at: asOf)
        lead.stage = result.stage
        if let since = result.behaviorSince { lead.behaviorSince = since }
        return result
    }

    /// Whether entering stage `stage` resets behaviour (SPEC §13); false for an
    /// unknown stage or a model without stages.
    public func resetsBehavior(_ stage: String) -> Bool {
        guard let stages = compiled.stages, let index = stages.index[stage] else { return false }
        return stages.list[Int(index)].resetsBehavior
    }

    /// Checks a manual move of `lead` to `stage` and returns the move to
    /// record. The C ABI's `funnel_move_json`.
    ///
    /// - Throws: ``MoveError``: unknown stage, no transition, guard not met
    ///   (with the unmet parts), reason missing or not allowed.
    public func move(
        _ lead: Lead, to stage: String, reason: String? = nil, by actor: String, at asOf: Double
    ) throws(MoveError) -> StageMove {
        let (stages, batch) = try stagedBatch(lead)
        var scorer = Scorer(batch, asOf: asOf)
        _ = scorer.score(lead: 0)
        return try stages.move(
            from: stages.start(batch.stages[0]), to: stage, reason: reason, by: actor, at: asOf, &scorer)
    }

    /// Moves `lead` to `stage` (setting `lead.behaviorSince` to `asOf` when the
    /// stage resets behaviour); on any refusal `lead` is left exactly as it was.
    /// `funnel_move_json` for a host that keeps the lead.
    @discardableResult
    public func move(
        _ lead: inout Lead, to stage: String, reason: String? = nil, by actor: String, at asOf: Double
    ) throws(MoveError) -> StageMove {
        let move = try self.move(lead, to: stage, reason: reason, by: actor, at: asOf)
        lead.stage = move.to
        if resetsBehavior(move.to) { lead.behaviorSince = asOf }
        return move
    }

    /// The model's stages and a one-lead batch holding `lead`.
    private func stagedBatch(_ lead: Lead) throws(MoveError) -> (StageMachine, LeadBatch) {
        guard let stages = compiled.stages else { throw .noStages }
        var batch = LeadBatch(model: self)
        batch.keepsRuleSums = false
        do {
            try batch.append(lead)
        } catch {
            throw .invalidLead(error)
        }
        return (stages, batch)
    }
}
