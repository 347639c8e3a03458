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
    }
}
