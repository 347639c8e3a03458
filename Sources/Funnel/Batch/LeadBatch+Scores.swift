import Synchronization

extension LeadBatch {
    /// Scores every lead at `asOf` (seconds since the epoch) on `threads` threads.
    /// The C ABI's `funnel_batch_score` (every core) and `funnel_batch_score_threads`.
    ///
    /// - Complexity: O(leads × (fit rules + behaviour rules) + the events of the
    ///   leads that must walk them), split across threads.
    public func scores(at asOf: Double, threads: Int = defaultThreadCount) -> BatchScores {
        // Uninitialised: the scoring threads write every element, each its own
        // chunk, so the pages are first touched in parallel and written once.
        // Not for 0 elements: that initialiser then writes the count of the
        // shared empty-array storage (0 over 0), which ThreadSanitizer reports
        // as a race with every thread reading an empty array.
        var (fit, behavior, total, grade): ([Double], [Double], [Double], [Int32]) = ([], [], [], [])
        if count > 0 {
            fit = [Double](unsafeUninitializedCapacity: count) { fitOut, fitCount in
                behavior = [Double](unsafeUninitializedCapacity: count) { behaviorOut, behaviorCount in
                    total = [Double](unsafeUninitializedCapacity: count) { totalOut, totalCount in
                        grade = [Int32](unsafeUninitializedCapacity: count) { gradeOut, gradeCount in
                            scores(
                                at: asOf, threads: threads, fit: fitOut, behavior: behaviorOut, total: totalOut,
                                grade: gradeOut)
                            gradeCount = count
                        }
                        totalCount = count
                    }
                    behaviorCount = count
                }
                fitCount = count
            }
        }
        var columns = BatchScores(
            fit: fit, behavior: behavior, total: total, gradeIndex: grade,
            gradeNames: model.scoring.grades.names)
        fillEngagement(&columns)
        return columns
    }

    /// Fills ``BatchScores/engagementIndex`` from the behaviour column when the
    /// model has engagement levels (SPEC §13); without, it stays empty, so that
    /// models without levels pay nothing for them.
    private func fillEngagement(_ scores: inout BatchScores) {
        let levels = model.scoring.engagement
        guard !levels.names.isEmpty else {
            (scores.engagementIndex, scores.engagementNames) = ([], [])
            return
        }
        if scores.engagementIndex.count != count { scores.engagementIndex = [Int32](repeating: -1, count: count) }
        scores.behavior.withUnsafeBufferPointer { behavior in
            scores.engagementIndex.withUnsafeMutableBufferPointer { out in
                levels.indices(of: behavior, into: out)
            }
        }
        if scores.engagementNames != levels.names { scores.engagementNames = levels.names }
    }

    /// Scores every lead at `asOf` into `scores`, reusing its arrays when they
    /// have ``count`` elements (as after an earlier call): a loop that re-scores
    /// the same batch then allocates nothing, like the C ABI's
    /// `funnel_batch_score`, which writes into the caller's arrays.
    public func scores(at asOf: Double, threads: Int = defaultThreadCount, into scores: inout BatchScores) {
        guard scores.fit.count == count, scores.behavior.count == count, scores.total.count == count,
            scores.gradeIndex.count == count
        else {
            scores = self.scores(at: asOf, threads: threads)
            return
        }
        scores.fit.withUnsafeMutableBufferPointer { fit in
            scores.behavior.withUnsafeMutableBufferPointer { behavior in
                scores.total.withUnsafeMutableBufferPointer { total in
                    scores.gradeIndex.withUnsafeMutableBufferPointer { grade in
                        self.scores(at: asOf, threads: threads, fit: fit, behavior: behavior, total: total, grade: grade)
                    }
                }
            }
        }
        if scores.gradeNames != model.scoring.grades.names { scores.gradeNames = model.scoring.grades.names }
        fillEngagement(&scores)
    }

    /// Scores into caller-owned buffers of at least ``count`` elements each
    /// (any may be `nil`): the form the C ABI uses to write straight into the
    /// host's arrays. `engagement` gets each lead's engagement level index
    /// (SPEC §13; -1 for none, always with a model without levels).
    package func scores(
        at asOf: Double, threads: Int, fit: UnsafeMutableBufferPointer<Double>?,
        behavior: UnsafeMutableBufferPointer<Double>?, total: UnsafeMutableBufferPointer<Double>?,
        grade: UnsafeMutableBufferPointer<Int32>?, engagement: UnsafeMutableBufferPointer<Int32>? = nil
    ) {
        let batch = self
        _ = scoreBlocks(
            threads: threads, fit: fit, behavior: behavior, total: total, grade: grade, engagement: engagement
        ) { Scorer(batch, asOf: asOf) }
    }

    /// The block loop of every batch score: per thread one block scorer
    /// (`make`), which writes each block's fit and behaviour (straight into
    /// the caller's arrays where given, else into scratch blocks); then the
    /// block's totals, grades and engagement levels from them.
    ///
    /// - Returns: false when some block scorer gave up (the outputs are then
    ///   partly written).
    func scoreBlocks<S: BlockScoring & SendableMetatype>(
        threads: Int, fit: UnsafeMutableBufferPointer<Double>?, behavior: UnsafeMutableBufferPointer<Double>?,
        total: UnsafeMutableBufferPointer<Double>?, grade: UnsafeMutableBufferPointer<Int32>?,
        engagement: UnsafeMutableBufferPointer<Int32>?, _ make: @Sendable () -> S
    ) -> Bool {
        nonisolated(unsafe) let out = (
            fit: fit, behavior: behavior, total: total, grade: grade, engagement: engagement
        )
        let levels = model.scoring.engagement
        let grades = model.scoring.grades
        let (hasTotalLimits, totalMin, totalMax) =
            (model.scoring.hasTotalLimits, model.scoring.totalMin, model.scoring.totalMax)
        let failed = Atomic<Bool>(false)
        inParallel(count: count, threads: threads) { next in
            var scorer = make()
            let blockSize = Scorer.blockSize
            let fit = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockSize)
            let behavior = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockSize)
            defer {
                fit.deallocate()
                behavior.deallocate()
            }
            while let range = next() {
                var start = range.lowerBound
                while start < range.upperBound {
                    let block = start..<min(start + blockSize, range.upperBound)
                    let fitBlock = UnsafeMutableBufferPointer(
                        rebasing: out.fit.map { $0[block] } ?? fit[0..<block.count])
                    let behaviorBlock = UnsafeMutableBufferPointer(
                        rebasing: out.behavior.map { $0[block] } ?? behavior[0..<block.count])
                    guard scorer.fillBlock(block, fit: fitBlock, behavior: behaviorBlock) else {
                        failed.store(true, ordering: .relaxed)
                        return
                    }
                    if let total = out.total {
                        if hasTotalLimits {
                            for k in 0..<block.count {
                                total[start &+ k] = clamped(fitBlock[k] + behaviorBlock[k], totalMin, totalMax)
                            }
                        } else {
                            for k in 0..<block.count { total[start &+ k] = fitBlock[k] + behaviorBlock[k] }
                        }
                    }
                    if let grade = out.grade {
                        grades.indices(
                            of: UnsafeBufferPointer(fitBlock), into: UnsafeMutableBufferPointer(rebasing: grade[block]))
                    }
                    if let engagement = out.engagement {
                        levels.indices(
                            of: UnsafeBufferPointer(behaviorBlock),
                            into: UnsafeMutableBufferPointer(rebasing: engagement[block]))
                    }
                    start = block.upperBound
                }
            }
        }
        return !failed.load(ordering: .relaxed)
    }
}

/// What ``LeadBatch/scoreBlocks(threads:fit:behavior:total:grade:engagement:_:)``
/// runs per thread: writes the fit and behaviour of a block of leads
/// (indexed from 0 for the block's first lead), or gives up.
protocol BlockScoring {
    mutating func fillBlock(
        _ leads: Range<Int>, fit: UnsafeMutableBufferPointer<Double>, behavior: UnsafeMutableBufferPointer<Double>
    ) -> Bool
}

extension Scorer: BlockScoring {
    @inline(__always)
    mutating func fillBlock(
        _ leads: Range<Int>, fit: UnsafeMutableBufferPointer<Double>, behavior: UnsafeMutableBufferPointer<Double>
    ) -> Bool {
        scoreBlock(leads, fit: fit, behavior: behavior)
        return true
    }
}
