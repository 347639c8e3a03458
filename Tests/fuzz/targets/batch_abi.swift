// batch_abi: the input is a little program of calls into the C ABI (the
// FunnelC shim's @_cdecl functions, called directly: they are in this module).
// Every call must return a status in 0...5, leave out-pointers NULL and
// caller arrays untouched on failure, and say why in funnel_last_error().
// A shadow copy of the batch, kept as Lead values, is scored through the Swift
// API after every successful funnel_batch_score: both must agree bit for bit.
// funnel_batch_set_events (the fused fill that checks as it fills) is also
// compared with the checks it stands for followed by the fill: the same error
// and status, or the same event columns bit for bit.

#if canImport(Glibc)
import Glibc
#endif

/// C strings that live for one run of the program.
final class CStrings {
    private var blocks: [UnsafeMutablePointer<CChar>] = []
    func make(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
        p[bytes.count] = 0
        blocks.append(p)
        return UnsafePointer(p)
    }
    func make(_ s: String) -> UnsafePointer<CChar> { make(Array(s.utf8)) }
    deinit { for p in blocks { p.deallocate() } }
}

/// Text values (some not UTF-8, one NULL) and whether each is valid.
let wordTable: [[UInt8]?] = [
    "software", " SOFTWARE ", "fintech", "Compañía", "COMPAÑÍA", "ceo", "sales manager", "competitor",
    "webinar", "", "x", "a", "promo", "e\u{301}", "trial", "spam",
].map { Array($0.utf8) } + [[0xFF, 0xFE], [0xC3], nil]

let eventTypeTable: [[UInt8]?] = [
    "email.reply", "call.completed", "newsletter.subscribe", "newsletter.unsubscribe", "meeting.no_show",
    "email.open", "purchase", "signup", "visit", "*", "app.x", "e", "f", "g.h", "unknown", "email.",
].map { Array($0.utf8) } + [[0xED, 0xA0, 0x80], nil]

let leadTexts: [String] = [
    #"{"id":"L-1","attributes":{"industry":"Software","employees":120,"tags":["webinar"],"email":"a@b.c","budget":20000,"decision_maker":true,"need":"crm","timeline_days":30,"role":"CEO"},"events":[{"type":"email.reply","at":"2026-10-01T10:00:00Z"},{"type":"call.completed","at":1793527200,"props":{"minutes":25}}]}"#,
    #"{"id":"L-2","stage":"mql","attributes":{"tags":["competitor"]},"events":[{"type":"meeting.no_show","at":1793000000}]}"#,
    #"{"id":"L-3","stage":"opportunity","attributes":{"industry":"fintech","employees":60,"email":"x"}}"#,
    #"{"id":"L-4","stage":"nowhere"}"#,
    #"{"id":""}"#,
    #"{"id":"L-5","attributes":{"employees":"many"}}"#,
    #"{"id":"L-6","events":[{"type":"purchase","at":"2026-11-01T12:00:00+02:00","props":{"amount":50,"tags":["promo"]}},{"type":"app.open","at":1e9},{"type":"*","at":-5}]}"#,
    #"{"id":"L-7","stage":"a","attributes":{"vip":true,"employees":5000,"tags":["trial"],"role":"x"}}"#,
    #"[1,2,3]"#,
    "{\"id\":\"L-8\",\"attributes\":{\"n\":1e999}}",
    "{\"id\":\"\u{FFFD}\"}",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let c = CStrings()
    let modelIndex = input.int(fixedModels.count)
    let model = fixedModels[modelIndex]
    let asOfBase = fuzzAsOf

    // Load the model through the ABI.
    var handle: OpaquePointer? = OpaquePointer(bitPattern: 0xdead)
    let status: Int32
    if modelIndex == 0 && input.bool() {
        status = funnel_model_load_default(&handle)
    } else {
        let text = Array(fixedModelTexts[modelIndex].utf8)
        status = text.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { funnel_model_load($0, p.count, &handle) }
        }
    }
    check(status == 0 && handle != nil, "a fixed model does not load through the ABI: \(status)")
    defer { funnel_model_free(handle) }

    // A fresh batch.
    var n = input.int(9)
    var batch: OpaquePointer? = nil
    check(funnel_batch_new(handle, n, &batch) == 0 && batch != nil, "funnel_batch_new(\(n)) failed")
    defer { funnel_batch_free(batch) }

    // The shadow: per attribute, per lead; events in input order.
    var shadowAttributes: [String: [LeadValue?]] = [:]
    var shadowEvents: [(lead: Int, type: String, at: Double, property: (String, Double)?)] = []

    func expectStatus(_ s: Int32, _ what: String) {
        check((0...5).contains(s), "\(what) returned status \(s)")
        if s != 0 { check(funnel_last_error().pointee != 0, "\(what) failed (\(s)) with an empty last error") }
    }
    func attributeName() -> (UnsafePointer<CChar>?, String?) {
        let names = model.attributes.map(\.name)
        let pick = input.int(names.count + 4)
        if pick < names.count { return (c.make(names[pick]), names[pick]) }
        switch pick - names.count {
        case 0: return (nil, nil)
        case 1: return (c.make([0xFF, 0x41]), nil)
        case 2: return (c.make(""), "")
        default: return (c.make("nope"), "nope")
        }
    }
    func declaredType(_ name: String?) -> AttributeType? {
        model.attributes.first { $0.name == name }?.type
    }
    /// A count near `n`: usually n, sometimes off by one or absurd.
    func countNear(_ n: Int) -> Int {
        switch input.int(16) {
        case 0: return n + 1
        case 1: return max(0, n - 1)
        case 2: return -1
        case 3: return Int.max
        default: return n
        }
    }
    func dictionary(_ table: [[UInt8]?]) -> (pointers: [UnsafePointer<CChar>?], words: [String?]) {
        let k = input.int(6)
        var pointers: [UnsafePointer<CChar>?] = []
        var words: [String?] = []
        for _ in 0..<k {
            let entry = table[input.int(table.count)]
            pointers.append(entry.map { c.make($0) })
            words.append(entry.flatMap { String(validating: $0, as: UTF8.self) })
        }
        return (pointers, words)
    }
    func shadowLeads() -> [Lead] {
        (0..<n).map { i in
            var attributes: [String: LeadValue] = [:]
            for (name, column) in shadowAttributes { if let v = column[i] { attributes[name] = v } }
            let events = shadowEvents.filter { $0.lead == i }.map { e in
                Event(e.type, at: e.at, properties: e.property.flatMap { p in p.1.isNaN ? nil : [p.0: .number(p.1)] } ?? [:])
            }
            return Lead(id: "x", attributes: attributes, events: events)
        }
    }
    func fresh(_ k: Int) { shadowAttributes = [:]; shadowEvents = []; n = k }

    var steps = 0
    while !input.isEmpty && steps < 40 {
        steps += 1
        switch input.int(15) {
        case 0:  // funnel_batch_set_numbers
            let (attr, name) = attributeName()
            let count = countNear(n)
            let length = max(0, min(count, n + 1))
            let values = (0..<length).map { _ in input.double(around: 100) }
            let useNull = input.int(8) == 0
            let s = values.withUnsafeBufferPointer { funnel_batch_set_numbers(batch, attr, useNull ? nil : $0.baseAddress, count) }
            expectStatus(s, "funnel_batch_set_numbers")
            if s == 0 {
                check(declaredType(name) == .number && count == n && !values.contains { $0.isInfinite } && (!useNull || n == 0),
                      "funnel_batch_set_numbers accepted \(String(describing: name)) count \(count) of \(n): \(values)")
                shadowAttributes[name!] = values.map { $0.isNaN ? nil : .number($0) }
            }
        case 1:  // funnel_batch_set_bools
            let (attr, name) = attributeName()
            let count = countNear(n)
            let length = max(0, min(count, n + 1))
            let values: [Int8] = (0..<length).map { _ in let b = input.byte(); return b < 250 ? Int8(Int(b) % 3 - 1) : Int8(bitPattern: input.byte()) }
            let s = values.withUnsafeBufferPointer { funnel_batch_set_bools(batch, attr, $0.baseAddress, count) }
            expectStatus(s, "funnel_batch_set_bools")
            if s == 0 {
                check(declaredType(name) == .bool && count == n && values.allSatisfy { (-1...1).contains($0) },
                      "funnel_batch_set_bools accepted \(String(describing: name)) \(values)")
                shadowAttributes[name!] = values.map { $0 < 0 ? nil : .bool($0 == 1) }
            }
        case 2:  // funnel_batch_set_strings
            let (attr, name) = attributeName()
            let dict = dictionary(wordTable)
            let count = countNear(n)
            let length = max(0, min(count, n + 1))
            let ids: [Int32] = (0..<length).map { _ in
                let b = input.byte()
                return b < 250 ? Int32(Int(b) % (dict.pointers.count + 2)) - 1 : Int32(bitPattern: input.uint32())
            }
            let s = dict.pointers.withUnsafeBufferPointer { d in
                ids.withUnsafeBufferPointer { funnel_batch_set_strings(batch, attr, d.baseAddress, d.count, $0.baseAddress, count) }
            }
            expectStatus(s, "funnel_batch_set_strings")
            if s == 0 {
                check(declaredType(name) == .string && count == n && !dict.words.contains(nil)
                      && ids.allSatisfy { $0 >= -1 && Int($0) < dict.words.count },
                      "funnel_batch_set_strings accepted \(String(describing: name)) ids \(ids) of \(dict.words)")
                shadowAttributes[name!] = ids.map { $0 < 0 ? nil : .string(dict.words[Int($0)]!) }
            }
        case 3:  // funnel_batch_set_string_sets
            let (attr, name) = attributeName()
            let dict = dictionary(wordTable)
            let count = countNear(n)
            let leads = max(0, min(count, n + 1))
            var offsets: [Int64] = [0]
            var members: [Int32] = []
            for _ in 0..<leads {
                for _ in 0..<input.int(4) {
                    let b = input.byte()
                    members.append(b < 250 ? Int32(Int(b) % (dict.pointers.count + 1)) - (b == 7 ? 1 : 0) : Int32(bitPattern: input.uint32()))
                }
                offsets.append(Int64(members.count))
            }
            switch input.int(12) {  // sometimes break the offsets
            case 0: offsets[0] = 1
            case 1: if offsets.count > 2 { offsets.swapAt(1, 2) }
            case 2: offsets[offsets.count - 1] += 1
            case 3: offsets[offsets.count - 1] = Int64.min
            default: break
            }
            var memberCount = members.count
            if input.int(16) == 0 { memberCount += 1 }
            let present: [UInt8]? = input.bool() ? nil : (0..<leads).map { _ in input.byte() & 1 }
            let s = dict.pointers.withUnsafeBufferPointer { d in
                offsets.withUnsafeBufferPointer { o in
                    members.withUnsafeBufferPointer { m in
                        withOptionalBuffer(present) { p in
                            funnel_batch_set_string_sets(batch, attr, d.baseAddress, d.count, o.baseAddress, m.baseAddress,
                                                         memberCount == members.count ? m.count : min(memberCount, m.count), p, count)
                        }
                    }
                }
            }
            expectStatus(s, "funnel_batch_set_string_sets")
            if s == 0 {
                check(declaredType(name) == .strings && count == n && !dict.words.contains(nil)
                      && members.allSatisfy { $0 >= 0 && Int($0) < dict.words.count }
                      && offsets.first == 0 && offsets.last == Int64(members.count)
                      && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 },
                      "funnel_batch_set_string_sets accepted \(String(describing: name)) offsets \(offsets) members \(members)")
                shadowAttributes[name!] = (0..<n).map { i in
                    if let present, present[i] == 0 { return nil }
                    return .strings(members[Int(offsets[i])..<Int(offsets[i + 1])].map { dict.words[Int($0)]! })
                }
            }
        case 4:  // funnel_batch_set_events
            let dict = dictionary(eventTypeTable)
            let m = input.int(16) == 0 ? 64 * (1 + input.int(8)) : input.int(12)
            var leadIDs: [UInt32] = []
            var typeIDs: [Int32] = []
            var times: [Double] = []
            var values: [Double] = []
            for _ in 0..<m {
                let b = input.byte()
                leadIDs.append(b < 250 ? UInt32(Int(b) % (n + 1)) : input.uint32())
                let t = input.byte()
                typeIDs.append(t < 250 ? Int32(Int(t) % (dict.pointers.count + 1)) - (t == 3 ? 1 : 0) : Int32(bitPattern: input.uint32()))
                times.append(input.double(around: asOfBase))
                values.append(input.double(around: 30))
            }
            let properties: [String?] = [nil, "minutes", "amount", "pages", "nope"]
            let property = properties[input.int(properties.count)]
            let valuesNull = input.int(10) == 0
            // The batch before the call, for the differential below.
            let prior = batch.map { Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue().batch }
            let s = dict.pointers.withUnsafeBufferPointer { d in
                leadIDs.withUnsafeBufferPointer { l in
                    typeIDs.withUnsafeBufferPointer { t in
                        times.withUnsafeBufferPointer { a in
                            values.withUnsafeBufferPointer { v in
                                funnel_batch_set_events(batch, d.baseAddress, d.count, l.baseAddress, t.baseAddress, a.baseAddress, m,
                                                        property.map { c.make($0) }, valuesNull ? nil : v.baseAddress)
                            }
                        }
                    }
                }
            }
            expectStatus(s, "funnel_batch_set_events")
            // Differential: the ABI takes the fused fill (one pass over grouped
            // events that checks as it fills); the checks it stands for, then
            // the fill, on the batch as it was must give the same error or
            // the same columns (and a refused call must change nothing).
            if var checked = prior, !dict.words.contains(nil), property == nil || !valuesNull {
                let words = dict.words.map { $0! }
                var failure: ColumnError?
                leadIDs.withUnsafeBufferPointer { l in
                    typeIDs.withUnsafeBufferPointer { t in
                        times.withUnsafeBufferPointer { a in
                            values.withUnsafeBufferPointer { v in
                                do throws(ColumnError) {
                                    try checked.setEvents(types: words, lead: l, type: t, at: a, property: property,
                                                          values: property == nil ? nil : v, fused: false)
                                } catch {
                                    failure = error
                                }
                            }
                        }
                    }
                }
                let after = Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer(batch!)).takeUnretainedValue().batch
                if let failure {
                    let message = String(cString: funnel_last_error())
                    check(s == (failure.isLimit ? 5 : 1) && message == "funnel_batch_set_events: \(failure.message)",
                          "fused fill: status \(s) \(message), the checks: \(failure.message)")
                    check(sameEventColumns(after, prior!), "a refused funnel_batch_set_events changed the batch")
                } else {
                    check(s == 0, "fused fill refused (\(s): \(String(cString: funnel_last_error()))) what the checks take")
                    check(sameEventColumns(after, checked), "fused and checked fills give different columns")
                }
            }
            // The one shot with the same events on the batch as it was: the
            // setter's error in its own name, or the scores of the batch now
            // holding them, bit for bit; the batch itself unchanged.
            if let before = prior, let batch {
                let asOf = input.double(around: asOfBase)
                var (oneFit, oneBehavior, oneTotal) = ([Double](repeating: -1, count: n), [Double](), [Double]())
                (oneBehavior, oneTotal) = (oneFit, oneFit)
                var (fit, behavior, total) = (oneFit, oneFit, oneFit)
                var (oneGrade, grade) = ([Int32](repeating: 77, count: n), [Int32](repeating: 77, count: n))
                let threads = UInt32(input.int(3))
                let o = dict.pointers.withUnsafeBufferPointer { d in
                    leadIDs.withUnsafeBufferPointer { l in
                        typeIDs.withUnsafeBufferPointer { t in
                            times.withUnsafeBufferPointer { a in
                                values.withUnsafeBufferPointer { v in
                                    oneFit.withUnsafeMutableBufferPointer { f in
                                        oneBehavior.withUnsafeMutableBufferPointer { b in
                                            oneTotal.withUnsafeMutableBufferPointer { tt in
                                                oneGrade.withUnsafeMutableBufferPointer { g in
                                                    funnel_batch_score_events(
                                                        batch, d.baseAddress, d.count, l.baseAddress, t.baseAddress,
                                                        a.baseAddress, m, property.map { c.make($0) },
                                                        valuesNull ? nil : v.baseAddress, asOf, f.baseAddress,
                                                        b.baseAddress, tt.baseAddress, g.baseAddress, nil, n, threads)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                expectStatus(o, "funnel_batch_score_events")
                let now = Unmanaged<BatchHandle>.fromOpaque(UnsafeRawPointer(batch)).takeUnretainedValue().batch
                if s != 0 {
                    // Refused by the setter (which left the batch as it was): refused alike, unless
                    // as_of is refused first or the setter ran out of memory.
                    if asOf.isFinite && s != 5 {
                        check(o == s, "funnel_batch_score_events: status \(o), funnel_batch_set_events: \(s) for leads \(leadIDs) of \(n), types \(typeIDs) of \(dict.words), at \(times), \(property ?? "-") \(valuesNull ? "NULL" : "\(values)")")
                    }
                    check(sameEventColumns(now, before), "funnel_batch_score_events changed the batch")
                } else if asOf.isFinite {
                    check(o == 0, "funnel_batch_score_events refused (\(o): \(String(cString: funnel_last_error()))) what funnel_batch_set_events took")
                    let t = fit.withUnsafeMutableBufferPointer { f in
                        behavior.withUnsafeMutableBufferPointer { b in
                            total.withUnsafeMutableBufferPointer { tt in
                                grade.withUnsafeMutableBufferPointer { g in
                                    funnel_batch_score_threads(batch, asOf, f.baseAddress, b.baseAddress, tt.baseAddress, g.baseAddress, n, 1)
                                }
                            }
                        }
                    }
                    check(t == 0, "funnel_batch_score_threads refused a batch it filled")
                    for (a, b) in [(oneFit, fit), (oneBehavior, behavior), (oneTotal, total)] {
                        check(a.map(\.bitPattern) == b.map(\.bitPattern), "one shot and fill + score differ")
                    }
                    check(oneGrade == grade, "one shot and fill + score grade differently")
                }
            }
            if s == 0 {
                check(!dict.words.contains(nil) && leadIDs.allSatisfy { Int($0) < n }
                      && typeIDs.allSatisfy { $0 >= 0 && Int($0) < dict.words.count } && times.allSatisfy(\.isFinite)
                      && (property == nil || m == 0 || (!valuesNull && !values.contains { $0.isInfinite })),
                      "funnel_batch_set_events accepted leads \(leadIDs) types \(typeIDs) of \(dict.words) at \(times)")
                shadowEvents = (0..<m).map { k in
                    (Int(leadIDs[k]), dict.words[Int(typeIDs[k])]!, times[k], property.map { ($0, values[k]) })
                }
            }
        case 5, 6:  // funnel_batch_score[_threads]
            let asOf = input.double(around: asOfBase)
            let count = countNear(n)
            let length = max(0, min(count, n)) + 2
            let sentinel = -12345.678
            var fit = [Double](repeating: sentinel, count: length)
            var behavior = fit
            var total = fit
            var grade = [Int32](repeating: 77, count: length)
            let nulls = input.byte()
            let threaded = input.bool()
            let threads = UInt32(input.int(4))
            let s = fit.withUnsafeMutableBufferPointer { f in
                behavior.withUnsafeMutableBufferPointer { b in
                    total.withUnsafeMutableBufferPointer { t in
                        grade.withUnsafeMutableBufferPointer { g in
                            let (fp, bp, tp, gp) = (nulls & 1 == 0 ? f.baseAddress : nil, nulls & 2 == 0 ? b.baseAddress : nil,
                                                    nulls & 4 == 0 ? t.baseAddress : nil, nulls & 8 == 0 ? g.baseAddress : nil)
                            return threaded
                                ? funnel_batch_score_threads(batch, asOf, fp, bp, tp, gp, count, threads)
                                : funnel_batch_score(batch, asOf, fp, bp, tp, gp, count)
                        }
                    }
                }
            }
            expectStatus(s, "funnel_batch_score")
            guard s == 0 else {
                check(fit.allSatisfy { $0 == sentinel } && behavior.allSatisfy { $0 == sentinel }
                      && total.allSatisfy { $0 == sentinel } && grade.allSatisfy { $0 == 77 },
                      "a failing funnel_batch_score wrote to the caller's arrays")
                continue
            }
            check(count == n && asOf.isFinite, "funnel_batch_score accepted count \(count) of \(n), as_of \(asOf)")
            for i in n..<length {
                check(fit[i] == sentinel && behavior[i] == sentinel && total[i] == sentinel && grade[i] == 77,
                      "funnel_batch_score wrote past count")
            }
            let leads = shadowLeads()
            let grades = model.definition.scoring.grades
            for i in 0..<n {
                let expected: ScoreResult
                do { expected = try model.score(leads[i], at: asOf) } catch {
                    fatalError("invariant failed: the shadow lead \(i) does not fit the model: \(error)")
                }
                if nulls & 1 == 0 {
                    check(fit[i].isFinite, "fit[\(i)] = \(fit[i]) is not finite")
                    check(same(fit[i], expected.fit), "fit[\(i)] = \(fit[i]), Swift API says \(expected.fit); lead \(leads[i])")
                }
                if nulls & 2 == 0 {
                    check(behavior[i].isFinite, "behavior[\(i)] = \(behavior[i]) is not finite")
                    check(same(behavior[i], expected.behavior),
                          "behavior[\(i)] = \(behavior[i]), Swift API says \(expected.behavior); lead \(leads[i]) as_of \(asOf)")
                    if let l = model.definition.scoring.behaviorLimits {
                        check(behavior[i] >= (l.min ?? -.infinity) && behavior[i] <= (l.max ?? .infinity), "behavior outside limits")
                    }
                }
                if nulls & 3 == 0 && nulls & 4 == 0 { check(same(total[i], fit[i] + behavior[i]), "total != fit + behavior") }
                if nulls & 8 == 0 {
                    let g = Int(grade[i])
                    check(g >= -1 && g < grades.count, "grade[\(i)] = \(g) out of range")
                    let want = grades.firstIndex { $0.min <= expected.fit } ?? -1
                    check(g == want, "grade[\(i)] = \(g), expected \(want) for fit \(expected.fit)")
                }
                checkScore(expected, model: model, lead: leads[i])
                checkAgainstReference(expected, model: model, lead: leads[i], asOf: asOf)
            }
        case 7, 8:  // funnel_score_json / funnel_advance_json / funnel_move_json
            let text = Array(leadTexts[input.int(leadTexts.count)].utf8)
            var length = text.count
            switch input.int(10) {
            case 0: length = input.int(max(1, text.count))  // truncated
            case 1: length = -1
            default: break
            }
            let asOf = input.double(around: asOfBase)
            let which = input.int(3)
            let stages = model.stageIDs + ["nowhere"]
            let to: UnsafePointer<CChar>? = input.int(10) == 0 ? nil : c.make(stages[input.int(stages.count)])
            let reasons = ["price", "competitor", "bad_data", "r", "reopen", "bogus"]
            let reason: UnsafePointer<CChar>? = input.bool() ? nil : c.make(reasons[input.int(reasons.count)])
            let by: UnsafePointer<CChar>? = input.bool() ? nil : input.int(8) == 0 ? c.make([0xC0, 0x80]) : c.make("maria")
            let nullModel = input.int(16) == 0
            let nullText = input.int(16) == 0
            var out: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(bitPattern: 0x1)
            let s = text.withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { base -> Int32 in
                    let m = nullModel ? nil : handle
                    let t = nullText ? nil : base
                    switch which {
                    case 0: return funnel_score_json(m, t, length, asOf, &out)
                    case 1: return funnel_advance_json(m, t, length, asOf, &out)
                    default: return funnel_move_json(m, t, length, to, reason, by, asOf, &out)
                    }
                }
            }
            expectStatus(s, "funnel_*_json(\(which))")
            if s != 0 {
                check(out == nil, "a failing funnel_*_json left *out_json non-NULL")
                continue
            }
            guard let out else { fatalError("invariant failed: funnel_*_json succeeded with *out_json NULL") }
            defer { funnel_string_free(out) }
            check(!nullModel && !nullText && asOf.isFinite && length >= 0, "funnel_*_json accepted NULL/bad arguments")
            let result = String(cString: out)
            checkParses(result, "funnel_*_json output")
            if which == 0 {
                // The ABI's document is exactly the Swift API's.
                guard let lead = Array(text[0..<length]).withUnsafeBytes({ try? Lead(jsonBytes: $0) }),
                      let r = try? model.score(lead, at: asOf)
                else { fatalError("invariant failed: funnel_score_json succeeded where the Swift API fails") }
                check(r.json == result, "funnel_score_json differs from the Swift API: \(result) vs \(r.json)")
                checkScore(r, model: model, lead: lead)
                for key in ["fit", "behavior", "total"] { check(!result.contains("\"\(key)\":null"), "non-finite \(key) in score JSON: \(result)") }
            }
        case 9:  // funnel_score_jsonl / funnel_advance_jsonl
            var text: [UInt8] = []
            for _ in 0..<input.int(5) {
                text += Array(leadTexts[input.int(leadTexts.count)].utf8)
                text += input.bool() ? [0x0A] : [0x0D, 0x0A]
            }
            if input.int(8) == 0 { text += [0xFF] }
            let asOf = input.double(around: asOfBase)
            let advance = input.bool()
            var out: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(bitPattern: 0x1)
            let s = text.withUnsafeBufferPointer { p in
                withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(1, p.count)) { tmp -> Int32 in
                    for (i, b) in p.enumerated() { tmp[i] = CChar(bitPattern: b) }
                    return advance ? funnel_advance_jsonl(handle, tmp.baseAddress, p.count, asOf, &out)
                                   : funnel_score_jsonl(handle, tmp.baseAddress, p.count, asOf, &out)
                }
            }
            expectStatus(s, "funnel_*_jsonl")
            if s != 0 { check(out == nil, "a failing funnel_*_jsonl left *out non-NULL"); continue }
            guard let out else { fatalError("invariant failed: funnel_*_jsonl succeeded with NULL out") }
            let result = String(cString: out)
            funnel_string_free(out)
            for line in result.split(separator: "\n") { checkParses(String(line), "funnel_*_jsonl line") }
        case 10:  // introspection, with indices in and out of range
            let index = [0, 1, 3, 9, -1, Int.max, Int.min][input.int(7)]
            let m = input.int(8) == 0 ? nil : handle
            let attrs = m == nil ? [] : model.attributes
            check(funnel_model_attribute_count(m) == attrs.count, "attribute count")
            let name = funnel_model_attribute_name(m, index)
            check((name == nil) == !(index >= 0 && index < attrs.count), "attribute name NULL-ness for \(index)")
            if let name { check(String(cString: name) == attrs[index].name, "attribute name") }
            let type = funnel_model_attribute_type(m, index)
            check((-1...3).contains(type) && (type == -1) == (name == nil), "attribute type \(type)")
            let stageIDs = m == nil ? [] : model.stageIDs
            check(funnel_model_stage_count(m) == stageIDs.count, "stage count")
            if let id = funnel_model_stage_id(m, index) { check(String(cString: id) == stageIDs[index], "stage id") }
            else { check(!(index >= 0 && index < stageIDs.count), "stage id NULL in range") }
            let criteria = m == nil ? [] : model.criterionNames
            check(funnel_model_criterion_count(m) == criteria.count, "criterion count")
            if let cn = funnel_model_criterion_name(m, index) { check(String(cString: cn) == criteria[index], "criterion name") }
            let grades = m == nil ? [] : model.definition.scoring.grades.map(\.grade)
            check(funnel_model_grade_count(m) == grades.count, "grade count")
            if let g = funnel_model_grade_name(m, index) { check(String(cString: g) == grades[index], "grade name") }
            let modelName = funnel_model_name(m)
            check(modelName.map { String(cString: $0) } == (m == nil ? nil : model.name), "model name")
            _ = String(cString: funnel_status_str(Int32(truncatingIfNeeded: index)))
            check(String(cString: funnel_version()).split(separator: ".").count == 3, "version")
        case 11:  // a new batch (or a refused one)
            let counts = [0, 1, 2, 3, 5, 8, -1, Int.max, Int(Int32.max) + 1]
            let k = counts[input.int(counts.count)]
            var fresh2: OpaquePointer? = OpaquePointer(bitPattern: 0x1)
            let s = funnel_batch_new(input.int(16) == 0 ? nil : handle, k, &fresh2)
            expectStatus(s, "funnel_batch_new")
            if s == 0 {
                check(k >= 0 && k <= 8 && fresh2 != nil, "funnel_batch_new accepted \(k)")
                check(funnel_batch_lead_count(fresh2) == k, "lead count of a new batch")
                funnel_batch_free(batch)
                batch = fresh2
                fresh(k)
            } else {
                check(fresh2 == nil, "a failing funnel_batch_new left *out non-NULL")
            }
        case 13:  // funnel_batch_set_strings_text: values as one NUL-terminated text
            let (attr, name) = attributeName()
            let count = countNear(n)
            let length = max(0, min(count, n + 1))
            let presentNull = input.bool()
            let present: [UInt8] = (0..<length).map { _ in input.int(4) == 0 ? 0 : UInt8(1 + input.int(255)) }
            let expected = presentNull ? max(0, count) : present.filter { $0 != 0 }.count
            var words: [[UInt8]] = (0..<min(expected, n + 1)).map { _ in wordTable[input.int(wordTable.count)] ?? [] }
            if input.int(8) == 0 { words.append(Array("extra".utf8)) }
            if input.int(8) == 0, !words.isEmpty { words.removeLast() }
            var text: [UInt8] = words.flatMap { $0 + [UInt8(0)] }
            if input.int(10) == 0, !text.isEmpty { text.removeLast() }  // the last value unterminated
            let textNull = text.isEmpty && input.bool()
            let s = present.withUnsafeBufferPointer { p in
                text.withUnsafeBufferPointer { t in
                    t.withMemoryRebound(to: CChar.self) { tc in
                        funnel_batch_set_strings_text(
                            batch, attr, textNull ? nil : tc.baseAddress, text.count, presentNull ? nil : p.baseAddress, count)
                    }
                }
            }
            expectStatus(s, "funnel_batch_set_strings_text")
            if s == 0 {
                let values = words.map { String(validating: $0, as: UTF8.self) }
                check(declaredType(name) == .string && count == n && words.count == expected && (text.last ?? 0) == 0
                      && !values.contains(nil),
                      "funnel_batch_set_strings_text accepted \(String(describing: name)) count \(count) of \(n): \(words)")
                var next = 0
                shadowAttributes[name!] = (0..<n).map { i in
                    guard presentNull || present[i] != 0 else { return nil }
                    defer { next += 1 }
                    return .string(values[next]!)
                }
            }
        case 14:  // funnel_batch_set_events_text: event types as one NUL-terminated text
            let m = input.int(12)
            var leadIDs: [UInt32] = []
            var types: [[UInt8]] = []
            var times: [Double] = []
            for _ in 0..<m {
                let b = input.byte()
                leadIDs.append(b < 250 ? UInt32(Int(b) % (n + 1)) : input.uint32())
                types.append(eventTypeTable[input.int(eventTypeTable.count)] ?? [])
                times.append(input.double(around: asOfBase))
            }
            var text: [UInt8] = types.flatMap { $0 + [UInt8(0)] }
            if input.int(10) == 0, !text.isEmpty { text.removeLast() }
            let s = leadIDs.withUnsafeBufferPointer { l in
                times.withUnsafeBufferPointer { a in
                    text.withUnsafeBufferPointer { t in
                        t.withMemoryRebound(to: CChar.self) { tc in
                            funnel_batch_set_events_text(batch, tc.baseAddress, text.count, l.baseAddress, a.baseAddress, m, nil, nil)
                        }
                    }
                }
            }
            expectStatus(s, "funnel_batch_set_events_text")
            if s == 0 {
                let names = types.map { String(validating: $0, as: UTF8.self) }
                check(!names.contains(nil) && (text.last ?? 0) == 0 && leadIDs.allSatisfy { Int($0) < n }
                      && times.allSatisfy(\.isFinite),
                      "funnel_batch_set_events_text accepted leads \(leadIDs) types \(types) at \(times)")
                shadowEvents = (0..<m).map { k in (Int(leadIDs[k]), names[k]!, times[k], nil) }
            }
        default:  // NULL everything
            var out: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(bitPattern: 0x1)
            check(funnel_score_json(handle, nil, 0, asOfBase, &out) == 1 && out == nil, "NULL lead_json")
            check(funnel_score_json(nil, nil, 0, asOfBase, nil) == 1, "NULL out_json")
            check(funnel_batch_set_numbers(nil, nil, nil, 0) == 1, "NULL batch")
            check(funnel_batch_score(nil, asOfBase, nil, nil, nil, nil, 0) == 1, "NULL batch score")
            check(funnel_batch_score(batch, .nan, nil, nil, nil, nil, n) == 1, "NaN as_of")
            check(funnel_model_load(nil, 0, nil) == 1, "NULL model text")
            var m: OpaquePointer? = OpaquePointer(bitPattern: 0x1)
            check(funnel_model_load(c.make("{"), 1, &m) == 2 && m == nil, "malformed model")
            check(funnel_model_load(c.make("{}"), 2, &m) == 3 && m == nil, "invalid model")
            check(funnel_batch_lead_count(nil) == 0 && funnel_batch_lead_count(batch) == n, "lead count")
            funnel_model_free(nil); funnel_batch_free(nil); funnel_string_free(nil)
        }
    }
    return 0
}

/// Whether two batches hold the same event columns, bit for bit.
func sameEventColumns(_ a: LeadBatch, _ b: LeadBatch) -> Bool {
    func bits(_ c: Column<Double>) -> [UInt64] { c.map(\.bitPattern) }
    return Array(a.eventStart) == Array(b.eventStart) && Array(a.eventRoute) == Array(b.eventRoute)
        && bits(a.eventAt) == bits(b.eventAt) && bits(a.eventValue) == bits(b.eventValue)
        && bits(a.leadReference) == bits(b.leadReference) && Array(a.leadDecayReady) == Array(b.leadDecayReady)
        && a.leadSpans.map(\.newest.bitPattern) == b.leadSpans.map(\.newest.bitPattern)
        && a.leadSpans.map(\.oldest.bitPattern) == b.leadSpans.map(\.oldest.bitPattern)
        && Array(a.ruleSumStart) == Array(b.ruleSumStart) && Array(a.ruleSumRule) == Array(b.ruleSumRule)
        && bits(a.ruleSumValue) == bits(b.ruleSumValue)
        && Array(a.frequencyStart) == Array(b.frequencyStart) && Array(a.frequencyRule) == Array(b.frequencyRule)
        && bits(a.frequencyAt) == bits(b.frequencyAt)
        && a.properties.map(\.number.bitPattern) == b.properties.map(\.number.bitPattern)
        && a.properties.map(\.symbol) == b.properties.map(\.symbol)
}

func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
