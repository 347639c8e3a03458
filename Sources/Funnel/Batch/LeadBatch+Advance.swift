extension LeadBatch {
    /// Advances every lead at `asOf`, in order, on `threads` threads: the
    /// results `funnel_advance_jsonl` writes one a line.
    ///
    /// - Returns: `nil` when the model has no stages.
    public func advance(at asOf: Double, threads: Int = defaultThreadCount) -> [AdvanceResult]? {
        guard let stages = model.stages else { return nil }
        let leadStages = self.stages
        return collect(at: asOf, threads: threads) { scorer, i in
            _ = scorer.score(lead: i)
            let start = stages.start(i < leadStages.count ? leadStages[i] : -1)
            return stages.advance(scorer.evaluator.leadID, from: start, at: asOf, &scorer)
        }
    }
}
