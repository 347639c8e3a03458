// model_load: bytes -> Model(jsonBytes:); a model that loads is then used to
// score, advance and move leads built to fit its declarations.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let model: Model
    do {
        model = try Model(jsonBytes: bytes)
    } catch {
        check(!error.faults.isEmpty, "ModelError without faults")
        return 0
    }
    // A model that loads: its compiled view agrees with its definition.
    let def = model.definition
    check(model.criterionNames == def.criteria.map(\.name), "criterionNames differ from the definition")
    check(model.stageIDs == (def.stages?.list.map(\.id) ?? []), "stageIDs differ from the definition")
    if let stages = def.stages { check(model.initialStage == stages.initial, "initial stage differs") }
    check(Set(def.scoring.fit.map(\.id)).count == def.scoring.fit.count, "duplicate fit ids loaded")
    check(Set(def.scoring.behavior.map(\.id)).count == def.scoring.behavior.count, "duplicate behaviour ids loaded")
    if let h = def.scoring.halfLifeDays { check(h > 0 && h.isFinite, "half_life_days \(h) loaded") }
    if let w = def.scoring.windowDays { check(w > 0 && w.isFinite, "window_days \(w) loaded") }
    for r in def.scoring.behavior { if let cap = r.cap { check(cap > 0, "cap \(cap) loaded") } }
    if let l = def.scoring.behaviorLimits, let lo = l.min, let hi = l.max { check(lo <= hi, "behavior_limits min > max loaded") }
    // Loading the same bytes again gives the same definition.
    if let again = try? Model(jsonBytes: bytes) { check(again.definition == def, "loading twice differs") }
    else { fatalError("invariant failed: a model loaded once and failed the second time") }

    // Drive it with leads derived from a hash of the input (so the fuzzer's
    // mutations of the model also vary the leads a little).
    var h: UInt64 = 1469598103934665603
    for b in bytes { h = (h ^ UInt64(b)) &* 1099511628211 }
    var seed = [UInt8](repeating: 0, count: 64)
    for i in seed.indices { h = h &* 6364136223846793005 &+ 1442695040888963407; seed[i] = UInt8(truncatingIfNeeded: h >> 33) }
    seed.withUnsafeBufferPointer { p in
        var input = FuzzInput(p.baseAddress!, p.count)
        for asOf in [fuzzAsOf, fuzzAsOf + 86_400 * 400] {
            let lead = leadFitting(model, &input, asOf: asOf)
            exercise(model, lead, asOf: asOf, moveTarget: input.int(256), reasonPick: input.int(256))
        }
        let empty = Lead(id: "empty")
        exercise(model, empty, asOf: fuzzAsOf, moveTarget: input.int(256), reasonPick: input.int(256))
    }
    return 0
}
