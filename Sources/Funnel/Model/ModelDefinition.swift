/// A model as written: the Swift form of a `funnel.model/1` document (SPEC §2).
///
/// A definition is plain data and may be wrong; ``Model/init(_:)`` validates it
/// completely and compiles it. Lists keep their written order because the spec
/// gives order a meaning (contributions, disqualifier reasons, stage choice).
public struct ModelDefinition: Sendable, Hashable {
    /// A free-form name, echoed by introspection.
    public var name: String?
    /// Every attribute predicates may name, in declaration order.
    public var attributes: [AttributeDeclaration]
    /// Named criteria, in declaration order.
    public var criteria: [Criterion]
    /// Fit and behaviour rules and their arithmetic.
    public var scoring: Scoring
    /// Conditions that knock a lead out, in model order.
    public var disqualifiers: [Disqualifier]
    /// The funnel; `nil` for a model that only scores and qualifies.
    public var stages: Stages?
    /// How the win model reads leads (SPEC §14); `nil`: every default.
    public var predict: PredictSettings?
    /// Which attributes hold the contact, account and deal (SPEC §11); `nil`
    /// converts as an empty section would.
    public var conversion: ConversionSettings?

    /// A definition from its parts; each defaults to empty, and `stages`,
    /// `predict` and `conversion` to none.
    public init(
        name: String? = nil, attributes: [AttributeDeclaration] = [],
        criteria: [Criterion] = [], scoring: Scoring = Scoring(),
        disqualifiers: [Disqualifier] = [], stages: Stages? = nil, predict: PredictSettings? = nil,
        conversion: ConversionSettings? = nil
    ) {
        self.name = name
        self.attributes = attributes
        self.criteria = criteria
        self.scoring = scoring
        self.disqualifiers = disqualifiers
        self.stages = stages
        self.predict = predict
        self.conversion = conversion
    }
}

/// `"name": "type"` in the `attributes` object.
public struct AttributeDeclaration: Sendable, Hashable {
    /// The name predicates and leads use; the C ABI's `funnel_model_attribute_name`.
    public var name: String
    /// What values it takes; the C ABI's `funnel_model_attribute_type`.
    public var type: AttributeType
    /// Declares attribute `name` of type `type`.
    public init(_ name: String, _ type: AttributeType) {
        self.name = name
        self.type = type
    }
}

/// A named criterion such as `icp` or `bant`.
public struct Criterion: Sendable, Hashable {
    /// The name `criterion` predicates and score results use; the C ABI's
    /// `funnel_model_criterion_name`.
    public var name: String
    /// What must hold for the criterion to hold.
    public var predicate: Predicate
    /// Criterion `name`, holding when `predicate` does.
    public init(_ name: String, _ predicate: Predicate) {
        self.name = name
        self.predicate = predicate
    }
}

/// A disqualifier: when `predicate` holds, the lead is out (reason `id`).
public struct Disqualifier: Sendable, Hashable {
    /// The reason reported in `disqualified_by` and on the move it causes.
    public var id: String
    /// When it holds, the lead is out.
    public var predicate: Predicate
    /// Disqualifier `id`, firing when `predicate` holds.
    public init(_ id: String, if predicate: Predicate) {
        self.id = id
        self.predicate = predicate
    }
}

/// The `scoring` section.
public struct Scoring: Sendable, Hashable {
    /// Rules for who the lead is, in model order.
    public var fit: [FitRule]
    /// Rules for what the lead did, in model order.
    public var behavior: [BehaviorRule]
    /// Behaviour points halve every this many days; `nil`: no decay.
    public var halfLifeDays: Double?
    /// Events older than this many days are ignored; `nil`: no window.
    public var windowDays: Double?
    /// Clamp for the behaviour sum; either bound may be absent.
    public var behaviorLimits: BehaviorLimits?
    /// Grades by fit, first match wins, in written order.
    public var grades: [Grade]
    /// Score groups that behaviour rules may join (SPEC §13), in model order:
    /// each clamps the sum of its rules so one channel cannot dominate.
    public var groups: [ScoreGroup]
    /// Clamp for `fit + behavior` (SPEC §13); either bound may be absent.
    public var totalLimits: ScoreLimits?
    /// Engagement levels by behaviour, first match wins, in written order (SPEC §13).
    public var engagement: [EngagementLevel]

    /// A scoring section from its parts; each defaults to empty or absent.
    public init(
        fit: [FitRule] = [], behavior: [BehaviorRule] = [], halfLifeDays: Double? = nil,
        windowDays: Double? = nil, behaviorLimits: BehaviorLimits? = nil, grades: [Grade] = [],
        groups: [ScoreGroup] = [], totalLimits: ScoreLimits? = nil, engagement: [EngagementLevel] = []
    ) {
        self.fit = fit
        self.behavior = behavior
        self.halfLifeDays = halfLifeDays
        self.windowDays = windowDays
        self.behaviorLimits = behaviorLimits
        self.grades = grades
        self.groups = groups
        self.totalLimits = totalLimits
        self.engagement = engagement
    }
}

/// Points for who the lead is.
public struct FitRule: Sendable, Hashable {
    /// Names the rule in contributions; unique within its list.
    public var id: String
    /// The condition on the lead's attributes.
    public var predicate: Predicate
    /// Added to `fit` when ``predicate`` holds; may be negative.
    public var points: Double
    /// Fit rule `id`: `points` when `predicate` holds.
    public init(_ id: String, if predicate: Predicate, points: Double) {
        self.id = id
        self.predicate = predicate
        self.points = points
    }
}

/// Points for what the lead did: one event type (or `prefix.*`), optionally
/// filtered by `if`, optionally capped.
public struct BehaviorRule: Sendable, Hashable {
    /// Names the rule in contributions; unique within its list.
    public var id: String
    /// The event type it counts (matched exactly), or `prefix.*` for a family.
    public var event: String
    /// A filter each event must pass (it may read `prop`s); `nil`: none.
    public var predicate: Predicate?
    /// Points per matching event, before decay; may be negative.
    public var points: Double
    /// Clamps the rule's total to `[-cap, cap]`; `nil`: no cap.
    public var cap: Double?
    /// The id of the ``ScoreGroup`` whose limit the rule's total counts against; `nil`: none.
    public var group: String?
    /// Makes this a frequency rule (SPEC §13): `points` once, undecayed, when
    /// enough events fall in the last days; `nil`: points per event.
    public var atLeast: Frequency?
    /// Behaviour rule `id`: `points` per `event` event passing `predicate`, within `cap`.
    public init(
        _ id: String, event: String, if predicate: Predicate? = nil, points: Double, cap: Double? = nil,
        group: String? = nil, atLeast: Frequency? = nil
    ) {
        self.id = id
        self.event = event
        self.predicate = predicate
        self.points = points
        self.cap = cap
        self.group = group
        self.atLeast = atLeast
    }
}

/// `at_least` of a frequency rule: "3 pricing visits in 30 days".
public struct Frequency: Sendable, Hashable {
    /// How many matching events it takes; an integer >= 1.
    public var count: Int
    /// How recent they must be: `as_of - at <= withinDays * 86400`; > 0.
    public var withinDays: Double
    /// At least `count` matching events within the last `withinDays` days.
    public init(count: Int, withinDays: Double) {
        self.count = count
        self.withinDays = withinDays
    }
}

/// One entry of `scoring.groups`: a limit shared by the rules that name it.
public struct ScoreGroup: Sendable, Hashable {
    /// Unique among the groups; what rules' `group` and score results name.
    public var id: String
    /// The group's total is clamped to `[-limit, limit]`; > 0.
    public var limit: Double
    /// Group `id` whose total stays within `±limit`.
    public init(_ id: String, limit: Double) {
        self.id = id
        self.limit = limit
    }
}

/// One entry of `scoring.engagement`: the behaviour half of priority.
public struct EngagementLevel: Sendable, Hashable {
    /// The level's name (`"1"`), appended to the grade to make a priority (`"A1"`).
    public var level: String
    /// The least behaviour that earns it.
    public var min: Double
    /// Level `level` for a behaviour of at least `min`.
    public init(_ level: String, min: Double) {
        self.level = level
        self.min = min
    }
}

/// `total_limits` (SPEC §13) has the shape of `behavior_limits`.
public typealias ScoreLimits = BehaviorLimits

/// `behavior_limits`: bounds of the behaviour sum.
public struct BehaviorLimits: Sendable, Hashable {
    /// The least behaviour sum; `nil`: unbounded below.
    public var min: Double?
    /// The greatest behaviour sum; `nil`: unbounded above.
    public var max: Double?
    /// Bounds `min...max`; either may be absent.
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }
}

/// One entry of `grades`.
public struct Grade: Sendable, Hashable {
    /// The grade's name (`A`); the C ABI's `funnel_model_grade_name`.
    public var grade: String
    /// The least fit that earns it.
    public var min: Double
    /// Grade `grade` for a fit of at least `min`.
    public init(_ grade: String, min: Double) {
        self.grade = grade
        self.min = min
    }
}

/// The `stages` section (SPEC §5).
public struct Stages: Sendable, Hashable {
    /// Where a lead that names no stage stands.
    public var initial: String
    /// Every stage, in the order that breaks ties on advance; the C ABI's
    /// `funnel_model_stage_id` lists their ids.
    public var list: [Stage]
    /// The moves allowed between stages, by hand or automatically.
    public var transitions: [Transition]
    /// The funnel's main line of stage ids (SPEC §12); `nil` means the default: the
    /// stages in `list` order up to and including the first with outcome `won`,
    /// leaving out those with outcome `lost` or `disqualified`.
    public var path: [String]?
    /// The expected rate into a path stage from the one before it, by stage id
    /// (SPEC §12), e.g. `["sal": 0.60, "sql": 0.50]`.
    public var benchmarks: [String: Double]
    /// A stages section starting at `initial`.
    public init(
        initial: String, list: [Stage], transitions: [Transition], path: [String]? = nil,
        benchmarks: [String: Double] = [:]
    ) {
        self.initial = initial
        self.list = list
        self.transitions = transitions
        self.path = path
        self.benchmarks = benchmarks
    }
}

/// A funnel stage.
public struct Stage: Sendable, Hashable {
    /// Unique among the stages; what leads and moves name.
    public var id: String
    /// Any text to show instead of the id (`"Perfilación"`).
    public var label: String?
    /// A guard that must hold to enter, by any route.
    public var requires: Predicate?
    /// Moves a lead in automatically on advance.
    public var enterWhen: Predicate?
    /// Terminal outcome; such a stage is left only by a transition naming it.
    public var outcome: Outcome?
    /// Entering it forgets earlier behaviour (SPEC §13): a lead recycled into
    /// nurture cannot bounce back on old events.
    public var resetsBehavior: Bool
    /// Stage `id`; every other part is optional.
    public init(
        _ id: String, label: String? = nil, requires: Predicate? = nil,
        enterWhen: Predicate? = nil, outcome: Outcome? = nil, resetsBehavior: Bool = false
    ) {
        self.id = id
        self.label = label
        self.requires = requires
        self.enterWhen = enterWhen
        self.outcome = outcome
        self.resetsBehavior = resetsBehavior
    }
}

/// How a terminal stage ends the funnel.
public enum Outcome: String, Sendable, Hashable, CaseIterable {
    /// As written in a stage's `outcome`.
    case won, lost, disqualified
}

/// Allowed moves from some stages (or `"*"`) to others.
public struct Transition: Sendable, Hashable {
    /// Stage ids, or `["*"]` for every stage without an outcome.
    public var from: [String]
    /// Target stage ids.
    public var to: [String]
    /// When present, the closed list of reasons a manual move must name.
    public var reasons: [String]?
    /// Moves from any of `from` to any of `to`.
    public init(from: [String], to: [String], reasons: [String]? = nil) {
        self.from = from
        self.to = to
        self.reasons = reasons
    }
    /// A move from one stage to one other.
    public init(from: String, to: String, reasons: [String]? = nil) {
        self.init(from: [from], to: [to], reasons: reasons)
    }
}
