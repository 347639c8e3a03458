extension HistoryLine {
    /// The line as compact JSON (no newline), fields in the order of the SPEC §12
    /// table; `at` is seconds since the epoch.
    ///
    /// ```json
    /// {"kind":"move","lead":"L-1","from":"new","to":"mql","at":1793491200,"reason":null,"by":"auto"}
    /// ```
    public var json: String {
        var w = JSONWriter(reservingCapacity: 128)
        func optional(_ s: String?) {
            if let s { w.writeString(s) } else { w.writeNull() }
        }
        switch self {
        case .lead(let lead, let at, let channel):
            w.writeRaw("{\"kind\":\"lead\",\"lead\":")
            w.writeString(lead)
            w.writeRaw(",\"at\":")
            w.writeNumber(at)
            w.writeRaw(",\"channel\":")
            optional(channel)
        case .move(let lead, let from, let to, let at, let reason, let by):
            w.writeRaw("{\"kind\":\"move\",\"lead\":")
            w.writeString(lead)
            w.writeRaw(",\"from\":")
            w.writeString(from)
            w.writeRaw(",\"to\":")
            w.writeString(to)
            w.writeRaw(",\"at\":")
            w.writeNumber(at)
            w.writeRaw(",\"reason\":")
            optional(reason)
            w.writeRaw(",\"by\":")
            optional(by)
        case .deal(let lead, let value, let at):
            w.writeRaw("{\"kind\":\"deal\",\"lead\":")
            w.writeString(lead)
            w.writeRaw(",\"value\":")
            w.writeNumber(value)
            w.writeRaw(",\"at\":")
            w.writeNumber(at)
        case .cost(let channel, let amount, let at):
            w.writeRaw("{\"kind\":\"cost\",\"channel\":")
            optional(channel)
            w.writeRaw(",\"amount\":")
            w.writeNumber(amount)
            w.writeRaw(",\"at\":")
            w.writeNumber(at)
        }
        w.writeRaw("}")
        return w.string
    }
}

extension AdvanceResult {
    /// The history lines (SPEC §12) of this advance's moves, in order.
    public var historyLines: [HistoryLine] {
        moves.map { .move(lead: id, from: $0.from, to: $0.to, at: $0.at, reason: $0.reason, by: $0.by) }
    }
}
