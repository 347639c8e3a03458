/// What scoring one lead document needs besides the model: the reader, its
/// record and arena, the one-lead batch and the result buffer, kept from
/// call to call so that a steady stream of one-lead calls (the C ABI's
/// `funnel_score_json`) allocates little but the scorer's own state.
///
/// A class, so that a pool can hand one out and take it back; it may pass
/// from thread to thread through such a pool, but is used by one thread at
/// a time, never concurrently.
package final class OneLeadScratch {
    private var reader: LeadLineReader
    private var arena = LeadLineArena()
    private var batch: LeadBatch
    private var interner = LeadLineInterner()
    private var writer = ByteWriter(capacity: 1024)
    /// The scorer's per-rule scratch (the scorer itself holds the batch, so
    /// it is made anew each call, lest the batch's columns be shared).
    private var scorerScratch: Scratch?

    /// The most local symbols and event classes kept from call to call.
    private static let maxKeptSymbols = 4096

    /// Scratch for scoring leads with `model`.
    package init(model: Model) {
        reader = LeadLineReader(model: model.compiled)
        batch = LeadBatch(model: model)
        batch.keepsRuleSums = false
    }

    /// Writes `document`'s SPEC §7 score result at `asOf` into the result
    /// buffer: the bytes ``Model/scoreResultJSON(_:at:)`` returns. False when
    /// the document is one the reader leaves to the reference path.
    package func scoreResultJSON(_ document: UnsafeBufferPointer<UInt8>, at asOf: Double) -> Bool {
        arena.values.removeAll(keepingCapacity: true)
        arena.members.removeAll(keepingCapacity: true)
        arena.events.removeAll(keepingCapacity: true)
        arena.text.removeAll(keepingCapacity: true)
        // Strings and event types the model does not know keep their local
        // numbers from call to call, as in one batch of many leads, until
        // there are many of them.
        let keepsSymbols = batch.localSymbols.count + batch.classRules.count <= Self.maxKeptSymbols
        batch.removeAll(keepingSymbols: keepsSymbols)
        if !keepsSymbols { interner = LeadLineInterner() }
        var record = LeadLineRecord()
        guard reader.read(document, into: &record, arena: &arena) else { return false }
        guard batch.append(record, arena, line: document, interner: &interner) else { return false }
        var scorer = Scorer(batch, asOf: asOf, scratch: scorerScratch)
        scorerScratch = scorer.scratchSpace
        writer.removeAll()
        scorer.writeResult(lead: 0, to: &writer)
        return true
    }

    /// Calls `body` with the result the last successful
    /// ``scoreResultJSON(_:at:)`` wrote.
    package func withResult<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        writer.withBytes(body)
    }
}
