import Funnel

/// `funnel score` and `funnel advance`: JSON Lines in, one result a line out.
///
/// Lines are read in blocks, parsed and scored on every core and written in
/// input order; only a few blocks are in memory at once, so memory stays flat
/// however long the input is.
struct StreamCommand {
    enum Mode { case score, advance }

    let mode: Mode
    let arguments: Arguments

    static let blockSize = 8192
    /// The bytes of whole lines ``runFused`` takes at a time.
    static let blockBytes = 4 << 20
    /// The first block's size: the workers start once this much is read,
    /// not after a whole block (4 MiB of first-touched memory, read in
    /// 1, 2 and 4 MiB steps each copied into the next), which they waited
    /// for with nothing else to do.
    static let firstBlockBytes = 1 << 20
    /// The blocks ``runFused`` keeps with the workers: one scored while the
    /// next is read, so that they never wait for this thread's I/O.
    static let blocksAhead = 2

    func run() throws(CLIError) {
        try arguments.check(
            options: Set(["--model", "--as-of", "--format", "--threads"] + (mode == .advance ? ["--history"] : ["--win-model"])),
            flags: ["--progress", "--quiet"], maxFiles: 1)
        let model = try arguments.model()
        let predictor = try arguments.winModel(for: model)?.predictor
        if mode == .advance && model.stageIDs.isEmpty {
            throw CLIError.usage("the model has no stages section, so there is nothing to advance")
        }
        let asOf = try arguments.asOf()
        let threads = try arguments.threads()
        let csv: Bool
        switch arguments.options["--format"] ?? "jsonl" {
        case "jsonl", "json": csv = false
        case "csv": csv = true
        case let other: throw CLIError.usage("--format: expected jsonl or csv, found \"\(other)\"")
        }
        var reader = try LineReader(path: arguments.files.first)
        var out = Output.standardOutput
        var progress = Progress(
            enabled: arguments.flags.contains("--progress")
                || (!arguments.flags.contains("--quiet") && Output.standardError.isTerminal),
            verb: mode == .score ? "scored" : "advanced")
        if csv { out.write(csvHeader(model, win: predictor != nil)) }
        let history = try arguments.options["--history"].map { path throws(CLIError) in try LineAppender(path: path) }

        if predictor == nil && !csv && history == nil {
            try runFused(model, asOf: asOf, threads: threads, reader: &reader, out: &out, progress: &progress)
            return
        }
        var done = false
        while !done {
            var lines: [[UInt8]] = []
            var numbers: [Int] = []
            try reader.readBlock(into: &lines, numbers: &numbers, limit: Self.blockSize)
            done = lines.count < Self.blockSize
            let (batch, failure) = LeadBatch.ingest(lines: lines, numbers: numbers, model: model, threads: threads)
            if let predictor, batch.count > 0 {
                try writeWithWin(batch, predictor, asOf: asOf, threads: threads, csv: csv, to: &out)
            } else {
                write(batch, asOf: asOf, threads: threads, csv: csv, to: &out)
            }
            if let history { try history.append(historyLines(batch, asOf: asOf, threads: threads)) }
            progress.add(batch.count)
            if let failure {
                try out.flush()
                progress.finish()
                try history?.finish()
                throw CLIError.input(failure.description)
            }
            // A failed write stops the run here, not after reading all the input.
            try out.flush()
        }
        try out.flush()
        progress.finish()
        try history?.finish()
    }

    /// Plain JSON Lines results, without a win model or a history: blocks of
    /// whole lines go through a ``JSONLinesResults/Pipeline`` (scored in
    /// chunks on its threads) while this thread reads the next block and
    /// writes the results of the last, with the same output and errors as
    /// the general loop above: every result before a failing line, then the
    /// error; a failed write stops the run within a block.
    private func runFused(
        _ model: Model, asOf: Double, threads: Int, reader: inout LineReader, out: inout Output, progress: inout Progress
    ) throws(CLIError) {
        let kind: JSONLinesResults.Kind = mode == .score ? .score : .advance
        guard var pipeline = JSONLinesResults.Pipeline(model: model, kind: kind, asOf: asOf, threads: threads) else {
            return
        }
        var lines = 0
        var submitted = 0
        // A block given back by the pipeline, for the reader to read into next.
        var spare: [UInt8]? = nil
        // The last line when it has no newline; read after every block before it.
        var lastLine: [UInt8]? = nil
        // A failed read, reported after the results of every block read before it.
        var readFailure: CLIError? = nil
        var reading = true
        while true {
            while reading && pipeline.pending < Self.blocksAhead {
                do throws(CLIError) {
                    let size = submitted == 0 ? Self.firstBlockBytes : Self.blockBytes
                    guard let (bytes, range, terminated) = try reader.takeBlock(atLeast: size, spare: &spare)
                    else {
                        reading = false
                        break
                    }
                    if terminated {
                        pipeline.submit(bytes, range: range)
                        submitted += 1
                    } else {
                        // The last line, without a newline, as `LineReader.nextLine` gives it (a `\r` kept).
                        lastLine = bytes
                        reading = false
                    }
                } catch {
                    readFailure = error
                    reading = false
                }
            }
            guard let (output, bytes) = pipeline.next() else { break }
            spare = bytes
            try write(output, to: &out, progress: &progress)
            lines += output.lines
            pipeline.recycle(consume output)
        }
        if let readFailure { throw readFailure }
        if let lastLine, let output = self.lastLine(lastLine, number: lines + 1, model, kind: kind, asOf: asOf) {
            try write(output, to: &out, progress: &progress)
        }
        try out.flush()
        progress.finish()
    }

    /// Writes one block's results, then its error if any.
    private func write(_ output: JSONLinesResults.Output, to out: inout Output, progress: inout Progress) throws(CLIError) {
        for piece in output.pieces { piece.withUnsafeBytes { out.write(large: $0) } }
        progress.add(output.leads)
        if let failure = output.error {
            try out.flush()
            progress.finish()
            throw CLIError.input(failure.description)
        }
        // A failed write stops the run here, not after reading all the input.
        try out.flush()
    }

    /// ``JSONLinesResults/Output`` of a last line without a newline, read the
    /// general way.
    private func lastLine(
        _ line: [UInt8], number: Int, _ model: Model, kind: JSONLinesResults.Kind, asOf: Double
    ) -> JSONLinesResults.Output? {
        guard !JSONLines.isBlank(line) else { return JSONLinesResults.Output(pieces: [], leads: 0, lines: 1) }
        let (batch, failure) = LeadBatch.ingest(lines: [line], numbers: [number], model: model, threads: 1)
        let bytes = batch.count == 0 ? [] : mode == .score
            ? batch.scoreLines(at: asOf, threads: 1) : batch.advanceLines(at: asOf, threads: 1) ?? []
        return JSONLinesResults.Output(pieces: [.init(bytes)], leads: batch.count, lines: 1, error: failure)
    }

    private func write(_ batch: LeadBatch, asOf: Double, threads: Int, csv: Bool, to out: inout Output) {
        guard batch.count > 0 else { return }
        switch (mode, csv) {
        case (.score, false):
            out.write(bytes: batch.scoreLines(at: asOf, threads: threads))
        case (.advance, false):
            out.write(bytes: batch.advanceLines(at: asOf, threads: threads) ?? [])
        case (.score, true):
            for result in batch.results(at: asOf, threads: threads) { out.write(csvRow(result)) }
        case (.advance, true):
            for result in batch.advance(at: asOf, threads: threads) ?? [] { out.write(csvRow(result)) }
        }
    }

    /// Score results with `win_probability` and `win_factors` (SPEC §14).
    private func writeWithWin(
        _ batch: LeadBatch, _ predictor: WinPredictor, asOf: Double, threads: Int, csv: Bool, to out: inout Output
    ) throws(CLIError) {
        let results: [ScoreResult]
        do throws(WinBatchMismatch) {
            results = try predictor.results(of: batch, at: asOf, threads: threads)
        } catch {
            throw CLIError.usage("--win-model: \(error)")
        }
        if csv {
            for result in results { out.write(csvRow(result)) }
        } else {
            out.write(bytes: ScoreResult.jsonLines(results))
        }
    }

    private func csvHeader(_ model: Model, win: Bool) -> String {
        switch mode {
        case .score:
            let winColumns = win ? ["win_probability", "win_factors"] : []
            return (["id", "fit", "behavior", "total", "grade"] + model.criterionNames + ["disqualified_by"] + winColumns)
                .map(csvField).joined(separator: ",") + "\n"
        case .advance:
            return "id,stage,moves,path,reasons\n"
        }
    }

    private func csvRow(_ r: ScoreResult) -> String {
        var fields = [r.id, formatNumber(r.fit), formatNumber(r.behavior), formatNumber(r.total), r.grade ?? ""]
        fields += r.criteria.map { $0.holds ? "true" : "false" }
        fields.append(r.disqualifiedBy.joined(separator: ";"))
        if let factors = r.winFactors {
            // win_factors: `field=value` of each factor, strongest first.
            fields.append(r.winProbability.map(formatNumber) ?? "")
            fields.append(factors.map { "\($0.field)=\($0.value)" }.joined(separator: ";"))
        }
        return fields.map(csvField).joined(separator: ",") + "\n"
    }

    private func csvRow(_ r: AdvanceResult) -> String {
        let path = ([r.moves.first?.from ?? r.stage] + r.moves.map(\.to)).joined(separator: ">")
        let reasons = r.moves.compactMap(\.reason).joined(separator: ";")
        return [r.id, r.stage, String(r.moves.count), path, reasons].map(csvField).joined(separator: ",") + "\n"
    }
}

/// RFC 4180 quoting, only where needed.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

/// Progress on standard error for long runs: a line rewritten in place.
struct Progress {
    let enabled: Bool
    let verb: String
    private var count = 0
    private let start = monotonicTime()
    private var lastPrint = 0.0

    init(enabled: Bool, verb: String) {
        self.enabled = enabled
        self.verb = verb
    }

    mutating func add(_ n: Int) {
        count += n
        guard enabled else { return }
        let now = monotonicTime()
        if now - lastPrint >= 0.5 {
            lastPrint = now
            report(now)
        }
    }

    func finish() {
        guard enabled, count > 0 else { return }
        report(monotonicTime())
        var err = Output.standardError
        err.write("\n")
        try? err.flush()
    }

    private func report(_ now: Double) {
        let rate = Double(count) / max(now - start, 1e-9)
        var err = Output.standardError
        err.write("\r\(verb) \(count) leads (\(Int(rate)) leads/s)")
        try? err.flush()
    }
}
