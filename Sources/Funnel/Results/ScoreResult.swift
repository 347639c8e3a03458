/// One lead's score, explained (SPEC §7).
public struct ScoreResult: Sendable, Hashable {
    public var id: String
    /// Sum of the points of the fit rules that hold.
    public var fit: Double
    /// Sum of the behaviour rules' capped totals, within `behavior_limits`.
    public var behavior: Double
    /// `fit + behavior`.
    public var total: Double
    /// The first grade whose `min <= fit`; `nil` when none.
    public var grade: String?
    /// Every criterion of the model, in model order.
    public var criteria: [CriterionResult]
    /// Ids of the disqualifiers that hold, in model order.
    public var disqualifiedBy: [String]
    /// Every rule that matched at least once, fit rules first, in model order.
    public var contributions: [Contribution]

    /// Whether the criterion named `name` holds; `nil` for an unknown name.
    public func holds(_ name: String) -> Bool? {
        criteria.first { $0.name == name }?.holds
    }
}

/// Whether a criterion holds and, if not, what the lead still lacks.
public struct CriterionResult: Sendable, Hashable {
    public var name: String
    public var holds: Bool
    /// The unmet parts, written as predicates (`budget >= 10000`); empty when it holds.
    public var lacking: [String]
}

/// What one rule added to a score.
public struct Contribution: Sendable, Hashable {
    /// The rule's id.
    public var rule: String
    public var kind: RuleKind
    /// The rule's total after its cap.
    public var points: Double
    /// How many events matched (0 for a fit rule).
    public var events: Int
}

/// Which list a rule comes from.
public enum RuleKind: String, Sendable, Hashable {
    case fit, behavior
}
