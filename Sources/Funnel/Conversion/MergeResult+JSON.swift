extension MergeResult {
    /// `{"head":…,"merged":[…],"keys":[…],"lead":{…}}`, compact; `lead` is a
    /// SPEC §6 lead document.
    public var json: String {
        JSONWriter.document(reservingCapacity: 256) { write(to: &$0) }
    }

    func write(to w: inout JSONWriter) {
        w.writeRaw("{\"head\":")
        w.writeString(head)
        w.writeRaw(",\"merged\":")
        w.writeStrings(merged)
        w.writeRaw(",\"keys\":")
        w.writeStrings(keys)
        w.writeRaw(",\"lead\":")
        w.writeValue(documentValue)
        w.writeRaw("}")
    }
}
