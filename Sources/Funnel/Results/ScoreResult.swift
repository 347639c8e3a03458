/// One lead's score, explained (SPEC §7).
/// Codable in the Swift value's own shape (snake-case keys); ``json`` writes
/// the exact SPEC §7 document instead, as `funnel_score_json` returns it.
public struct ScoreResult: Sendable, Hashable, Codable {
    private enum CodingKeys: String, CodingKey {
        case id, fit, behavior, total, grade, criteria, contributions
        case disqualifiedBy = "disqualified_by"
        case winProbability = "win_probability", winFactors = "win_factors"
        case groups, engagement, priority
    }

    /// The lead's id.
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
    /// Every score group with a rule in ``contributions``, in model order,
    /// with its total within its limit (SPEC §13).
    public var groups: [GroupTotal] = []
    /// The first engagement level whose `min <= behavior`; `nil` when none
    /// holds or the model has no levels (SPEC §13).
    public var engagement: String?
    /// ``grade`` followed by ``engagement`` (`"A1"`) when both are set, else `nil`.
    public var priority: String?
    /// The lead's win probability (SPEC §14) when it was scored with a win
    /// model (``winFactors`` is then set); `nil` there when the win model
    /// gives none. The JSON writes it only beside ``winFactors``.
    public var winProbability: Double?
    /// The factors behind ``winProbability``, strongest first; `nil` when the
    /// lead was scored without a win model, and then neither field is written,
    /// so the SPEC §7 document is unchanged.
    public var winFactors: [WinFactor]?

    /// A result from its parts, as a test or another engine builds one.
    public init(
        id: String, fit: Double, behavior: Double, total: Double, grade: String?, criteria: [CriterionResult],
        disqualifiedBy: [String], contributions: [Contribution]
    ) {
        (self.id, self.fit, self.behavior, self.total, self.grade) = (id, fit, behavior, total, grade)
        (self.criteria, self.disqualifiedBy, self.contributions) = (criteria, disqualifiedBy, contributions)
    }

    /// Decodes the Swift value's own shape; what came with SPEC §13 and §14 may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        fit = try c.decode(Double.self, forKey: .fit)
        behavior = try c.decode(Double.self, forKey: .behavior)
        total = try c.decode(Double.self, forKey: .total)
        grade = try c.decodeIfPresent(String.self, forKey: .grade)
        criteria = try c.decode([CriterionResult].self, forKey: .criteria)
        disqualifiedBy = try c.decode([String].self, forKey: .disqualifiedBy)
        contributions = try c.decode([Contribution].self, forKey: .contributions)
        winProbability = try c.decodeIfPresent(Double.self, forKey: .winProbability)
        winFactors = try c.decodeIfPresent([WinFactor].self, forKey: .winFactors)
        groups = try c.decodeIfPresent([GroupTotal].self, forKey: .groups) ?? []
        engagement = try c.decodeIfPresent(String.self, forKey: .engagement)
        priority = try c.decodeIfPresent(String.self, forKey: .priority)
    }

    /// Whether the criterion named `name` holds; `nil` for an unknown name.
    public func holds(_ name: String) -> Bool? {
        criteria.first { $0.name == name }?.holds
    }
}

/// A score group's part of a behaviour score (SPEC §13).
public struct GroupTotal: Sendable, Hashable, Codable {
    /// The group's id.
    public var group: String
    /// The sum of its rules' capped totals, within the group's limit.
    public var points: Double

    /// Group `group` added `points`.
    public init(group: String, points: Double) {
        (self.group, self.points) = (group, points)
    }
}

/// Whether a criterion holds and, if not, what the lead still lacks.
public struct CriterionResult: Sendable, Hashable, Codable {
    /// The criterion's name.
    public var name: String
    /// Whether it holds for the lead.
    public var holds: Bool
    /// The unmet parts, written as predicates (`budget >= 10000`); empty when it holds.
    public var lacking: [String]

    /// Criterion `name`'s result; `lacking` is empty when it holds.
    public init(name: String, holds: Bool, lacking: [String] = []) {
        (self.name, self.holds, self.lacking) = (name, holds, lacking)
    }
}

/// What one rule added to a score.
public struct Contribution: Sendable, Hashable, Codable {
    /// The rule's id.
    public var rule: String
    /// Whether it is a fit or a behaviour rule.
    public var kind: RuleKind
    /// The rule's total after its cap.
    public var points: Double
    /// How many events matched (0 for a fit rule).
    public var events: Int

    /// Rule `rule` of `kind` added `points`, from `events` events.
    public init(rule: String, kind: RuleKind, points: Double, events: Int = 0) {
        (self.rule, self.kind, self.points, self.events) = (rule, kind, points, events)
    }
}

/// Which list a rule comes from.
public enum RuleKind: String, Sendable, Hashable, Codable {
    /// `scoring.fit` or `scoring.behavior`.
    case fit, behavior
}
