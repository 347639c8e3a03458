extension StageMove {
    /// `{"from":…,"to":…,"reason":…,"by":…}` as in SPEC §5; the time is the
    /// `as_of` the caller passed, so the stateless documents leave it out.
    public var json: String { JSONWriter.document(reservingCapacity: 96) { write(to: &$0) } }

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
