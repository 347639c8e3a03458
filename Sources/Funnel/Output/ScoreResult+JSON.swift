extension ScoreResult {
    /// The SPEC §7 document, compact, one line. `lacking` is an extension:
    /// per failed criterion, the parts the lead still lacks.
    public var json: String {
        var writer = JSONWriter(reservingCapacity: 256)
        write(to: &writer)
        return writer.string
    }

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
        w.writeRaw("}}")
    }
}

extension AdvanceResult {
    /// The SPEC §5 advance result, compact, one line.
    public var json: String {
        var writer = JSONWriter(reservingCapacity: 128)
        write(to: &writer)
        return writer.string
    }

    package func write(to w: inout JSONWriter) {
        w.writeRaw("{\"id\":")
        w.writeString(id)
        w.writeRaw(",\"stage\":")
        w.writeString(stage)
        w.writeRaw(",\"moves\":[")
        for (i, move) in moves.enumerated() {
            if i > 0 { w.writeRaw(",") }
            move.write(to: &w)
        }
        w.writeRaw("]}")
    }
}

extension StageMove {
    /// `{"from":…,"to":…,"reason":…,"by":…}` as in SPEC §5; the time is the
    /// `as_of` the caller passed, so the stateless documents leave it out.
    public var json: String {
        var writer = JSONWriter(reservingCapacity: 96)
        write(to: &writer)
        return writer.string
    }

    package func write(to w: inout JSONWriter) {
        w.writeRaw("{\"from\":")
        w.writeString(from)
        w.writeRaw(",\"to\":")
        w.writeString(to)
        w.writeRaw(",\"reason\":")
        if let reason { w.writeString(reason) } else { w.writeNull() }
        w.writeRaw(",\"by\":")
        w.writeString(by)
        w.writeRaw("}")
    }
}
