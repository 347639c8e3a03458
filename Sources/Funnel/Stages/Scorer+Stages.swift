extension Scorer {
    /// Advances lead `lead` (SPEC §5): disqualification first, then automatic
    /// entries, chained, never entering a stage twice.
    mutating func advance(lead: Int, stages: CompiledStages, start: Int32) -> AdvanceResult {
        _ = score(lead: lead)
        let model = evaluator.model
        var current = start
        var moves: [StageMove] = []
        func record(_ to: Int32, _ reason: String?) {
            moves.append(
                StageMove(
                    from: stages.ids[Int(current)], to: stages.ids[Int(to)], at: asOf, reason: reason, by: "auto"))
            current = to
        }
        if let fired = model.disqualifierRoots.indices.first(where: { evaluator.holds(model.disqualifierRoots[$0]) }) {
            let target = stages.edges[Int(current)].first { edge in
                stages.outcomes[Int(edge.to)] == .disqualified && requiresHold(edge.to, stages)
            }
            if let target {
                record(target.to, model.definition.disqualifiers[fired].id)
                return AdvanceResult(id: evaluator.leadID, stage: stages.ids[Int(current)], moves: moves)
            }
        }
        var visited: Set<Int32> = [current]
        while let next = stages.edges[Int(current)].first(where: { edge in
            let root = stages.enterWhen[Int(edge.to)]
            return !visited.contains(edge.to) && root >= 0 && evaluator.holds(root) && requiresHold(edge.to, stages)
        }) {
            visited.insert(next.to)
            record(next.to, nil)
        }
        return AdvanceResult(id: evaluator.leadID, stage: stages.ids[Int(current)], moves: moves)
    }

    mutating func requiresHold(_ stage: Int32, _ stages: CompiledStages) -> Bool {
        let root = stages.requires[Int(stage)]
        return root < 0 || evaluator.holds(root)
    }

    /// Checks a manual move of lead `lead` from `start` to `target` (SPEC §5).
    mutating func move(
        lead: Int, stages: CompiledStages, start: Int32, to target: String, reason: String?, by actor: String
    ) throws(MoveError) -> StageMove {
        guard let to = stages.index[target] else { throw MoveError(.unknownStage(target)) }
        let from = stages.ids[Int(start)]
        guard let edge = stages.edge(from: start, to: to) else {
            throw MoveError(.transitionNotAllowed(from: from, to: target))
        }
        _ = score(lead: lead)
        let root = stages.requires[Int(to)]
        if root >= 0, !evaluator.holds(root) {
            var unmet: [String] = []
            if let predicate = evaluator.model.definition.stages?.list[Int(to)].requires {
                evaluator.collectUnmet(root, predicate, into: &unmet)
            }
            throw MoveError(.guardNotMet(stage: target, unmet: unmet))
        }
        guard edge.accepts(reason) else {
            if let reason { throw MoveError(.reasonNotAllowed(reason, allowed: edge.allowedReasons)) }
            throw MoveError(.reasonRequired(allowed: edge.allowedReasons))
        }
        return StageMove(from: from, to: target, at: asOf, reason: reason, by: actor)
    }
}

extension LeadBatch {
    /// Advances every lead at `asOf`, in order.
    ///
    /// - Returns: `nil` when the model has no stages.
    public func advance(at asOf: Double, threads: Int = defaultThreadCount) -> [AdvanceResult]? {
        guard let stages = model.stages else { return nil }
        let leadStages = self.stages
        return collect(at: asOf, threads: threads) { scorer, i in
            let start = i < leadStages.count && leadStages[i] >= 0 ? leadStages[i] : stages.initial
            return scorer.advance(lead: i, stages: stages, start: start)
        }
    }
}

extension Model {
    /// Advances one lead at `asOf` (SPEC §5).
    ///
    /// - Throws: ``MoveError`` with kind `.noStages` or `.invalidLead`.
    public func advance(_ lead: Lead, at asOf: Double) throws(MoveError) -> AdvanceResult {
        guard let stages = compiled.stages else { throw MoveError(.noStages) }
        let batch = try oneLeadBatch(lead)
        var scorer = Scorer(batch, asOf: asOf)
        let start = batch.stages[0] >= 0 ? batch.stages[0] : stages.initial
        return scorer.advance(lead: 0, stages: stages, start: start)
    }

    /// Advances `lead` and records where it ends: `lead.stage` becomes the new stage.
    @discardableResult
    public func advance(_ lead: inout Lead, at asOf: Double) throws(MoveError) -> AdvanceResult {
        let result = try advance(lead, at: asOf)
        lead.stage = result.stage
        return result
    }

    /// Checks a manual move of `lead` to `stage` and returns the move to record.
    ///
    /// - Throws: ``MoveError``: unknown stage, no transition, guard not met
    ///   (with the unmet parts), reason missing or not allowed.
    public func move(
        _ lead: Lead, to stage: String, reason: String? = nil, by actor: String, at asOf: Double
    ) throws(MoveError) -> StageMove {
        guard let stages = compiled.stages else { throw MoveError(.noStages) }
        let batch = try oneLeadBatch(lead)
        var scorer = Scorer(batch, asOf: asOf)
        let start = batch.stages[0] >= 0 ? batch.stages[0] : stages.initial
        return try scorer.move(lead: 0, stages: stages, start: start, to: stage, reason: reason, by: actor)
    }

    /// Moves `lead` to `stage`; on any refusal `lead` is left exactly as it was.
    @discardableResult
    public func move(
        _ lead: inout Lead, to stage: String, reason: String? = nil, by actor: String, at asOf: Double
    ) throws(MoveError) -> StageMove {
        let move = try self.move(lead, to: stage, reason: reason, by: actor, at: asOf)
        lead.stage = move.to
        return move
    }

    private func oneLeadBatch(_ lead: Lead) throws(MoveError) -> LeadBatch {
        var batch = LeadBatch(model: self)
        batch.keepsRuleSums = false
        do {
            try batch.append(lead)
        } catch {
            throw MoveError(.invalidLead(error))
        }
        return batch
    }
}
