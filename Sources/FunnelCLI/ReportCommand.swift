import Funnel

/// `funnel report`: the funnel report (SPEC §12) of a history log.
///
/// The log is read line by line into a ``HistoryLog`` (memory grows with leads,
/// not lines); the report is written to standard output as one JSON document or
/// as CSV tables, and, with `--svg FILE`, as a picture written atomically.
struct ReportCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--model", "--from", "--to", "--format", "--svg"], flags: [], maxFiles: 1)
        let model = try arguments.model()
        let from = try instant("--from")
        let to = try instant("--to")
        if let from, let to, from > to {
            throw CLIError.usage("--from is after --to")
        }
        let csv: Bool
        switch arguments.options["--format"] ?? "json" {
        case "json": csv = false
        case "csv": csv = true
        case let other: throw CLIError.usage("--format: expected json or csv, found \"\(other)\"")
        }
        let svgPath = arguments.options["--svg"]
        if let svgPath, svgPath.isEmpty { throw CLIError.usage("--svg: expected a file name") }

        var reader = try LineReader(path: arguments.files.first)
        var log = HistoryLog(model: model)
        // Whole blocks of lines at a time: the log splits them (as `nextLine`
        // would, `\r\n` included) and numbers them; a last line without `\n`
        // goes in as it is.
        while let (block, terminated) = try reader.nextLines() {
            let result = block.withUnsafeBytes { bytes in
                Result { () throws(HistoryError) in
                    if terminated { try log.add(jsonLines: bytes) } else { try log.add(line: bytes) }
                }
            }
            do {
                try result.get()
            } catch {
                throw CLIError.input(error.description)
            }
        }
        let report = log.report(from: from, to: to)
        if let svgPath {
            try FileOutput.replaceAtomically(svgPath, with: Array(report.svg().utf8))
        }
        try FileOutput.standardOutput(csv ? Array(report.csv.utf8) : report.jsonBytes + [0x0A])
    }

    /// `--from`/`--to`: RFC 3339 text or seconds since the epoch; `nil` when absent (an open end).
    private func instant(_ name: String) throws(CLIError) -> Double? {
        guard let text = arguments.options[name] else { return nil }
        if let seconds = Double(text), seconds.isFinite { return seconds }
        if let seconds = Timestamp.parseRFC3339(text) { return seconds }
        throw CLIError.usage("\(name): expected RFC 3339 text with a zone or seconds since the epoch, found \"\(text)\"")
    }
}

extension Help {
    static let report = """
        funnel report — the funnel report of a history log (SPEC §12)

        USAGE
          funnel report --model FILE [--from TIME] [--to TIME] [--format json|csv] [--svg FILE] [HISTORY]

        Reads the history log (JSON Lines: lead, move, deal and cost lines, in any
        order) from HISTORY (or standard input, or `-`) and writes the report for
        the period [from, to): the leads captured in it, where they got by `to`,
        time in stage, reasons, outcomes, revenue, cost and channels.

        OPTIONS
          --model FILE    the funnel.model/1 document (required)
          --from TIME     start of the period, RFC 3339 text with a zone or seconds
                          since the epoch (default: open)
          --to TIME       end of the period, excluded (default: open)
          --format F      json (default: one funnel.report/1 document) or csv (the
                          funnel, stages, reasons, channels and summary tables, one
                          after another, each with a header row, a blank line between)
          --svg FILE      also draw the funnel as an SVG picture into FILE (written
                          to FILE.tmp, then renamed; untouched when the report fails)

        A bad line stops the run with exit status 1 and a message naming the line
        and the field; nothing is written. A bad model or usage exits with status 2;
        a failed write exits with status 1.

        """
}

extension StreamCommand {
    /// `funnel advance --history FILE`: the `move` lines (SPEC §12) of the moves
    /// this block made, whole lines, in input order.
    func historyLines(_ batch: LeadBatch, asOf: Double, threads: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for result in batch.advance(at: asOf, threads: threads) ?? [] {
            for line in result.historyLines {
                bytes += line.json.utf8
                bytes.append(0x0A)
            }
        }
        return bytes
    }
}
