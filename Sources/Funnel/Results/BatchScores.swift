/// Scores of a whole batch, as columns: what a nightly re-score needs, without
/// the explanation. The columns `funnel_batch_score` writes.
public struct BatchScores: Sendable, Hashable, Codable {
    private enum CodingKeys: String, CodingKey {
        case fit, behavior, total
        case gradeIndex = "grade_index"
        case gradeNames = "grade_names"
        case engagementIndex = "engagement_index"
        case engagementNames = "engagement_names"
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
    /// Index into the model's engagement levels per lead, -1 when none holds
    /// (SPEC §13); empty when the model has no levels, so that models without
    /// them pay nothing for it.
    public var engagementIndex: [Int32] = []
    /// The model's engagement level names, for ``engagementIndex``.
    public var engagementNames: [String] = []

    /// No scores yet: a place for ``LeadBatch/scores(at:threads:into:)`` to fill.
    public init() {
        (fit, behavior, total, gradeIndex, gradeNames) = ([], [], [], [], [])
    }

    init(fit: [Double], behavior: [Double], total: [Double], gradeIndex: [Int32], gradeNames: [String]) {
        (self.fit, self.behavior, self.total, self.gradeIndex, self.gradeNames) =
            (fit, behavior, total, gradeIndex, gradeNames)
    }

    /// Decodes the Swift value's own shape; the engagement columns, which
    /// came with SPEC §13, may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fit = try c.decode([Double].self, forKey: .fit)
        behavior = try c.decode([Double].self, forKey: .behavior)
        total = try c.decode([Double].self, forKey: .total)
        gradeIndex = try c.decode([Int32].self, forKey: .gradeIndex)
        gradeNames = try c.decode([String].self, forKey: .gradeNames)
        engagementIndex = try c.decodeIfPresent([Int32].self, forKey: .engagementIndex) ?? []
        engagementNames = try c.decodeIfPresent([String].self, forKey: .engagementNames) ?? []
    }

    /// The grade of lead `i`, or `nil`.
    public func grade(_ i: Int) -> String? {
        let g = Int(gradeIndex[i])
        return g >= 0 ? gradeNames[g] : nil
    }

    /// The engagement level of lead `i`, or `nil` (SPEC §13).
    public func engagement(_ i: Int) -> String? {
        guard i < engagementIndex.count else { return nil }
        let e = Int(engagementIndex[i])
        return e >= 0 ? engagementNames[e] : nil
    }

    /// The priority of lead `i` (grade then engagement, `"A1"`), or `nil`
    /// when either is (SPEC §13).
    public func priority(_ i: Int) -> String? {
        guard let grade = grade(i), let engagement = engagement(i) else { return nil }
        return grade + engagement
    }
}
