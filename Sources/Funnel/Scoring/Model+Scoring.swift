extension Model {
    /// Scores one lead at `asOf` (seconds since the epoch), explained. The C ABI's
    /// `funnel_score_json`.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model's declarations.
    ///
    /// A scratch of this model's (see ``OneLeadPool``) holds the lead's
    /// columns and the result's arrays from call to call, so a caller that
    /// lets go of each result before the next call allocates nothing.
    public func score(_ lead: Lead, at asOf: Double) throws(LeadError) -> ScoreResult {
        try withOneLeadScratch { scratch throws(LeadError) in try scratch.score(lead, at: asOf) }
    }

    /// ``score(_:at:)`` the plain way, in a batch of its own: what the
    /// one-lead path must give, for tests to compare.
    package func referenceScore(_ lead: Lead, at asOf: Double) throws(LeadError) -> ScoreResult {
        var batch = LeadBatch(model: self)
        batch.keepsRuleSums = false
        try batch.append(lead)
        var scorer = Scorer(batch, asOf: asOf)
        return scorer.result(lead: 0)
    }

    /// Scores many leads on every core, explained, in order: what
    /// `funnel_score_jsonl` does with lead documents.
    ///
    /// - Throws: ``LeadBatchError`` naming the first lead that does not fit.
    public func score(_ leads: [Lead], at asOf: Double, threads: Int = defaultThreadCount) throws(LeadBatchError)
        -> [ScoreResult]
    {
        try LeadBatch(model: self, leads: leads).results(at: asOf, threads: threads)
    }
}
