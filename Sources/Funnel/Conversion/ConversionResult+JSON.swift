extension ConversionResult {
    /// The SPEC §11 document, compact, members in the spec's order:
    /// `{"id":…,"contact":{…},"account":{"match","id","name","domains","candidates"},"deal":{…}}`.
    public var json: String {
        JSONWriter.document(reservingCapacity: 256) { write(to: &$0) }
    }

    func write(to w: inout JSONWriter) {
        w.writeRaw("{\"id\":")
        w.writeString(id)
        w.writeRaw(",\"contact\":{\"name\":")
        w.writeOptional(contact.name)
        w.writeRaw(",\"email\":")
        w.writeOptional(contact.email)
        w.writeRaw(",\"phone\":")
        w.writeOptional(contact.phone)
        w.writeRaw("},\"account\":{\"match\":")
        w.writeString(account.match.rawValue)
        w.writeRaw(",\"id\":")
        w.writeOptional(account.id)
        w.writeRaw(",\"name\":")
        w.writeOptional(account.name)
        w.writeRaw(",\"domains\":")
        w.writeStrings(account.domains)
        w.writeRaw(",\"candidates\":")
        w.writeStrings(account.candidates)
        w.writeRaw("},\"deal\":{\"name\":")
        w.writeString(deal.name)
        w.writeRaw(",\"value\":")
        if let value = deal.value { w.writeNumber(value) } else { w.writeNull() }
        w.writeRaw(",\"close_date\":")
        w.writeNumber(deal.closeDate)
        w.writeRaw("}}")
    }
}

extension JSONWriter {
    mutating func writeOptional(_ s: String?) {
        if let s { writeString(s) } else { writeNull() }
    }

    mutating func writeStrings(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (i, s) in list.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(s)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
