extension ModelCompiler {
    /// Checks the scoring section and compiles its rules' predicates.
    mutating func compileScoring() -> (fit: [Int32], behavior: [Int32]) {
        let scoring = definition.scoring
        let ruleContext = PredicateCompiler.Context(allowsProperty: false, allowsScore: false, place: "a scoring rule")
        var fitRoots: [Int32] = []
        var seen: Set<String> = []
        for (i, rule) in scoring.fit.enumerated() {
            let path = "scoring.fit".indexed(i)
            faults.checkID(rule.id, path, &seen)
            faults.checkFinite(rule.points, path.joined("points"))
            fitRoots.append(compile(rule.predicate, path.joined("if"), ruleContext))
        }
        var behaviorRoots: [Int32] = []
        seen = []
        var eventContext = ruleContext
        eventContext.allowsProperty = true
        for (i, rule) in scoring.behavior.enumerated() {
            let path = "scoring.behavior".indexed(i)
            faults.checkID(rule.id, path, &seen)
            if rule.event.isEmpty { faults.fault(path.joined("event"), "expected a non-empty string") }
            faults.checkFinite(rule.points, path.joined("points"))
            faults.checkPositive(rule.cap, path.joined("cap"))
            behaviorRoots.append(rule.predicate.map { compile($0, path.joined("if"), eventContext) } ?? -1)
        }
        faults.checkPositive(scoring.halfLifeDays, "scoring.half_life_days")
        faults.checkPositive(scoring.windowDays, "scoring.window_days")
        if let limits = scoring.behaviorLimits {
            if let lo = limits.min { faults.checkFinite(lo, "scoring.behavior_limits.min") }
            if let hi = limits.max { faults.checkFinite(hi, "scoring.behavior_limits.max") }
            if let lo = limits.min, let hi = limits.max, lo > hi {
                faults.fault("scoring.behavior_limits", "min (\(formatNumber(lo))) is greater than max (\(formatNumber(hi)))")
            }
        }
        for (i, grade) in scoring.grades.enumerated() {
            let path = "scoring.grades".indexed(i)
            if grade.grade.isEmpty { faults.fault(path.joined("grade"), "expected a non-empty string") }
            faults.checkFinite(grade.min, path.joined("min"))
        }
        return (fitRoots, behaviorRoots)
    }
}
