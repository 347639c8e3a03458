extension ScoreResult {
    /// The SPEC §7 document, compact, one line. `lacking` is an extension:
    /// per failed criterion, the parts the lead still lacks; so are
    /// `groups`, `engagement` and `priority` (SPEC §13) are always written;
    /// `win_probability` and `win_factors` (SPEC §14), written only when
    /// ``winFactors`` is set. What
    /// `funnel_score_json` returns and `funnel_score_jsonl` writes a line of.
    public var json: String { JSONWriter.document(reservingCapacity: 256) { write(to: &$0) } }

    package func write(to w: inout JSONWriter) {
        w.writeRaw("{\"id\":")
        w.writeString(id)
        w.writeRaw(",\"fit\":")
        w.writeNumber(fit)
        w.writeRaw(",\"behavior\":")
        w.writeNumber(behavior)
        w.writeRaw(",\"total\":")
        w.writeNumber(total)
        w.writeRaw(",\"grade\":")
        if let grade { w.writeString(grade) } else { w.writeNull() }
        w.writeRaw(",\"criteria\":{")
        for (i, criterion) in criteria.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeString(criterion.name)
            w.writeRaw(":")
            w.writeBool(criterion.holds)
        }
        w.writeRaw("},\"disqualified_by\":[")
        for (i, id) in disqualifiedBy.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeString(id)
        }
        w.writeRaw("],\"contributions\":[")
        for (i, contribution) in contributions.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"rule\":")
            w.writeString(contribution.rule)
            w.writeRaw(",\"points\":")
            w.writeNumber(contribution.points)
            w.writeRaw("}")
        }
        w.writeRaw("],\"lacking\":{")
        var first = true
        for criterion in criteria where !criterion.holds {
            if !first { w.writeRaw(",") }
            first = false
            w.writeString(criterion.name)
            w.writeRaw(":[")
            for (i, part) in criterion.lacking.enumerated() {
                if i > 0 { w.writeRaw(",") }
                w.writeString(part)
            }
            w.writeRaw("]")
        }
        w.writeRaw("},\"groups\":[")
        for (i, group) in groups.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"group\":")
            w.writeString(group.group)
            w.writeRaw(",\"points\":")
            w.writeNumber(group.points)
            w.writeRaw("}")
        }
        w.writeRaw("],\"engagement\":")
        if let engagement { w.writeString(engagement) } else { w.writeNull() }
        w.writeRaw(",\"priority\":")
        if let priority { w.writeString(priority) } else { w.writeNull() }
        if let winFactors { writeWin(winFactors, to: &w) }
        w.writeRaw("}")
    }

    /// `,"win_probability":p,"win_factors":[…]` (SPEC §14), only for a lead
    /// scored with a win model.
    private func writeWin(_ factors: [WinFactor], to w: inout JSONWriter) {
        w.writeRaw(",\"win_probability\":")
        if let winProbability { w.writeNumber(winProbability) } else { w.writeNull() }
        w.writeRaw(",\"win_factors\":[")
        for (i, factor) in factors.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"field\":")
            w.writeString(factor.field)
            w.writeRaw(",\"value\":")
            w.writeString(factor.value)
            w.writeRaw(",\"weight\":")
            w.writeNumber(factor.weight)
            w.writeRaw("}")
        }
        w.writeRaw("]")
    }
}

extension ScoreResult {
    /// `results` as JSON Lines: one SPEC §7 document a line, in order.
    package static func jsonLines(_ results: [ScoreResult]) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: results.count * 256)
        for result in results {
            result.write(to: &writer)
            writer.writeRaw("\n")
        }
        return writer.bytes
    }
}
