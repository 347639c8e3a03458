extension Model {
    /// One lead document's SPEC §7 score result at `asOf`, read by
    /// ``LeadLineReader`` and written by ``Scorer/writeResult(lead:to:)``:
    /// the bytes `score(Lead(jsonBytes:), at:).json` gives, without the
    /// `JSONValue` tree, the `Lead` or the `ScoreResult`. `nil` when the
    /// document is one the reader leaves to the reference path (every
    /// invalid one among them): the caller then takes that path, which
    /// reports the error.
    package func scoreResultJSON(_ document: UnsafeBufferPointer<UInt8>, at asOf: Double) -> [UInt8]? {
        var reader = LeadLineReader(model: compiled)
        var arena = LeadLineArena()
        var record = LeadLineRecord()
        guard reader.read(document, into: &record, arena: &arena) else { return nil }
        var batch = LeadBatch(model: self)
        batch.keepsRuleSums = false
        var interner = LeadLineInterner()
        guard batch.append(record, arena, line: document, interner: &interner) else { return nil }
        var scorer = Scorer(batch, asOf: asOf)
        var writer = ByteWriter(capacity: 1024)
        scorer.writeResult(lead: 0, to: &writer)
        return writer.bytes
    }
}
