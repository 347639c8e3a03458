/// Scores the leads of one batch: the hot loop of Funnel.
///
/// A scorer owns its scratch space, so each thread uses its own; in the steady
/// state scoring a lead allocates nothing.
struct Scorer {
    var evaluator: Evaluator
    private let fitRoots: [Int32]
    private let fitPoints: [Double]
    private let behaviorRoots: [Int32]
    private let behaviorPoints: [Double]
    private let caps: [Double]
    private let behaviorMin: Double
    private let behaviorMax: Double
    private let window: Double
    private let classStart: [Int]
    private let classRules: [Int32]
    private let eventStart: [Int]
    private let eventClass: [Int32]
    private let eventAt: [Double]
    private let eventWeight: [Double]
    private let decay: Decay

    /// Per rule, after ``score(lead:)``: its raw total and how many events matched.
    private(set) var ruleTotals: [Double]
    private(set) var ruleHits: [Int32]
    private(set) var fitHits: [Bool]

    /// How an event's age becomes a factor, chosen once per scoring call.
    enum Decay {
        case none
        /// `weight * factor`: the batch's precomputed weights are usable.
        case weighted(factor: Double)
        /// `2^(-age / half-life)` per event: far from the batch's reference time.
        case direct(halfLife: Double)
    }

    let asOf: Double

    init(_ batch: LeadBatch, asOf: Double) {
        let model = batch.model
        evaluator = Evaluator(batch)
        fitRoots = model.fitRoots
        fitPoints = model.fitPoints
        behaviorRoots = model.behaviorRoots
        behaviorPoints = model.behaviorPoints
        caps = model.behaviorCaps
        behaviorMin = model.behaviorMin
        behaviorMax = model.behaviorMax
        window = model.windowSeconds ?? .infinity
        var start = [0]
        for rules in batch.classRules { start.append(start[start.count - 1] + rules.count) }
        classStart = start
        classRules = batch.classRules.flatMap { $0 }
        eventStart = batch.eventStart
        eventClass = batch.eventClass
        eventAt = batch.eventAt
        eventWeight = batch.eventWeight
        self.asOf = asOf
        decay = Scorer.decay(batch, asOf: asOf)
        ruleTotals = [Double](repeating: 0, count: behaviorRoots.count)
        ruleHits = [Int32](repeating: 0, count: behaviorRoots.count)
        fitHits = [Bool](repeating: false, count: fitRoots.count)
    }

    /// Precomputed weights are exact to a few ulps while every exponent stays
    /// far from the double range; beyond 500 half-lives, fall back to `exp2`.
    private static func decay(_ batch: LeadBatch, asOf: Double) -> Decay {
        guard let halfLife = batch.model.halfLifeSeconds else { return .none }
        guard let reference = batch.reference else { return .direct(halfLife: halfLife) }
        let limit = 500 * halfLife
        let span = max(abs(batch.earliest - reference), abs(batch.latest - reference), abs(asOf - reference))
        guard span <= limit else { return .direct(halfLife: halfLife) }
        return .weighted(factor: power2((reference - asOf) / halfLife))
    }

    /// Scores lead `lead`; afterwards the evaluator knows the score, and the
    /// rule arrays explain it.
    mutating func score(lead: Int) -> (fit: Double, behavior: Double) {
        evaluator.begin(lead: lead)
        var fit = 0.0
        for r in fitRoots.indices {
            let hit = evaluator.holds(fitRoots[r])
            fitHits[r] = hit
            if hit { fit += fitPoints[r] }
        }
        for r in ruleTotals.indices {
            ruleTotals[r] = 0
            ruleHits[r] = 0
        }
        for e in eventStart[lead]..<eventStart[lead + 1] {
            let at = eventAt[e]
            let age = asOf - at
            if age < 0 || age > window { continue }
            let weight: Double
            switch decay {
            case .none: weight = 1
            case .weighted(let factor): weight = eventWeight[e] * factor
            case .direct(let halfLife): weight = power2(-age / halfLife)
            }
            let cls = Int(eventClass[e])
            for k in classStart[cls]..<classStart[cls + 1] {
                let r = Int(classRules[k])
                let root = behaviorRoots[r]
                if root >= 0 {
                    evaluator.event = e
                    if !evaluator.holds(root) { continue }
                }
                ruleTotals[r] += behaviorPoints[r] * weight
                ruleHits[r] += 1
            }
        }
        var behavior = 0.0
        for r in ruleTotals.indices where ruleHits[r] > 0 {
            let cap = caps[r]
            behavior += min(max(ruleTotals[r], -cap), cap)
        }
        behavior = min(max(behavior, behaviorMin), behaviorMax)
        evaluator.fit = fit
        evaluator.behavior = behavior
        return (fit, behavior)
    }

    /// Rule `r`'s total after its cap.
    func cappedTotal(_ r: Int) -> Double {
        min(max(ruleTotals[r], -caps[r]), caps[r])
    }
}
