extension LeadBatch {
    /// Every lead's full, explained score (SPEC §7), in order: the results
    /// `funnel_score_jsonl` writes one a line.
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
