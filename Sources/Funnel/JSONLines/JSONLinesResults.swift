import Dispatch
import Synchronization

/// JSON Lines text of lead documents in, one result document a line out,
/// in one pass per chunk of lines: `funnel score`, `funnel advance`,
/// `funnel_score_jsonl` and `funnel_advance_jsonl`.
///
/// The text is cut at newlines into chunks; each thread takes chunks in
/// turn and, for each, reads its lines (``LeadLineReader``, the reference
/// path for the lines it leaves alone) into its batch (emptied between
/// chunks), scores it and writes its results into a buffer of its own. Nothing is left for one
/// thread to do after the others, so two threads take about half the time
/// of one. A lead's result does not depend on the batch it is in (its
/// weights are relative to its own first event, its strings' symbols are
/// compared, never shown), so the bytes are those of one batch holding
/// every line: `LeadBatch.ingest(lines:numbers:model:threads:)` followed by
/// `scoreLines(at:threads:)` or `advanceLines(at:threads:)`.
package enum JSONLinesResults {
    /// Which result each lead gets.
    package enum Kind: Sendable, Equatable {
        /// SPEC §7's score result.
        case score
        /// The advance result (the model must have stages).
        case advance
        /// SPEC §7's score result as pickle opcodes (``Scorer/writePickledResult(lead:memo:to:)``):
        /// each piece a run of results, its memo written afresh; nil when
        /// the model's names do not read back (not reached).
        case scorePickle
        /// As `.scorePickle`, each result an instance of a Python `dict`
        /// subclass (``ResultPickleClass``) rather than a `dict`.
        case scorePickleAs(ResultPickleClass)

        /// Whether the results are pickle opcodes.
        package var pickles: Bool {
            switch self {
            case .scorePickle, .scorePickleAs: return true
            case .score, .advance: return false
            }
        }
    }

    /// The results of a run of lines.
    package struct Output: Sendable {
        /// The result lines, in order, in pieces (one per chunk).
        package var pieces: [Piece]
        /// The number of leads whose results are in `pieces`: every lead
        /// before the failing line, or every lead.
        package var leads: Int
        /// The number of lines in the text, blank ones and a last one
        /// without a newline included (valid when `error` is nil).
        package var lines: Int
        /// The first line that failed (numbered from `firstLine`), as
        /// `ingest` reports it; nothing after it was read.
        package var error: LineError?

        package init(pieces: [Piece], leads: Int, lines: Int, error: LineError? = nil) {
            self.pieces = pieces
            self.leads = leads
            self.lines = lines
            self.error = error
        }

        /// The number of bytes in `pieces`.
        package var count: Int { pieces.reduce(0) { $0 + $1.count } }

        /// The result lines as one array.
        package var bytes: [UInt8] {
            if pieces.count == 1 && pieces[0].block == nil { return pieces[0].array }
            // Not for 0 bytes: see `LeadBatch.scores(at:threads:)` (the shared empty storage).
            let count = count
            guard count > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: count) { all, initialized in
                initialized = copyBytes(to: UnsafeMutableRawBufferPointer(all))
            }
        }

        /// Copies the result lines into `target` (room for ``count`` bytes;
        /// a smaller one takes what fits, never a trap: a C host calls this);
        /// returns the number copied.
        package func copyBytes(to target: UnsafeMutableRawBufferPointer) -> Int {
            var n = 0
            for piece in pieces {
                piece.withUnsafeBytes { bytes in
                    let take = min(bytes.count, target.count - n)
                    guard let base = bytes.baseAddress, let to = target.baseAddress, take > 0 else { return }
                    (to + n).copyMemory(from: base, byteCount: take)
                    n += take
                }
            }
            return n
        }
    }

    /// The results of every lead in `text` (JSON Lines as ``JSONLines``
    /// splits it) at `asOf`, on up to `threads` threads; the first line is
    /// number `firstLine`. `nil` for `.advance` when the model has no stages.
    /// Chunks are about `chunkBytes` long, on one thread too: a batch of a
    /// few hundred leads stays in cache, where one of the whole text would
    /// not (smaller only in tests, to cut short texts into many chunks).
    package static func results(
        of text: UnsafeRawBufferPointer, model: Model, kind: Kind, asOf: Double, threads: Int, firstLine: Int = 1,
        chunkBytes: Int = defaultChunkBytes
    ) -> Output? {
        if kind == .advance && model.compiled.stages == nil { return nil }
        if kind.pickles && !ResultPickleNames.readable(model.compiled.resultText) { return nil }
        guard let base = text.baseAddress, text.count > 0 else { return Output(pieces: [], leads: 0, lines: 0) }
        let chunks = cut(text, threads: threads, size: max(1, chunkBytes))
        let slots = UnsafeMutableBufferPointer<Chunk?>.allocate(capacity: chunks.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        nonisolated(unsafe) let (out, bytes) = (slots, base.assumingMemoryBound(to: UInt8.self))
        let work = { @Sendable (k: Int, state: inout ChunkState) in
            let range = chunks[k]
            out[k] = state.chunk(
                UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count), kind: kind, asOf: asOf,
                spare: nil)
        }
        let workers = min(max(1, threads), chunks.count)
        if workers == 1 {
            var state = ChunkState(model: model)
            for k in chunks.indices { work(k, &state) }
        } else {
            let cursor = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var state = ChunkState(model: model)
                while true {
                    let k = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard k < chunks.count else { return }
                    work(k, &state)
                }
            }
        }
        return output(of: slots, firstLine: firstLine)
    }

    /// The chunks' results in order, up to and with the first failing line
    /// (numbered from `firstLine`, the number of the chunks' first line).
    static func output(of chunks: some Collection<Chunk?>, firstLine: Int) -> Output {
        var output = Output(pieces: [], leads: 0, lines: 0)
        output.pieces.reserveCapacity(chunks.count)
        for chunk in chunks {
            guard let chunk else { continue }
            output.pieces.append(chunk.bytes)
            output.leads += chunk.leads
            if var error = chunk.error {
                error.line += firstLine - 1 + output.lines
                output.error = error
                return output
            }
            output.lines += chunk.lines
        }
        return output
    }

    /// What one chunk of lines gave.
    struct Chunk {
        var bytes: Piece
        var leads: Int
        /// Its lines, blank ones included.
        var lines: Int
        /// Its first failing line, numbered from 1 in the chunk.
        var error: LineError?
    }

    /// The chunk size ``results(of:model:kind:asOf:threads:firstLine:chunkBytes:)``
    /// cuts at when not told: measured best of 64 KiB to 1 MiB (see the commit).
    package static let defaultChunkBytes = 1 << 18

    /// Byte ranges of whole lines covering `text`, each about `size` bytes
    /// (it ends at the first newline from there): on several threads smaller
    /// when that gives each thread fewer than four (a thread slowed by
    /// another process takes fewer), but not under a quarter of `size`; and
    /// a quarter of that in the last `threads × size` bytes, so that the
    /// threads finish nearly together (the caller waits for the last).
    static func cut(_ text: UnsafeRawBufferPointer, threads: Int, size: Int) -> [Range<Int>] {
        guard let base = text.baseAddress else { return [0..<text.count] }
        let size = threads > 1 ? min(size, max(1, size / 4, text.count / (threads * 4))) : size
        let tail = threads > 1 ? threads * size : 0
        var chunks: [Range<Int>] = []
        var start = 0
        while start < text.count {
            var end = start + (text.count - start <= tail ? max(1, size / 4) : size)
            if end >= text.count {
                end = text.count
            } else {
                end += offsetOfByte(0x0A, in: base + end, count: text.count - end)
                end = min(text.count, end + 1)
            }
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// What one thread keeps from chunk to chunk: its batch (emptied, its
    /// memory and local symbols kept, so a string met in an earlier chunk
    /// is not numbered again), reader, arena and result buffer.
    struct ChunkState: ~Copyable {
        let model: Model
        var batch: LeadBatch
        var reader: LeadLineReader
        var arena = LeadLineArena()
        var interner = LeadLineInterner()
        var record = LeadLineRecord()
        /// For `.scorePickle`: the model's names as opcodes and the memo, made on the first chunk.
        var pickleMemo: ResultPickleMemo?
        var writer = ByteWriter(capacity: 1 << 18)
        /// The offset of each line's `\n` (or the chunk's end) in the chunk
        /// being read: found once, to size the batch and then to cut the lines.
        var lineEnds: [Int] = []

        /// Past this many local symbols the batch forgets them (and the
        /// interner with it), so that memory stays flat on a long input of
        /// strings the model does not know.
        static let symbolsKept = 1 << 16

        init(model: Model) {
            self.model = model
            batch = LeadBatch(model: model)
            // Scored once, at one instant: rule sums (for re-scoring) would
            // cost a pass over every lead's events and save the scorer none.
            batch.keepsRuleSums = false
            reader = LeadLineReader(model: model.compiled)
        }

        /// Reads, scores and writes one chunk of whole lines. The writer's
        /// bytes go out in its memory, and it goes on in `spare`'s (or in new
        /// memory when nil).
        mutating func chunk(
            _ text: UnsafeBufferPointer<UInt8>, kind: Kind, asOf: Double, spare: WrittenBytes?
        ) -> Chunk {
            guard let p = text.baseAddress else { return Chunk(bytes: Piece([]), leads: 0, lines: 0) }
            let n = text.count
            lineEnds.removeAll(keepingCapacity: true)
            var k = 0
            while k < n {
                k += offsetOfByte(0x0A, in: p + k, count: n - k)
                lineEnds.append(k)
                k += 1
            }
            let newlines = lineEnds.count
            let keepSymbols = batch.localSymbols.count <= Self.symbolsKept
            batch.removeAll(keepingSymbols: keepSymbols)
            if !keepSymbols { interner = LeadLineInterner() }
            // An event takes at least ~40 bytes of text (`{"type":"a.b","at":1796083200}`):
            // room for most leads' events at once instead of columns grown by copying.
            let events = max(newlines * 8, n / 48)
            batch.reserveCapacity(leads: newlines, events: events)
            batch.properties.reserveCapacity(events * model.compiled.predicates.propertyNames.count)
            var error: LineError? = nil
            var number = 0
            var start = 0
            for end in lineEnds {
                number += 1
                var last = end
                if last > start && p[last - 1] == 0x0D { last -= 1 }
                let line = UnsafeBufferPointer(start: p + start, count: last - start)
                start = end + 1
                if JSONLines.isBlank(line) { continue }
                arena.removeAll()
                if reader.read(line, into: &record, arena: &arena),
                    batch.append(record, arena, line: line, interner: &interner)
                {
                    continue
                }
                let lead = LeadBatch.referenceLead(UnsafeRawBufferPointer(line), number: number)
                if let failure = batch.append(lead, line: number) {
                    error = failure
                    break
                }
            }
            let bytes: Piece
            switch kind {
            case .score:
                writer.removeAll()
                writer.reserve(batch.count * 1024 + 64)
                if batch.count > 0 {
                    var scorer = Scorer(batch, asOf: asOf)
                    for i in 0..<batch.count {
                        scorer.writeResult(lead: i, to: &writer)
                        writer.byte(UInt8(ascii: "\n"))
                    }
                }
                bytes = handOver(spare)
            case .advance:
                bytes = Piece(batch.count > 0 ? batch.advanceLines(at: asOf, threads: 1) ?? [] : [])
            case .scorePickle, .scorePickleAs:
                if pickleMemo == nil {
                    let resultClass: ResultPickleClass?
                    if case .scorePickleAs(let named) = kind { resultClass = named } else { resultClass = nil }
                    pickleMemo = ResultPickleNames(model.compiled.resultText, resultClass: resultClass).map {
                        ResultPickleMemo($0)
                    }
                }
                writer.removeAll()
                writer.reserve(batch.count * 256 + 64)
                if batch.count > 0, let memo = pickleMemo {
                    memo.reset()
                    var scorer = Scorer(batch, asOf: asOf)
                    for i in 0..<batch.count {
                        scorer.writePickledResult(lead: i, memo: memo, to: &writer)
                    }
                }
                bytes = handOver(spare)
            }
            return Chunk(bytes: bytes, leads: batch.count, lines: number, error: error)
        }

        /// The writer's bytes, handed over in its memory.
        private mutating func handOver(_ spare: WrittenBytes?) -> Piece {
            let block = spare ?? WrittenBytes()
            writer.handOver(to: block)
            return Piece(block)
        }
    }
}
