// history: the history log reader and the funnel report (SPEC §12). Byte 0
// picks the model and the period; the rest is JSON Lines text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let pick = Int(input.byte())
    let model = fixedModels[pick % fixedModels.count]
    let periods: [(Double?, Double?)] = [(nil, nil), (0, fuzzAsOf), (fuzzAsOf - 86_400 * 30, fuzzAsOf), (nil, 1000)]
    let (from, to) = periods[(pick / fixedModels.count) % periods.count]
    let bytes = input.rest()

    // Line by line, each line's fast path agrees with the strict reader.
    var log = HistoryLog(model: model)
    var failure: HistoryError?
    var start = 0
    while start <= bytes.count {
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        if start == bytes.count && start > 0 { break }
        var stop = end
        if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
        let line = Array(bytes[start..<stop])
        line.withUnsafeBytes { raw in
            guard let fast = HistoryScanner.scan(raw) else { return }
            do {
                let strict = try HistoryReader.read(raw, line: 1)
                check(strict.at.bitPattern == fast.at.bitPattern, "fast and strict paths read `at` differently")
            } catch {
                fatalError("invariant failed: the fast path took a line the strict reader refuses: \(error)")
            }
        }
        do {
            try log.add(line: line)
        } catch {
            check(error.line == log.lineCount, "error names line \(error.line), not \(log.lineCount)")
            check(!error.description.isEmpty, "empty error")
            failure = error
            break
        }
        if end >= bytes.count { break }
        start = end + 1
    }

    // The whole text at once stops at the same line with the same error.
    var whole = HistoryLog(model: model)
    let result = bytes.withUnsafeBytes { raw in
        Result { () throws(HistoryError) in try whole.add(jsonLines: raw) }
    }
    switch result {
    case .success:
        check(failure == nil, "the whole text was accepted, line by line was not: \(failure!)")
    case .failure(let error):
        check(error == failure, "the whole text failed with \(error), line by line with \(String(describing: failure))")
    }

    let report = log.report(from: from, to: to)
    check(report == whole.report(from: from, to: to), "reports differ between line by line and the whole text")
    let outcomes = report.outcomes
    check(outcomes.won + outcomes.lost + outcomes.disqualified + outcomes.open == report.leads, "outcomes do not add up")
    check(report.channels.reduce(0) { $0 + $1.leads } == report.leads, "channel leads do not add up")
    for (p, row) in report.funnel.enumerated() {
        check(row.reached <= report.leads, "reached beyond the cohort")
        if p > 0 { check(row.reached <= report.funnel[p - 1].reached, "the funnel widens") }
        if let rate = row.rate { check(rate >= 0 && rate <= 1, "rate \(rate)") }
    }
    for row in report.stages {
        check(row.open <= row.stays, "more open stays than stays")
        if let median = row.medianDays, let p90 = row.p90Days, let mean = row.meanDays {
            check(median >= 0 && median <= p90, "median \(median) > p90 \(p90)")
            check(mean >= 0, "negative mean")
        } else {
            check(row.medianDays == nil && row.p90Days == nil && row.meanDays == nil, "half a summary")
        }
    }
    check(report.stages.reduce(0) { $0 + $1.open } == (model.stageIDs.isEmpty ? 0 : report.leads),
          "one open stay per lead")
    check(report.leads == 0 || report.funnel.isEmpty || report.funnel[0].reached <= report.leads, "first stage")
    for text in [report.json] {
        do { _ = try JSONParser.parse(text) } catch { fatalError("invariant failed: the report is not JSON: \(error)") }
    }
    _ = report.csv
    _ = report.svg()
    return 0
}
