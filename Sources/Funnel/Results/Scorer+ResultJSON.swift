extension Scorer {
    /// Scores lead `lead` and writes its SPEC §7 document: the bytes
    /// ``result(lead:)`` followed by `ScoreResult.write(to:)` gives, written
    /// straight from the scorer's state and the model's escaped names, with
    /// no `ScoreResult`, arrays or `String`s in between.
    mutating func writeResult(lead: Int, to w: inout ByteWriter) {
        let (fit, behavior) = score(lead: lead)
        // Names are read through one pointer (``ResultNames``), not out of
        // arrays, and the model not held here: no reference count is touched.
        let tables = evaluator.resultTables(fit: fit, behavior: behavior)
        let (names, steps, links, roots) = (tables.names, tables.steps, tables.links, tables.roots)
        let (disqualifierRoots, grade, level) = (tables.disqualifierRoots, tables.grade, tables.level)
        w.raw("{\"id\":")
        w.string(evaluator.leadID)
        w.raw(",\"fit\":")
        w.number(fit)
        w.raw(",\"behavior\":")
        w.number(behavior)
        w.raw(",\"total\":")
        w.number(evaluator.total)
        w.raw(",\"grade\":")
        if grade >= 0 { w.quoted(names, names.starts.grades &+ grade) } else { w.null() }
        w.raw(",\"criteria\":{")
        let criteria = names.starts.criterionCount
        for i in 0..<criteria {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.quoted(names, names.starts.criteria &+ i)
            w.byte(UInt8(ascii: ":"))
            w.bool(evaluator.criterion(i))
        }
        w.raw("},\"disqualified_by\":[")
        var first = true
        for i in 0..<names.starts.disqualifierCount where evaluator.holds(disqualifierRoots[i]) {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.quoted(names, names.starts.disqualifiers &+ i)
        }
        w.raw("],\"contributions\":[")
        first = true
        for r in 0..<names.starts.fitRuleCount where fitHit(r) {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.raw("{\"rule\":")
            w.quoted(names, names.starts.fitRules &+ r)
            w.raw(",\"points\":")
            w.name(names, names.fitPoints &+ r)
            w.byte(UInt8(ascii: "}"))
        }
        var groupsHit = false
        for r in 0..<names.starts.behaviorRuleCount where ruleHits(r) > 0 {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.raw("{\"rule\":")
            w.quoted(names, names.starts.behaviorRules &+ r)
            w.raw(",\"points\":")
            w.number(cappedTotal(r))
            w.byte(UInt8(ascii: "}"))
            if group(ofRule: r) >= 0 { groupsHit = true }
        }
        w.raw("],\"lacking\":{")
        first = true
        for i in 0..<criteria where !evaluator.criterion(i) {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.quoted(names, names.starts.criteria &+ i)
            w.raw(":[")
            var firstPart = true
            writeUnmet(Int(roots[i]), steps, links, names, &firstPart, to: &w)
            w.byte(UInt8(ascii: "]"))
        }
        w.raw("},\"groups\":[")
        if groupsHit {
            first = true
            for g in 0..<names.starts.groupCount where groupContributes(g, rules: names.starts.behaviorRuleCount) {
                if !first { w.byte(UInt8(ascii: ",")) }
                first = false
                w.raw("{\"group\":")
                w.quoted(names, names.starts.groups &+ g)
                w.raw(",\"points\":")
                w.number(groupTotal(g))
                w.byte(UInt8(ascii: "}"))
            }
        }
        w.raw("],\"engagement\":")
        if level >= 0 { w.quoted(names, names.starts.engagement &+ level) } else { w.null() }
        w.raw(",\"priority\":")
        if grade >= 0 && level >= 0 {
            w.byte(UInt8(ascii: "\""))
            w.name(names, names.starts.grades &+ grade)
            w.name(names, names.starts.engagement &+ level)
            w.byte(UInt8(ascii: "\""))
        } else {
            w.null()
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// Whether some behaviour rule of group `g` matched the last lead scored.
    func groupContributes(_ g: Int) -> Bool {
        groupContributes(g, rules: evaluator.model.resultText.behaviorRules.count)
    }

    /// ``groupContributes(_:)`` given the model's number of behaviour rules.
    @inline(__always)
    func groupContributes(_ g: Int, rules: Int) -> Bool {
        for r in 0..<rules where group(ofRule: r) == g && ruleHits(r) > 0 {
            return true
        }
        return false
    }

    /// Writes what flat step `k` lacks, as `Evaluator.collectUnmet` collects it.
    private mutating func writeUnmet(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLackingStep>, _ links: UnsafeBufferPointer<Int32>,
        _ names: ResultNames.View, _ first: inout Bool, to w: inout ByteWriter
    ) {
        let step = steps[k]
        if evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                writeUnmet(Int(links[j]), steps, links, names, &first, to: &w)
            }
        case .criterion:
            writeUnmet(Int(step.first), steps, links, names, &first, to: &w)
        case .part:
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.quoted(names, names.starts.descriptions &+ Int(step.first))
        }
    }
}
