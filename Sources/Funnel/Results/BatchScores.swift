/// Scores of a whole batch, as columns: what a nightly re-score needs, without
/// the explanation. The columns `funnel_batch_score` writes.
public struct BatchScores: Sendable, Hashable, Codable {
    private enum CodingKeys: String, CodingKey {
        case fit, behavior, total
        case gradeIndex = "grade_index"
        case gradeNames = "grade_names"
    }

    /// Fit per lead, in batch order (`funnel_batch_score`'s `fit`).
    public var fit: [Double]
    /// Behaviour per lead, in batch order (`funnel_batch_score`'s `behavior`).
    public var behavior: [Double]
    /// `fit + behavior` per lead, in batch order (`funnel_batch_score`'s `total`).
    public var total: [Double]
    /// Index into the model's grades per lead; -1 when no grade holds
    /// (`funnel_batch_score`'s `grade`).
    public var gradeIndex: [Int32]
    /// The model's grade names, for ``gradeIndex``; the C ABI's
    /// `funnel_model_grade_count` and `funnel_model_grade_name`.
    public var gradeNames: [String]

    /// No scores yet: a place for ``LeadBatch/scores(at:threads:into:)`` to fill.
    public init() {
        (fit, behavior, total, gradeIndex, gradeNames) = ([], [], [], [], [])
    }

    init(fit: [Double], behavior: [Double], total: [Double], gradeIndex: [Int32], gradeNames: [String]) {
        (self.fit, self.behavior, self.total, self.gradeIndex, self.gradeNames) =
            (fit, behavior, total, gradeIndex, gradeNames)
    }

    /// The grade of lead `i`, or `nil`.
    public func grade(_ i: Int) -> String? {
        let g = Int(gradeIndex[i])
        return g >= 0 ? gradeNames[g] : nil
    }
}
