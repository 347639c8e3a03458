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
        var groupIndex: [String: Int] = [:]
        seen = []
        for (i, group) in scoring.groups.enumerated() {
            let path = "scoring.groups".indexed(i)
            faults.checkID(group.id, path, &seen)
            faults.checkPositive(group.limit, path.joined("limit"))
            if groupIndex[group.id] == nil { groupIndex[group.id] = i }
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
            if let group = rule.group, groupIndex[group] == nil {
                faults.fault(path.joined("group"), "unknown group \"\(group)\"")
            }
            if let atLeast = rule.atLeast {
                if atLeast.count < 1 {
                    faults.fault(path.joined("at_least.count"), "expected an integer >= 1, found \(atLeast.count)")
                }
                faults.checkPositive(atLeast.withinDays, path.joined("at_least.within_days"))
            }
            behaviorRoots.append(rule.predicate.map { compile($0, path.joined("if"), eventContext) } ?? -1)
        }
        faults.checkPositive(scoring.halfLifeDays, "scoring.half_life_days")
        faults.checkPositive(scoring.windowDays, "scoring.window_days")
        checkLimits(scoring.behaviorLimits, "scoring.behavior_limits")
        checkLimits(scoring.totalLimits, "scoring.total_limits")
        for (i, grade) in scoring.grades.enumerated() {
            let path = "scoring.grades".indexed(i)
            if grade.grade.isEmpty { faults.fault(path.joined("grade"), "expected a non-empty string") }
            faults.checkFinite(grade.min, path.joined("min"))
        }
        seen = []
        for (i, level) in scoring.engagement.enumerated() {
            let path = "scoring.engagement".indexed(i)
            if level.level.isEmpty {
                faults.fault(path.joined("level"), "expected a non-empty string")
            } else if !seen.insert(level.level).inserted {
                faults.fault(path.joined("level"), "duplicate level \"\(level.level)\"")
            }
            faults.checkFinite(level.min, path.joined("min"))
        }
        return (fitRoots, behaviorRoots)
    }

    /// Finite bounds with `min <= max`, when given.
    private mutating func checkLimits(_ limits: BehaviorLimits?, _ path: String) {
        guard let limits else { return }
        if let lo = limits.min { faults.checkFinite(lo, path.joined("min")) }
        if let hi = limits.max { faults.checkFinite(hi, path.joined("max")) }
        if let lo = limits.min, let hi = limits.max, lo > hi {
            faults.fault(path, "min (\(formatNumber(lo))) is greater than max (\(formatNumber(hi)))")
        }
    }
}
