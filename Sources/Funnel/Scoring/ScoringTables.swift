/// The scoring section, compiled: per rule its root predicate, points and cap,
/// and the section's arithmetic (decay, window, limits, grades).
struct ScoringTables: Sendable {
    let fitRoots: Column<Int32>
    let fitPoints: Column<Double>
    /// -1: no `if`.
    let behaviorRoots: Column<Int32>
    let behaviorPoints: Column<Double>
    /// +infinity: no cap.
    let behaviorCaps: Column<Double>
    /// Per behaviour rule, true when its `if` reads only the event's properties,
    /// so ingestion can decide it once instead of every scoring call.
    let behaviorReadsOnlyEvent: [Bool]
    let halfLifeSeconds: Double?
    let windowSeconds: Double?
    let behaviorMin: Double
    let behaviorMax: Double
    let grades: GradeTable

    // SPEC §13. Each is empty, absent or false for a model that does not use
    // it, and the scorer then runs exactly the paths it ran before §13.
    /// Per behaviour rule, its group's index; -1: ungrouped. Empty without groups.
    let ruleGroups: Column<Int32>
    /// Per behaviour rule, where its capped total is summed: 0 for the
    /// ungrouped sum, 1 + its group's index for a group (one slot per rule, so
    /// the scorer adds without branching on groups).
    let ruleSlots: Column<Int32>
    /// The rules of slot s (0: ungrouped, 1 + g: group g) are
    /// `slotRules[slotRuleStart[s]..<slotRuleStart[s + 1]]`, in model order:
    /// each slot's sum then stays in a register.
    let slotRuleStart: Column<Int>
    let slotRules: Column<Int32>
    /// Per group, its limit.
    let groupLimits: Column<Double>
    /// Per behaviour rule, `at_least.count`; 0 for a rule that is not a frequency rule.
    let frequencyCounts: Column<Int32>
    /// Per behaviour rule, `at_least.within_days` in seconds (0 when not a frequency rule).
    let frequencyWindows: Column<Double>
    /// The indices of the frequency rules, in model order.
    let frequencyRules: [Int32]
    /// ``frequencyRules`` as a column, for the scorer's raw buffers.
    let frequencyRuleColumn: Column<Int32>
    /// Per behaviour rule, true for a frequency rule without an `if`: a batch
    /// keeps each lead's events of its types in a list of their own (see
    /// `LeadBatch+FrequencyEvents`), so those events still take one route and
    /// leave the rule sums usable.
    let listedFrequency: [Bool]
    let totalMin: Double
    let totalMax: Double
    /// Whether `total_limits` is given: `total` is then clamped.
    let hasTotalLimits: Bool
    /// Engagement levels by behaviour (a ``GradeTable`` of levels).
    let engagement: GradeTable

    /// Whether groups or frequency rules change how behaviour is summed.
    var hasGroups: Bool { groupLimits.count > 0 }
    var hasFrequency: Bool { !frequencyRules.isEmpty }
    /// Whether some frequency rule is counted from the leads' frequency lists.
    var hasListedFrequency: Bool { listedFrequency.contains(true) }

    init(_ scoring: Scoring, fitRoots: [Int32], behaviorRoots: [Int32]) {
        self.fitRoots = Column(fitRoots)
        fitPoints = Column(scoring.fit.map(\.points))
        self.behaviorRoots = Column(behaviorRoots)
        behaviorPoints = Column(scoring.behavior.map(\.points))
        behaviorCaps = Column(scoring.behavior.map { $0.cap ?? .infinity })
        behaviorReadsOnlyEvent = scoring.behavior.map { $0.predicate?.readsOnlyProperties ?? false }
        halfLifeSeconds = scoring.halfLifeDays.map { $0 * 86_400 }
        windowSeconds = scoring.windowDays.map { $0 * 86_400 }
        behaviorMin = scoring.behaviorLimits?.min ?? -.infinity
        behaviorMax = scoring.behaviorLimits?.max ?? .infinity
        grades = GradeTable(scoring.grades)
        let groupIndex = Dictionary(scoring.groups.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        groupLimits = Column(scoring.groups.map(\.limit))
        ruleGroups = Column(scoring.groups.isEmpty ? [] : scoring.behavior.map { $0.group.flatMap { groupIndex[$0] } ?? -1 })
        ruleSlots = Column(scoring.behavior.map { $0.group.flatMap { groupIndex[$0] }.map { $0 + 1 } ?? 0 })
        let slots = scoring.behavior.map { $0.group.flatMap { groupIndex[$0] }.map { Int($0) + 1 } ?? 0 }
        var start = [0]
        var ordered: [Int32] = []
        for slot in 0...scoring.groups.count {
            ordered += slots.indices.filter { slots[$0] == slot }.map(Int32.init)
            start.append(ordered.count)
        }
        slotRuleStart = Column(start)
        slotRules = Column(ordered)
        frequencyCounts = Column(scoring.behavior.map { Int32(clamping: $0.atLeast?.count ?? 0) })
        frequencyWindows = Column(scoring.behavior.map { ($0.atLeast?.withinDays ?? 0) * 86_400 })
        frequencyRules = scoring.behavior.indices.filter { scoring.behavior[$0].atLeast != nil }.map(Int32.init)
        frequencyRuleColumn = Column(frequencyRules)
        listedFrequency = scoring.behavior.indices.map { scoring.behavior[$0].atLeast != nil && behaviorRoots[$0] < 0 }
        totalMin = scoring.totalLimits?.min ?? -.infinity
        totalMax = scoring.totalLimits?.max ?? .infinity
        hasTotalLimits = scoring.totalLimits != nil
        engagement = GradeTable(scoring.engagement.map { Grade($0.level, min: $0.min) })
    }

    /// The model's total for a fit and a behaviour: their sum, within `total_limits`.
    @inline(__always)
    func total(fit: Double, behavior: Double) -> Double {
        hasTotalLimits ? clamped(fit + behavior, totalMin, totalMax) : fit + behavior
    }
}
