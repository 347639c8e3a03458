/// What scoring one lead needs besides the model: the reader, its record
/// and arena, the one-lead batch, what the scorer keeps between leads and
/// the result buffer, kept from call to call so that a steady stream of
/// one-lead calls (``Model/score(_:at:)``, the C ABI's `funnel_score_json`)
/// allocates nothing but what it returns.
///
/// A class, so that a pool (``OneLeadPool``) can hand one out and take it
/// back; it may pass from thread to thread through such a pool, but is
/// used by one thread at a time, never concurrently, and never through
/// overlapping accesses to one property: its properties go without the
/// dynamic exclusivity checks, which cost a call about 1.5 k instructions.
package final class OneLeadScratch {
    @exclusivity(unchecked) private var reader: LeadLineReader
    @exclusivity(unchecked) private var arena = LeadLineArena()
    @exclusivity(unchecked) private var batch: LeadBatch
    @exclusivity(unchecked) private var interner = LeadLineInterner()
    @exclusivity(unchecked) private var writer = ByteWriter(capacity: 1024)
    /// Room for a comparison key being made (``LeadBatch/appendThroughTables(_:tables:interner:key:)``).
    @exclusivity(unchecked) private var key: [UInt8] = []
    /// The model's byte tables (``CompiledModel/lineTables``), held here so
    /// that a call borrows them instead of copying them.
    private let tables: LeadLineTables
    /// The scorer, made with the empty batch and pointed at each next lead
    /// (``Scorer/rebind(_:asOf:classes:masks:events:)``), with its scratch
    /// space and criteria memo; between calls it holds none of the batch's
    /// columns (``Evaluator/letGo()``), which the batch then changes in place.
    /// Not optional: each `scorer!` use copied the whole scorer out and back
    /// (three `memcpy`s of it a call).
    @exclusivity(unchecked) private var scorer: Scorer
    /// What else a scorer of the batch needs: its class columns (for
    /// `classCount` classes; to be made again when `classesStale`), and the
    /// contains masks of the model and the batch's local symbols
    /// (`maskedWords` words of them), or the model's alone when the batch has none.
    @exclusivity(unchecked) private var classes: ClassColumns
    @exclusivity(unchecked) private var classesStale = false
    @exclusivity(unchecked) private var masks: Column<UInt64>?
    @exclusivity(unchecked) private var maskedWords = 0
    private let modelMasks: Column<UInt64>
    /// The arrays of the last ``ScoreResult``, reused when the caller has let go of them.
    @exclusivity(unchecked) private var resultParts: ScoreResultParts
    /// Where the lead's events go instead of the batch (see ``OneLeadEvents``);
    /// nil for a model with frequency rules, whose events the batch takes.
    private let events: OneLeadEvents?
    /// The model's behaviour points and half-life, which weigh the events.
    private let points: Column<Double>
    private let halfLife: Double?
    /// How many leads' events went to ``OneLeadEvents`` (for tests: that the path is taken).
    @exclusivity(unchecked) package private(set) var directReads = 0

    /// The most local symbols and event classes kept from call to call.
    private static let maxKeptSymbols = 4096

    /// Scratch for scoring leads with `model`.
    package init(model: Model) {
        reader = LeadLineReader(model: model.compiled)
        var batch = LeadBatch(model: model)
        batch.keepsRuleSums = false
        tables = model.compiled.lineTables
        resultParts = ScoreResultParts(model.compiled)
        modelMasks = model.compiled.predicates.symbolMasks
        let scoring = model.compiled.scoring
        let events =
            scoring.hasFrequency ? nil : OneLeadEvents(propertyWidth: model.compiled.predicates.propertyNames.count)
        self.events = events
        points = scoring.behaviorPoints
        halfLife = scoring.halfLifeSeconds
        let classes = ClassColumns(copy batch)
        self.classes = classes
        // Made with the empty batch, as each call leaves it: only pointed at it from then on.
        var scorer = Scorer(
            batch, asOf: 0, classes: classes, masks: nil, owning: false,
            sweptFitRules: Evaluator.sweptFitRules(model.compiled), events: events)
        scorer.evaluator.letGo()
        self.scorer = scorer
        self.batch = batch
    }

    /// Writes `document`'s SPEC §7 score result at `asOf` into the result
    /// buffer: the bytes ``Model/scoreResultJSON(_:at:)`` returns. False when
    /// the document is one the reader leaves to the reference path.
    package func scoreResultJSON(_ document: UnsafeBufferPointer<UInt8>, at asOf: Double) -> Bool {
        arena.values.empty()
        arena.members.empty()
        arena.events.empty()
        arena.text.empty()
        emptyBatch()
        var record = LeadLineRecord()
        guard reader.read(document, into: &record, arena: &arena) else { return false }
        var direct = events
        direct?.removeAll()
        if !Self.append(record, &arena, document, to: &batch, &interner, events: direct) {
            // An event only scoring can route: the batch takes the events.
            guard direct?.bailed == true else { return false }
            direct = nil
            emptyBatch()
            guard Self.append(record, &arena, document, to: &batch, &interner, events: nil) else { return false }
        }
        if let direct {
            direct.finish(points: points.buffer, halfLife: halfLife)
            directReads &+= 1
        }
        bindScorer(at: asOf, events: direct)
        writer.removeAll()
        scorer.writeResult(lead: 0, to: &writer)
        scorer.evaluator.letGo()
        return true
    }

    /// `batch.append(record, arena, ...)` with the arena passed `inout`:
    /// read from the stored property for a borrow, its four arrays were
    /// retained and released around each call.
    private static func append(
        _ record: LeadLineRecord, _ arena: inout LeadLineArena, _ line: UnsafeBufferPointer<UInt8>,
        to batch: inout LeadBatch, _ interner: inout LeadLineInterner, events: OneLeadEvents?
    ) -> Bool {
        batch.append(record, arena, line: line, interner: &interner, events: events)
    }

    /// Calls `body` with the result the last successful
    /// ``scoreResultJSON(_:at:)`` wrote.
    package func withResult<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        writer.withBytes(body)
    }

    /// `lead`'s score at `asOf`, explained: what ``Model/score(_:at:)``
    /// returns. The lead is read through the model's byte tables
    /// (``LeadBatch/appendThroughTables(_:tables:interner:key:)``), or by
    /// ``LeadBatch/append(_:)`` when they cannot read it, which reports
    /// what is wrong with it; the result's arrays are those of the last
    /// result when the caller no longer holds it.
    ///
    /// - Throws: ``LeadError`` when the lead does not fit the model's declarations.
    package func score(_ lead: Lead, at asOf: Double) throws(LeadError) -> ScoreResult {
        emptyBatch()
        var direct = events
        direct?.removeAll()
        if !batch.appendThroughTables(lead, tables: tables, interner: &interner, key: &key, events: direct) {
            // An event only scoring can route: the batch takes the events.
            let retry = direct?.bailed == true
            direct = nil
            emptyBatch()
            if !(retry && batch.appendThroughTables(lead, tables: tables, interner: &interner, key: &key)) {
                if retry { emptyBatch() }
                try batch.append(lead)
            }
        }
        if let direct {
            direct.finish(points: points.buffer, halfLife: halfLife)
            directReads &+= 1
        }
        bindScorer(at: asOf, events: direct)
        let result = scorer.result(lead: 0, reusing: &resultParts)
        scorer.evaluator.letGo()
        return result
    }

    /// Empties the batch for the next lead. Strings and event types the
    /// model does not know keep their local numbers from call to call, as
    /// in one batch of many leads, until there are many of them.
    private func emptyBatch() {
        let keepsSymbols = batch.localSymbols.count + batch.classRules.count <= Self.maxKeptSymbols
        batch.removeAll(keepingSymbols: keepsSymbols)
        if !keepsSymbols {
            interner = LeadLineInterner()
            classesStale = true
            masks = nil
        }
    }

    /// Points ``scorer`` at the batch's lead; its events those of `events` when given.
    private func bindScorer(at asOf: Double, events: OneLeadEvents?) {
        // Through `inout`: reading the stored batch for a borrow would copy it.
        Self.bindScorer(&batch, at: asOf, self, events)
    }

    private static func bindScorer(
        _ batch: inout LeadBatch, at asOf: Double, _ scratch: OneLeadScratch, _ events: OneLeadEvents?
    ) {
        scratch.bindScorer(to: batch, at: asOf, events: events)
    }

    private func bindScorer(to batch: borrowing LeadBatch, at asOf: Double, events: OneLeadEvents?) {
        // Classes are only ever added while symbols are kept, so the count tells.
        var changed = false
        if classesStale || classes.count != batch.classRules.count {
            classes = ClassColumns(copy batch)
            classesStale = false
            changed = true
        }
        if batch.localMasks.isEmpty {
            masks = nil
        } else if masks == nil || maskedWords > batch.localMasks.count {
            masks = batch.model.predicates.symbolMasks
            masks?.append(contentsOf: batch.localMasks)
            maskedWords = batch.localMasks.count
        } else if maskedWords < batch.localMasks.count {
            masks?.append(contentsOf: batch.localMasks.buffer[maskedWords...])
            maskedWords = batch.localMasks.count
        }
        // The batch stays as it is while the scorer is used (until `letGo`).
        scorer.rebind(batch, asOf: asOf, classes: changed ? classes : nil, masks: masks ?? modelMasks, events: events)
    }
}
