extension RouteResult {
    /// The SPEC §10 route result, compact, one line:
    /// `{"id":…,"team":…,"owner":…,"queue":…,"kept":…,"skipped":[{"team":…,"members":{id: reason}}]}`.
    public var json: String { JSONWriter.document(reservingCapacity: 96) { write(to: &$0) } }

    package func write(to w: inout JSONWriter) {
        w.writeRaw("{\"id\":")
        w.writeString(id)
        w.writeRaw(",\"team\":")
        writeOptional(team, &w)
        w.writeRaw(",\"owner\":")
        writeOptional(owner, &w)
        w.writeRaw(",\"queue\":")
        writeOptional(queue, &w)
        w.writeRaw(",\"kept\":")
        w.writeBool(kept)
        w.writeRaw(",\"skipped\":[")
        for (i, skip) in skipped.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"team\":")
            w.writeString(skip.team)
            w.writeRaw(",\"members\":{")
            for (j, member) in skip.members.enumerated() {
                if j > 0 { w.writeRaw(",") }
                w.writeString(member.id)
                w.writeRaw(":")
                w.writeString(member.reason.rawValue)
            }
            w.writeRaw("}}")
        }
        w.writeRaw("]}")
    }

    private func writeOptional(_ text: String?, _ w: inout JSONWriter) {
        if let text { w.writeString(text) } else { w.writeNull() }
    }
}
