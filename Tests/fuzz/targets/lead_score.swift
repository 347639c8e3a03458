// lead_score: byte 0 picks a fixed model (default, SPEC example, wildcard,
// plain) and an as_of; byte 1 picks a manual move; the rest is one lead document.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let pick = Int(input.byte())
    let model = fixedModels[pick % fixedModels.count]
    let instants = [fuzzAsOf, 0, -1e18, 1e18, fuzzAsOf + 0.5, 4e9, -62135596800, .nan]
    let asOf = instants[(pick / fixedModels.count) % instants.count]
    let moveTarget = Int(input.byte())
    let reasonPick = Int(input.byte())
    let bytes = input.rest()

    let lead: Lead
    do {
        lead = try bytes.withUnsafeBytes { raw throws(LeadError) in try Lead(jsonBytes: raw) }
    } catch {
        check(!"\(error)".isEmpty, "empty lead error")
        return 0
    }
    check(!lead.id.isEmpty, "a lead with an empty id parsed")
    for e in lead.events { check(!e.at.isNaN, "event time NaN parsed") }
    // The text path agrees with the bytes path.
    if let text = String(validating: bytes, as: UTF8.self) {
        do {
            let again = try Lead(json: text)
            check(again == lead, "Lead(json:) and Lead(jsonBytes:) differ")
        } catch {
            fatalError("invariant failed: Lead(json:) fails where Lead(jsonBytes:) succeeds: \(error)")
        }
    }
    exercise(model, lead, asOf: asOf, moveTarget: moveTarget, reasonPick: reasonPick)
    // The same lead in a batch of two (after another lead) scores the same, bit for bit.
    if asOf.isFinite, let single = try? model.score(lead, at: asOf) {
        do {
            let other = Lead(id: "other", events: [Event("email.reply", at: asOf - 1e7)])
            let batch = try LeadBatch(model: model, leads: [other, lead])
            let results = batch.results(at: asOf, threads: 1)
            check(results[1] == single, "lead scores differently in a batch: \(results[1]) vs \(single)")
            let columns = batch.scores(at: asOf, threads: 1)
            check(same(columns.fit[1], single.fit) && same(columns.behavior[1], single.behavior),
                  "column scores differ: fit \(columns.fit[1]) vs \(single.fit), behavior \(columns.behavior[1]) vs \(single.behavior)")
            check(columns.grade(1) == single.grade, "column grade differs")
        } catch {
            fatalError("invariant failed: a lead that scores alone does not fit a batch: \(error)")
        }
    }
    return 0
}
