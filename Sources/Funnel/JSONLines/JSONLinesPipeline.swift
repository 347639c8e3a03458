import Dispatch

extension JSONLinesResults {
    /// ``JSONLinesResults/results(of:model:kind:asOf:threads:firstLine:chunkBytes:)``
    /// over a stream of blocks of lines (`funnel score` and `funnel advance`
    /// on a long input), the caller reading the next block and writing the
    /// last one's results while the workers score.
    ///
    /// Its workers live as long as it does, each on a thread of its own with
    /// one ``ChunkState`` for the whole run (made once, not once a block),
    /// and take chunks from one queue across block boundaries, so no worker
    /// waits for the others at the end of a block or for the caller's I/O.
    /// Results come back a block at a time, in the order the blocks went in,
    /// each chunk's in the memory its worker wrote it in; given back
    /// (``recycle(_:)``) once written out, that memory is written into again.
    /// Memory stays flat when the caller keeps a bounded number of blocks
    /// ``pending``. Dropping it stops the workers (after their current chunk).
    package struct Pipeline: ~Copyable {
        private let shared: Shared
        private let workers: Int
        private let threads: Int
        private let chunkBytes: Int
        private let group = DispatchGroup()
        /// The first line of the next block to come out of ``next()``.
        private var firstLine: Int
        /// Blocks submitted whose results were not taken yet.
        package private(set) var pending = 0

        /// Workers for `threads` threads, at most one a processor (chunks cut
        /// as `results` cuts them); nil for `.advance` when the model has no
        /// stages. The first line is number `firstLine`.
        package init?(
            model: Model, kind: Kind, asOf: Double, threads: Int, firstLine: Int = 1,
            chunkBytes: Int = defaultChunkBytes
        ) {
            if kind == .advance && model.compiled.stages == nil { return nil }
            if kind.pickles && !ResultPickleNames.readable(model.compiled.resultText) { return nil }
            let shared = Shared()
            self.shared = shared
            self.threads = max(1, threads)
            // No more threads than processors (more would only take turns; a huge
            // `--threads` must not make that many threads).
            workers = min(max(1, threads), defaultThreadCount)
            self.chunkBytes = max(1, chunkBytes)
            self.firstLine = firstLine
            for w in 0..<workers {
                // A queue of its own is a thread of its own (it targets the overcommit pool).
                DispatchQueue(label: "funnel.jsonl.worker.\(w)").async(group: group) {
                    var state = ChunkState(model: model)
                    while let (job, spare) = shared.take() {
                        var job = job
                        let chunk = job.bytes.withUnsafeBufferPointer { all in
                            state.chunk(
                                UnsafeBufferPointer(rebasing: all[job.range]), kind: kind, asOf: asOf, spare: spare)
                        }
                        // The block goes back to the caller unshared, to be read into again without a copy.
                        job.bytes = []
                        shared.finish(job, chunk)
                    }
                }
            }
        }

        deinit {
            shared.close(workers: workers)
            group.wait()
        }

        /// Hands the whole lines `bytes[range]` (each ending in `\n`, as
        /// ``JSONLines`` splits them) to the workers; `bytes` comes back
        /// with the block's results from ``next()``.
        package mutating func submit(_ bytes: [UInt8], range: Range<Int>) {
            let chunks = bytes.withUnsafeBytes { all in
                let text = UnsafeRawBufferPointer(rebasing: all[range])
                return text.isEmpty ? [] : cut(text, threads: threads, size: chunkBytes)
            }
            shared.add(bytes, chunks: chunks.map { ($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound) })
            pending += 1
        }

        /// The results of the oldest block not taken yet (as `results` gives
        /// them, lines numbered on from the blocks before), and its bytes
        /// back; waits for its last chunk. nil when no block is pending.
        package mutating func next() -> (output: Output, bytes: [UInt8])? {
            guard let (chunks, bytes) = shared.oldest() else { return nil }
            pending -= 1
            let output = JSONLinesResults.output(of: chunks, firstLine: firstLine)
            firstLine += output.lines
            return (output, bytes)
        }

        /// Takes back the memory of `output`'s pieces (from ``next()``), for
        /// the workers to write later chunks into; a piece still shared
        /// elsewhere is left alone.
        package func recycle(_ output: consuming Output) {
            var pieces = output.pieces
            output.pieces = []
            var blocks: [WrittenBytes] = []
            blocks.reserveCapacity(pieces.count)
            while var piece = pieces.popLast() {
                if isKnownUniquelyReferenced(&piece.block), let block = piece.block { blocks.append(block) }
            }
            shared.recycle(blocks)
        }
    }
}

extension JSONLinesResults.Pipeline {
    /// One chunk of a block, for a worker.
    fileprivate struct Job: Sendable {
        /// The block's number, counted from the first one submitted.
        var block: Int
        /// The chunk's place in its block.
        var index: Int
        var bytes: [UInt8]
        var range: Range<Int>
    }

    /// A block submitted and not taken.
    fileprivate struct Block {
        var bytes: [UInt8]
        var chunks: [JSONLinesResults.Chunk?]
        /// Its chunks not scored yet.
        var remaining: Int
    }

    /// What the caller and the workers share, under one lock: the queue of
    /// chunks and the blocks they belong to.
    fileprivate final class Shared: Sendable {
        private struct State {
            var jobs: [Job] = []
            /// The next job to take.
            var head = 0
            var closed = false
            var blocks: [Block] = []
            /// The number of `blocks[0]`.
            var firstBlock = 0
            /// Memory for the workers' writers to go on in.
            var spares: [WrittenBytes] = []
        }

        private let state = Locked(State())
        /// Signalled once a job (and once a worker at the close).
        private let work = DispatchSemaphore(value: 0)
        /// Signalled once a block scored (its last chunk), to wake the caller once a block, not once a chunk.
        private let scored = DispatchSemaphore(value: 0)
        /// Memory given back (``Pipeline/recycle(_:)``) kept for the workers'
        /// writers, at most this many blocks (as many as are in flight, in
        /// the steady state: a few blocks' chunks).
        private static let sparesKept = 256

        func add(_ bytes: [UInt8], chunks: [Range<Int>]) {
            state.withLock { s in
                let number = s.firstBlock + s.blocks.count
                s.blocks.append(Block(bytes: bytes, chunks: Array(repeating: nil, count: chunks.count), remaining: chunks.count))
                for (index, range) in chunks.enumerated() {
                    s.jobs.append(Job(block: number, index: index, bytes: bytes, range: range))
                }
            }
            for _ in chunks { work.signal() }
        }

        /// The next chunk to score, and memory to write the chunk after in
        /// if there is some; nil once closed.
        func take() -> (Job, WrittenBytes?)? {
            while true {
                work.wait()
                let job = state.withLock { s -> (Job, WrittenBytes?)?? in
                    if s.closed { return .some(nil) }
                    guard s.head < s.jobs.count else { return nil }
                    let job = s.jobs[s.head]
                    s.jobs[s.head].bytes = []
                    s.head += 1
                    if s.head >= 256 {
                        s.jobs.removeFirst(s.head)
                        s.head = 0
                    }
                    return (job, s.spares.popLast())
                }
                if let job { return job }
            }
        }

        func recycle(_ blocks: [WrittenBytes]) {
            guard !blocks.isEmpty else { return }
            state.withLock { s in
                guard !s.closed else { return }
                s.spares += blocks.prefix(max(0, Self.sparesKept - s.spares.count))
            }
        }

        func finish(_ job: Job, _ chunk: JSONLinesResults.Chunk) {
            let blockDone = state.withLock { s in
                let k = job.block - s.firstBlock
                guard !s.closed, s.blocks.indices.contains(k) else { return false }
                s.blocks[k].chunks[job.index] = chunk
                s.blocks[k].remaining -= 1
                return s.blocks[k].remaining == 0
            }
            if blockDone { scored.signal() }
        }

        /// The oldest block's chunks and bytes, once every chunk is scored;
        /// nil when there is none.
        func oldest() -> (chunks: [JSONLinesResults.Chunk?], bytes: [UInt8])? {
            while true {
                let ready = state.withLock { s -> Block?? in
                    guard let first = s.blocks.first else { return .some(nil) }
                    guard first.remaining == 0 else { return nil }
                    s.firstBlock += 1
                    return s.blocks.removeFirst()
                }
                if let ready { return ready.map { ($0.chunks, $0.bytes) } }
                scored.wait()
            }
        }

        /// Stops the workers after their current chunk, dropping the rest.
        func close(workers: Int) {
            state.withLock { s in
                s.closed = true
                s.jobs = []
                s.head = 0
                s.blocks = []
                s.spares = []
            }
            for _ in 0..<workers { work.signal() }
        }
    }
}
