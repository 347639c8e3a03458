extension Scorer {
    /// Scores lead `lead` and writes its SPEC §7 document: the bytes
    /// ``result(lead:)`` followed by `ScoreResult.write(to:)` gives, written
    /// straight from the scorer's state and the model's escaped names, with
    /// no `ScoreResult`, arrays or `String`s in between.
    mutating func writeResult(lead: Int, to w: inout ByteWriter) {
        let (fit, behavior) = score(lead: lead)
        // Fields read through the model (a class) are borrowed; copying
        // `ResultText` or `ScoringTables` out would retain every array in them.
        let model = evaluator.model
        w.raw("{\"id\":")
        w.string(evaluator.leadID)
        w.raw(",\"fit\":")
        w.number(fit)
        w.raw(",\"behavior\":")
        w.number(behavior)
        w.raw(",\"total\":")
        w.number(evaluator.total)
        w.raw(",\"grade\":")
        let grade = Int(model.scoring.grades.index(fit))
        if grade >= 0 { w.quoted(model.resultText.grades[grade]) } else { w.null() }
        w.raw(",\"criteria\":{")
        for i in 0..<model.resultText.criteria.count {
            if i > 0 { w.raw(",") }
            w.quoted(model.resultText.criteria[i])
            w.raw(":")
            w.bool(evaluator.criterion(i))
        }
        w.raw("},\"disqualified_by\":[")
        var first = true
        for i in 0..<model.resultText.disqualifiers.count where evaluator.holds(model.disqualifierRoots[i]) {
            if !first { w.raw(",") }
            first = false
            w.quoted(model.resultText.disqualifiers[i])
        }
        w.raw("],\"contributions\":[")
        first = true
        for r in 0..<model.resultText.fitRules.count where fitHit(r) {
            if !first { w.raw(",") }
            first = false
            w.raw("{\"rule\":")
            w.quoted(model.resultText.fitRules[r])
            w.raw(",\"points\":")
            w.raw(model.resultText.fitPoints[r])
            w.raw("}")
        }
        var groupsHit = false
        for r in 0..<model.resultText.behaviorRules.count where ruleHits(r) > 0 {
            if !first { w.raw(",") }
            first = false
            w.raw("{\"rule\":")
            w.quoted(model.resultText.behaviorRules[r])
            w.raw(",\"points\":")
            w.number(cappedTotal(r))
            w.raw("}")
            if group(ofRule: r) >= 0 { groupsHit = true }
        }
        w.raw("],\"lacking\":{")
        first = true
        let flat = model.resultText.flatUnmet
        for i in 0..<model.resultText.criteria.count where !evaluator.criterion(i) {
            if !first { w.raw(",") }
            first = false
            w.quoted(model.resultText.criteria[i])
            w.raw(":[")
            var firstPart = true
            writeUnmet(
                Int(flat.roots[i]), flat.steps.buffer, flat.links.buffer, flat.descriptions, &firstPart, to: &w)
            w.raw("]")
        }
        w.raw("},\"groups\":[")
        if groupsHit {
            first = true
            for g in 0..<model.resultText.groups.count where groupContributes(g) {
                if !first { w.raw(",") }
                first = false
                w.raw("{\"group\":")
                w.quoted(model.resultText.groups[g])
                w.raw(",\"points\":")
                w.number(groupTotal(g))
                w.raw("}")
            }
        }
        w.raw("],\"engagement\":")
        let level = Int(model.scoring.engagement.index(behavior))
        if level >= 0 { w.quoted(model.resultText.engagement[level]) } else { w.null() }
        w.raw(",\"priority\":")
        if grade >= 0 && level >= 0 {
            w.byte(UInt8(ascii: "\""))
            w.raw(model.resultText.grades[grade])
            w.raw(model.resultText.engagement[level])
            w.byte(UInt8(ascii: "\""))
        } else {
            w.null()
        }
        w.raw("}")
    }

    /// Whether some behaviour rule of group `g` matched the last lead scored.
    func groupContributes(_ g: Int) -> Bool {
        let rules = evaluator.model.resultText.behaviorRules.count
        for r in 0..<rules where group(ofRule: r) == g && ruleHits(r) > 0 {
            return true
        }
        return false
    }

    /// Writes what flat step `k` lacks, as `Evaluator.collectUnmet` collects it.
    private mutating func writeUnmet(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLackingStep>, _ links: UnsafeBufferPointer<Int32>,
        _ descriptions: [[UInt8]], _ first: inout Bool, to w: inout ByteWriter
    ) {
        let step = steps[k]
        if evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                writeUnmet(Int(links[j]), steps, links, descriptions, &first, to: &w)
            }
        case .criterion:
            writeUnmet(Int(step.first), steps, links, descriptions, &first, to: &w)
        case .part:
            if !first { w.raw(",") }
            first = false
            w.quoted(descriptions[Int(step.first)])
        }
    }
}
