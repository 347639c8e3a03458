extension AdvanceResult {
    /// The SPEC §5 advance result, compact, one line, with `behavior_since`
    /// (seconds since the epoch) only when a move reset behaviour: what `funnel_advance_json`
    /// returns and `funnel_advance_jsonl` writes a line of.
    public var json: String { JSONWriter.document(reservingCapacity: 128) { write(to: &$0) } }

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
        w.writeRaw("]")
        if let behaviorSince {
            w.writeRaw(",\"behavior_since\":")
            w.writeNumber(behaviorSince)
        }
        w.writeRaw("}")
    }
}
