// jsonl: the command line's JSON Lines path. Byte 0 picks the model and
// as_of; the rest is JSON Lines text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let pick = Int(input.byte())
    let model = fixedModels[pick % fixedModels.count]
    let instants = [fuzzAsOf, 0, 1e18, fuzzAsOf - 86_400 * 3650]
    let asOf = instants[(pick / fixedModels.count) % instants.count]
    let bytes = input.rest()

    let (lines, numbers) = bytes.withUnsafeBytes { JSONLines.split($0) }
    check(lines.count == numbers.count, "JSONLines.split: lines and numbers differ in count")
    check(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "line numbers not increasing")
    let newlines = bytes.filter { $0 == 0x0A }.count
    if let last = numbers.last { check(last <= newlines + 1, "line number \(last) beyond \(newlines + 1) lines") }
    for line in lines {
        check(!line.contains(0x0A), "a split line contains a newline")
        check(!line.allSatisfy { $0 == 0x20 || $0 == 0x09 }, "a blank line was kept")
    }

    let (batch, error) = LeadBatch.ingest(lines: lines, numbers: numbers, model: model, threads: 1)
    // The fast reader against the reference path: the same leads and results, or the same error.
    let (reference, referenceError) = LeadBatch.referenceIngest(lines: lines, numbers: numbers, model: model, threads: 1)
    check(error?.line == referenceError?.line && error?.isParseError == referenceError?.isParseError
          && error?.message == referenceError?.message,
          "fast and reference ingest fail differently: \(String(describing: error)) vs \(String(describing: referenceError))")
    check(batch.count == reference.count && batch.ids == reference.ids, "fast and reference ingest hold different leads")
    check(batch.scoreLines(at: asOf, threads: 1) == Array(ScoreResult.jsonLines(reference.results(at: asOf, threads: 1))),
          "fast ingest and direct writing differ from the reference results")
    // Every line before the failing one (or every line) is in the batch.
    let accepted = error.map { e in numbers.firstIndex(of: e.line) ?? -1 } ?? lines.count
    check(accepted >= 0, "error names line \(error!.line), which is not a non-blank line")
    check(batch.count == accepted, "batch holds \(batch.count) leads, expected \(accepted)")
    if let error { check(!error.description.isEmpty && error.line >= 1, "bad LineError") }

    // The batch's leads, one by one, must score exactly as in the batch.
    var leads: [Lead] = []
    for line in lines.prefix(accepted) {
        do {
            leads.append(try line.withUnsafeBytes { raw throws(LeadError) in try Lead(jsonBytes: raw) })
        } catch {
            fatalError("invariant failed: an ingested line does not parse alone: \(error)")
        }
    }
    check(batch.ids == leads.map(\.id), "batch ids differ from the lines' ids")

    let results = batch.results(at: asOf, threads: 1)
    let columns = batch.scores(at: asOf, threads: 1)
    check(results.count == batch.count && columns.fit.count == batch.count, "result counts differ")
    for (i, lead) in leads.enumerated() {
        let r = results[i]
        checkScore(r, model: model, lead: lead)
        checkAgainstReference(r, model: model, lead: lead, asOf: asOf)
        check(same(columns.fit[i], r.fit) && same(columns.behavior[i], r.behavior) && same(columns.total[i], r.total),
              "lead \(i): column scores (\(columns.fit[i]), \(columns.behavior[i])) differ from explained (\(r.fit), \(r.behavior))")
        check(columns.grade(i) == r.grade, "lead \(i): column grade differs")
        do {
            let alone = try model.score(lead, at: asOf)
            check(alone == r, "lead \(i) scores differently alone: \(alone) vs \(r)")
        } catch {
            fatalError("invariant failed: a lead in the batch does not score alone: \(error)")
        }
    }

    let scored = batch.scoreLines(at: asOf, threads: 1)
    let outLines = scored.split(separator: 0x0A, omittingEmptySubsequences: false)
    check(scored.isEmpty || scored.last == 0x0A, "score output does not end in a newline")
    check(scored.filter { $0 == 0x0A }.count == batch.count, "score output has \(outLines.count - 1) lines for \(batch.count) leads")
    for line in outLines where !line.isEmpty {
        do { _ = try JSONParser.parse(Array(line)) } catch { fatalError("invariant failed: score line is not JSON: \(error)") }
    }
    if let advanced = batch.advanceLines(at: asOf, threads: 1) {
        check(model.definition.stages != nil, "advanceLines without stages")
        check(advanced.filter { $0 == 0x0A }.count == batch.count, "advance output line count differs")
        let results = batch.advance(at: asOf, threads: 1) ?? []
        for (i, lead) in leads.enumerated() {
            checkAdvance(results[i], model: model, lead: lead)
            if let alone = try? model.advance(lead, at: asOf) {
                check(alone == results[i], "lead \(i) advances differently alone")
            } else {
                fatalError("invariant failed: lead \(i) advances in a batch but not alone")
            }
        }
    } else {
        check(model.definition.stages == nil, "advanceLines nil with stages")
    }
    return 0
}
