extension Scorer {
    /// Scores lead `lead` and writes its SPEC §7 document as pickle opcodes
    /// (protocol 4): the objects Python's `json.loads` makes of the text
    /// ``writeResult(lead:to:)`` writes — dicts, lists, str, int where the text
    /// has an integer, float (the same double) elsewhere, True, False, None —
    /// in the same order. Keys and the model's names are memoised at fixed
    /// indices (``ResultPickleNames``), so that a Python host loads one str
    /// object for each, however many results name it.
    ///
    /// As ``writeResult(lead:to:)``: the model's tables are read through
    /// pointers fetched once a lead and every name's opcodes are copied from
    /// one block, so no reference count is touched and nothing is allocated.
    mutating func writePickledResult(lead: Int, memo: ResultPickleMemo, to w: inout ByteWriter) {
        let (fit, behavior) = score(lead: lead)
        let tables = evaluator.resultTables(fit: fit, behavior: behavior)
        let (steps, links, roots) = (tables.steps, tables.links, tables.roots)
        let (disqualifierRoots, grade, level) = (tables.disqualifierRoots, tables.grade, tables.level)
        let names = memo.view
        memo.openResult(&w)
        w.byte(0x28)  // MARK
        memo.name(ResultPickleNames.id, &w)
        var id = evaluator.leadID
        id.withUTF8 { utf8 in
            if utf8.count < 256 {
                w.bytes(0x8C, UInt8(truncatingIfNeeded: utf8.count))  // SHORT_BINUNICODE
            } else {
                w.byte(0x58)  // BINUNICODE
                w.littleEndian(UInt32(truncatingIfNeeded: utf8.count))
            }
            if let base = utf8.baseAddress { w.raw(base, count: utf8.count) }
        }
        memo.name(ResultPickleNames.fit, &w)
        ResultPickleNumber(fit).write(&w)
        memo.name(ResultPickleNames.behavior, &w)
        ResultPickleNumber(behavior).write(&w)
        memo.name(ResultPickleNames.total, &w)
        ResultPickleNumber(evaluator.total).write(&w)
        memo.name(ResultPickleNames.grade, &w)
        if grade >= 0 { memo.name(names.starts.grades &+ grade, &w) } else { w.byte(0x4E) }
        memo.name(ResultPickleNames.criteria, &w)
        w.byte(0x7D)
        let criteria = names.starts.criterionCount
        if criteria > 0 {
            w.byte(0x28)
            for i in 0..<criteria {
                memo.name(names.starts.criteria &+ i, &w)
                w.byte(evaluator.criterion(i) ? 0x88 : 0x89)  // NEWTRUE / NEWFALSE
            }
            w.byte(0x75)  // SETITEMS
        }
        memo.name(ResultPickleNames.disqualifiedBy, &w)
        w.byte(0x5D)  // EMPTY_LIST
        var open = false
        for i in 0..<names.starts.disqualifierCount where evaluator.holds(disqualifierRoots[i]) {
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(names.starts.disqualifiers &+ i, &w)
        }
        if open { w.byte(0x65) }  // APPENDS
        memo.name(ResultPickleNames.contributions, &w)
        w.byte(0x5D)
        open = false
        for r in 0..<names.starts.fitRuleCount where fitHit(r) {
            if !open {
                w.byte(0x28)
                open = true
            }
            w.bytes(0x7D, 0x28)
            memo.name(ResultPickleNames.rule, &w)
            memo.name(names.starts.fitRules &+ r, &w)
            memo.name(ResultPickleNames.points, &w)
            names.write(names.fitPoints &+ r, &w)
            w.byte(0x75)
        }
        var groupsHit = false
        let behaviorRules = names.starts.behaviorRuleCount
        for r in 0..<behaviorRules where ruleHits(r) > 0 {
            if !open {
                w.byte(0x28)
                open = true
            }
            w.bytes(0x7D, 0x28)
            memo.name(ResultPickleNames.rule, &w)
            memo.name(names.starts.behaviorRules &+ r, &w)
            memo.name(ResultPickleNames.points, &w)
            ResultPickleNumber(cappedTotal(r)).write(&w)
            w.byte(0x75)
            if group(ofRule: r) >= 0 { groupsHit = true }
        }
        if open { w.byte(0x65) }
        memo.name(ResultPickleNames.lacking, &w)
        w.byte(0x7D)
        open = false
        for i in 0..<criteria where !evaluator.criterion(i) {
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(names.starts.criteria &+ i, &w)
            w.byte(0x5D)
            var parts = false
            pickleUnmet(Int(roots[i]), steps, links, names.starts.descriptions, memo, &parts, &w)
            if parts { w.byte(0x65) }
        }
        if open { w.byte(0x75) }
        memo.name(ResultPickleNames.groups, &w)
        w.byte(0x5D)
        if groupsHit {
            open = false
            for g in 0..<names.starts.groupCount where groupContributes(g, rules: behaviorRules) {
                if !open {
                    w.byte(0x28)
                    open = true
                }
                w.bytes(0x7D, 0x28)
                memo.name(ResultPickleNames.group, &w)
                memo.name(names.starts.groups &+ g, &w)
                memo.name(ResultPickleNames.points, &w)
                ResultPickleNumber(groupTotal(g)).write(&w)
                w.byte(0x75)
            }
            if open { w.byte(0x65) }
        }
        memo.name(ResultPickleNames.engagement, &w)
        if level >= 0 { memo.name(names.starts.engagement &+ level, &w) } else { w.byte(0x4E) }
        memo.name(ResultPickleNames.priority, &w)
        if grade >= 0 && level >= 0 {
            names.write(names.priorities &+ grade &* names.starts.engagementCount &+ level, &w)
        } else {
            w.byte(0x4E)
        }
        w.byte(0x75)
    }

    /// Writes what flat step `k` lacks, as `writeUnmet` does (list items, a MARK before the first).
    private mutating func pickleUnmet(
        _ k: Int, _ steps: UnsafeBufferPointer<FlatLackingStep>, _ links: UnsafeBufferPointer<Int32>,
        _ descriptions: Int, _ memo: ResultPickleMemo, _ open: inout Bool, _ w: inout ByteWriter
    ) {
        let step = steps[k]
        if evaluator.holds(step.node) { return }
        switch step.kind {
        case .all:
            for j in Int(step.first)..<Int(step.first &+ step.count) {
                pickleUnmet(Int(links[j]), steps, links, descriptions, memo, &open, &w)
            }
        case .criterion:
            pickleUnmet(Int(step.first), steps, links, descriptions, memo, &open, &w)
        case .part:
            if !open {
                w.byte(0x28)
                open = true
            }
            memo.name(descriptions &+ Int(step.first), &w)
        }
    }
}
