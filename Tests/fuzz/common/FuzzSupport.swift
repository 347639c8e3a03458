// Shared by every fuzz target: compiled into each target's executable beside
// the Funnel sources (module FunnelFuzz), so `package` and internal API is visible.
//
// Every check here traps (fatalError / precondition) on failure: for a fuzzer a
// trap is the report.

// MARK: Reading the fuzzer's bytes

/// A cursor over the fuzzer's input: bytes run out into zeros, never a trap.
struct FuzzInput {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = UnsafeBufferPointer(start: data, count: size)
    }

    var isEmpty: Bool { position >= bytes.count }
    var remaining: Int { max(0, bytes.count - position) }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// 0..<n (n > 0).
    mutating func int(_ n: Int) -> Int { Int(byte()) % max(1, n) }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    mutating func uint32() -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 { v = v << 8 | UInt32(byte()) }
        return v
    }

    mutating func uint64() -> UInt64 {
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(byte()) }
        return v
    }

    /// The rest of the input.
    mutating func rest() -> [UInt8] {
        guard position < bytes.count else { return [] }
        defer { position = bytes.count }
        return Array(bytes[position...])
    }

    /// A double from a table of interesting values, or raw bits.
    mutating func double(around base: Double = 0) -> Double {
        let table: [Double] = [
            0, -0.0, 1, -1, 5, 20, 50, 100, 4999.5, 5000, 10000, 1e9, -1e9, 0.5,
            .nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNonzeroMagnitude, 1e300, -1e300, 9_007_199_254_740_994,
        ]
        let pick = Int(byte())
        if pick < table.count { return table[pick] }
        if pick < 200 { return base - Double(pick - table.count) * 86_400 * Double(1 + Int(byte()) % 40) }
        if pick < 240 { return base + Double(pick - 200) * 86_400 * 30 }
        return Double(bitPattern: uint64())
    }
}

// MARK: Fixed models

let fuzzAsOf = 1_793_527_200.0  // 2026-11-01T12:00:00Z

/// SPEC §2/§5's example model, complete.
let specModelJSON = #"""
{"format": "funnel.model/1", "name": "b2b-saas",
 "attributes": {"industry": "string", "employees": "number", "budget": "number",
   "decision_maker": "bool", "timeline_days": "number", "need": "string", "country": "string", "tags": "strings"},
 "criteria": {
   "icp": {"all": [{"attr": "industry", "in": ["software", "fintech"]}, {"attr": "employees", "between": [50, 5000]}]},
   "bant": {"all": [{"attr": "budget", "gte": 10000}, {"attr": "decision_maker", "eq": true},
                    {"attr": "need", "exists": true}, {"attr": "timeline_days", "lte": 90}]}},
 "scoring": {
   "fit": [{"id": "target-industry", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 15},
           {"id": "mid-market", "if": {"attr": "employees", "between": [50, 5000]}, "points": 10}],
   "behavior": [{"id": "newsletter", "event": "newsletter.subscribe", "points": 1},
     {"id": "reply", "event": "email.reply", "points": 2, "cap": 10},
     {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 5},
     {"id": "unsubscribe", "event": "newsletter.unsubscribe", "points": -3},
     {"id": "no-show", "event": "meeting.no_show", "points": -10}],
   "half_life_days": 30, "window_days": 365, "behavior_limits": {"min": -50, "max": 100},
   "grades": [{"grade": "A", "min": 25}, {"grade": "B", "min": 15}, {"grade": "C", "min": 5}]},
 "disqualify": [{"id": "competitor", "if": {"attr": "tags", "contains": "competitor"}}],
 "stages": {"initial": "new",
   "list": [{"id": "new"}, {"id": "profiled", "enter_when": {"criterion": "icp"}},
     {"id": "mql", "enter_when": {"score": "total", "gte": 40}}, {"id": "sal"},
     {"id": "sql", "requires": {"criterion": "bant"}}, {"id": "opportunity"},
     {"id": "won", "outcome": "won"}, {"id": "lost", "outcome": "lost"}, {"id": "nurture"},
     {"id": "disqualified", "outcome": "disqualified"}],
   "transitions": [{"from": "new", "to": "profiled"}, {"from": "profiled", "to": "mql"},
     {"from": "mql", "to": ["sal", "nurture"]}, {"from": "sal", "to": ["sql", "nurture"]},
     {"from": "sql", "to": "opportunity"},
     {"from": "opportunity", "to": ["won", "lost"], "reasons": ["price", "competitor", "no_decision", "timing"]},
     {"from": "nurture", "to": "mql"},
     {"from": "*", "to": "disqualified", "reasons": ["no_budget", "no_authority", "competitor", "bad_data"]}]}}
"""#

/// Wildcards, property predicates of every kind, no half-life, score guards, negative caps.
let wildcardModelJSON = #"""
{"format": "funnel.model/1", "name": "wild",
 "attributes": {"industry": "string", "employees": "number", "vip": "bool", "tags": "strings", "role": "string"},
 "criteria": {"big": {"any": [{"attr": "employees", "gt": 1000}, {"attr": "vip", "eq": true}]},
              "tagged": {"attr": "tags", "any_of": ["webinar", "Compañía", "trial"]},
              "both": {"all": [{"criterion": "big"}, {"criterion": "tagged"}, {"not": {"attr": "role", "exists": false}}]}},
 "scoring": {
   "fit": [{"id": "big", "if": {"criterion": "big"}, "points": 7},
           {"id": "role", "if": {"attr": "role", "contains": "ManaGer"}, "points": 3},
           {"id": "not-in", "if": {"attr": "industry", "not_in": ["retail", "  SOFTWARE "]}, "points": -2},
           {"id": "ne", "if": {"attr": "employees", "ne": 0}, "points": 0.5},
           {"id": "eqnum", "if": {"attr": "employees", "in": [1, 2, 3]}, "points": 1},
           {"id": "always", "if": {"all": []}, "points": 1},
           {"id": "never", "if": {"any": []}, "points": 100}],
   "behavior": [{"id": "email", "event": "email.*", "points": 2, "cap": 5},
     {"id": "star", "event": "*", "points": 0.25},
     {"id": "app", "event": "app.*", "points": 0.25},
     {"id": "cafe", "event": "café.visit", "points": 1.5},
     {"id": "paid", "event": "purchase", "if": {"prop": "amount", "between": [10, 1000]}, "points": 9},
     {"id": "tagged", "event": "purchase", "if": {"prop": "tags", "contains": "promo"}, "points": -4, "cap": 3},
     {"id": "plan", "event": "signup", "if": {"any": [{"prop": "plan", "in": ["pro", "team"]}, {"prop": "trial", "eq": true}]}, "points": 6},
     {"id": "attr-in-if", "event": "visit", "if": {"all": [{"attr": "vip", "eq": true}, {"prop": "pages", "exists": true}]}, "points": 1}],
   "window_days": 90,
   "behavior_limits": {"max": 12},
   "grades": [{"grade": "hot", "min": 8}, {"grade": "warm", "min": 0}]},
 "disqualify": [{"id": "tiny", "if": {"attr": "employees", "lt": 2}},
                {"id": "spam", "if": {"attr": "tags", "contains": "spam"}}],
 "stages": {"initial": "a",
   "list": [{"id": "a"}, {"id": "b", "enter_when": {"score": "fit", "gte": 1}},
     {"id": "c", "enter_when": {"score": "behavior", "gt": 2}, "requires": {"criterion": "big"}},
     {"id": "d", "enter_when": {"all": []}}, {"id": "out", "outcome": "disqualified"},
     {"id": "out2", "outcome": "disqualified", "requires": {"attr": "vip", "eq": false}},
     {"id": "done", "outcome": "won", "enter_when": {"criterion": "both"}}],
   "transitions": [{"from": "a", "to": ["b", "d"]}, {"from": "b", "to": ["c", "a"]}, {"from": "c", "to": "d"},
     {"from": "d", "to": ["a", "done"]}, {"from": ["a", "b"], "to": "out2", "reasons": ["r"]},
     {"from": "*", "to": "out"}, {"from": "done", "to": "a", "reasons": ["reopen"]}]}}
"""#

/// No stages, no grades, a short half-life and no window (far-from-reference decay paths).
let plainModelJSON = #"""
{"format": "funnel.model/1",
 "attributes": {"n": "number", "s": "string", "b": "bool", "t": "strings"},
 "criteria": {},
 "scoring": {"fit": [{"id": "n", "if": {"attr": "n", "gte": 0}, "points": 1e15},
                     {"id": "s", "if": {"attr": "s", "eq": "x"}, "points": -1e15},
                     {"id": "t", "if": {"attr": "t", "contains": "a"}, "points": 3}],
   "behavior": [{"id": "e", "event": "e", "points": 1},
                {"id": "f", "event": "f", "points": -1e6, "cap": 1e9},
                {"id": "g", "event": "g.*", "points": 1e-300}],
   "half_life_days": 0.001},
 "disqualify": []}
"""#

let fixedModelTexts: [String] = [Model.defaultModelJSON, specModelJSON, wildcardModelJSON, plainModelJSON]

/// The fixed models, loaded once (a failure to load one is itself a bug).
let fixedModels: [Model] = fixedModelTexts.map { text in
    do { return try Model(json: text) } catch { fatalError("a fixed model does not load: \(error)") }
}

// MARK: Checks

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
           file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("invariant failed: \(message())", file: file, line: line) }
}

/// Same double, bit for bit except that every NaN is one NaN.
func same(_ a: Double, _ b: Double) -> Bool {
    (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
}

/// Whether every fit and behaviour point of `model` is small enough that no sum can overflow.
func hasModestPoints(_ model: Model) -> Bool {
    let s = model.definition.scoring
    return s.fit.allSatisfy { abs($0.points) <= 1e15 } && s.behavior.allSatisfy { abs($0.points) <= 1e15 }
}

/// Output documents must be JSON this library can read back.
func checkParses(_ text: String, _ what: String) {
    do {
        _ = try JSONParser.parse(text)
    } catch {
        fatalError("\(what) is not valid JSON (\(error)): \(text.prefix(500))")
    }
}

/// SPEC §4 and §7 invariants of one score result.
func checkScore(_ r: ScoreResult, model: Model, lead: Lead?) {
    let def = model.definition
    let scoring = def.scoring
    if let lead { check(r.id == lead.id, "result id \(r.id) != lead id \(lead.id)") }
    // SPEC §13: total_limits clamp the total (fit and behaviour stay as they are).
    var total = r.fit + r.behavior
    if let limits = scoring.totalLimits {
        total = min(max(total, limits.min ?? -.infinity), limits.max ?? .infinity)
    }
    check(same(r.total, total), "total \(r.total) != fit \(r.fit) + behavior \(r.behavior), limited by \(String(describing: scoring.totalLimits))")
    if let limits = scoring.behaviorLimits, !r.behavior.isNaN {
        if let lo = limits.min { check(r.behavior >= lo, "behavior \(r.behavior) < behavior_limits.min \(lo)") }
        if let hi = limits.max { check(r.behavior <= hi, "behavior \(r.behavior) > behavior_limits.max \(hi)") }
    }
    if hasModestPoints(model) {
        check(r.fit.isFinite && r.behavior.isFinite && r.total.isFinite,
              "non-finite score with modest points: \(r.fit) \(r.behavior)")
    }
    // grade: first entry in written order whose min <= fit
    let expected = scoring.grades.first { $0.min <= r.fit }?.grade
    check(r.grade == expected, "grade \(String(describing: r.grade)) != expected \(String(describing: expected)) for fit \(r.fit)")
    // criteria: every criterion, in model order
    check(r.criteria.map(\.name) == def.criteria.map(\.name), "criteria names/order differ from the model")
    for c in r.criteria { check(c.holds == c.lacking.isEmpty || !c.holds, "criterion \(c.name) holds but lacks \(c.lacking)") }
    for c in r.criteria where c.holds { check(c.lacking.isEmpty, "criterion \(c.name) holds but lists unmet parts") }
    // disqualified_by: a subsequence of the model's disqualifiers
    var dq = def.disqualifiers.map(\.id)[...]
    for id in r.disqualifiedBy {
        guard let at = dq.firstIndex(of: id) else { fatalError("invariant failed: disqualified_by \(r.disqualifiedBy) not in model order") }
        dq = dq[(at + 1)...]
    }
    // contributions: fit rules first, then behaviour rules, each in model order
    let order = scoring.fit.map { ("fit", $0.id) } + scoring.behavior.map { ("behavior", $0.id) }
    var rest = order[...]
    var fitSum = 0.0
    for c in r.contributions {
        guard let at = rest.firstIndex(where: { $0.0 == c.kind.rawValue && $0.1 == c.rule }) else {
            fatalError("invariant failed: contribution \(c.rule) (\(c.kind)) out of model order")
        }
        rest = rest[(at + 1)...]
        switch c.kind {
        case .fit:
            let rule = scoring.fit.first { $0.id == c.rule }!
            check(same(c.points, rule.points), "fit contribution \(c.points) != rule points \(rule.points)")
            check(c.events == 0, "fit contribution with events")
            fitSum += c.points
        case .behavior:
            let rule = scoring.behavior.first { $0.id == c.rule }!
            check(c.events > 0, "behaviour contribution without events")
            if let cap = rule.cap, !c.points.isNaN { check(abs(c.points) <= cap, "rule \(rule.id) total \(c.points) exceeds cap \(cap)") }
        }
    }
    check(same(fitSum, r.fit), "fit \(r.fit) != sum of fit contributions \(fitSum)")
    checkParses(r.json, "score result JSON")
}

/// SPEC §4 computed the slow, obvious way, for models whose behaviour rules
/// have no `if`; nil when a rule has one, or when SPEC §13's groups, frequency
/// rules or `behavior_since` are in play (the reference differential checks those).
func referenceBehavior(_ model: Model, _ lead: Lead, asOf: Double) -> (behavior: Double, scale: Double)? {
    let s = model.definition.scoring
    guard s.behavior.allSatisfy({ $0.predicate == nil && $0.group == nil && $0.atLeast == nil }),
        lead.behaviorSince == nil
    else { return nil }
    var behavior = 0.0
    var scale = 1.0
    for rule in s.behavior {
        var total = 0.0
        var hits = 0
        for e in lead.events {
            let matches: Bool
            if rule.event.hasSuffix(".*") {
                matches = e.type.utf8.starts(with: rule.event.utf8.dropLast())
            } else {
                // SPEC §3: event types are matched exactly (byte for byte, not by canonical equivalence)
                matches = e.type.utf8.elementsEqual(rule.event.utf8)
            }
            guard matches, e.at <= asOf else { continue }
            if let w = s.windowDays, !(asOf - e.at <= w * 86_400) { continue }
            var value = rule.points
            if let h = s.halfLifeDays { value *= power2(-((asOf - e.at) / 86_400) / h) }
            total += value
            scale += abs(value)
            hits += 1
        }
        guard hits > 0 else { continue }
        if let cap = rule.cap { total = min(max(total, -cap), cap) }
        behavior += total
    }
    if let lo = s.behaviorLimits?.min { behavior = max(behavior, lo) }
    if let hi = s.behaviorLimits?.max { behavior = min(behavior, hi) }
    return (behavior, scale)
}

func checkAgainstReference(_ r: ScoreResult, model: Model, lead: Lead, asOf: Double) {
    guard asOf.isFinite, hasModestPoints(model), let (expected, scale) = referenceBehavior(model, lead, asOf: asOf) else { return }
    check(abs(r.behavior - expected) <= 1e-6 * scale,
          "behavior \(r.behavior) differs from SPEC §4 reference \(expected) (lead \(lead.id), as_of \(asOf))")
}

/// Whether the model's transitions allow a move from `from` to `to`.
func transitionExists(_ model: Model, from: String, to: String) -> Bool {
    guard let stages = model.definition.stages else { return false }
    let outcome = stages.list.first { $0.id == from }?.outcome
    return stages.transitions.contains { t in
        t.to.contains(to) && (t.from.contains(from) || (t.from.contains("*") && outcome == nil))
    }
}

/// SPEC §5 invariants of an advance.
func checkAdvance(_ a: AdvanceResult, model: Model, lead: Lead) {
    guard let stages = model.definition.stages else { fatalError("invariant failed: advance without stages succeeded") }
    let ids = stages.list.map(\.id)
    let start = lead.stage ?? stages.initial
    check(a.id == lead.id, "advance id differs")
    check(ids.contains(a.stage), "advance ends in unknown stage \(a.stage)")
    var current = start
    var seen: Set<String> = [start]
    for (k, m) in a.moves.enumerated() {
        check(m.from == current, "move \(k) from \(m.from), lead was in \(current)")
        check(m.by == "auto", "automatic move by \(m.by)")
        check(transitionExists(model, from: m.from, to: m.to), "move \(m.from) -> \(m.to) has no transition")
        check(seen.insert(m.to).inserted, "advance enters \(m.to) twice")
        if let reason = m.reason {
            check(a.moves.count == 1, "disqualifying move is not the only move")
            check(model.definition.disqualifiers.contains { $0.id == reason }, "move reason \(reason) is no disqualifier")
            check(stages.list.first { $0.id == m.to }?.outcome == .disqualified, "disqualifying move to non-disqualified stage")
        }
        current = m.to
    }
    check(a.stage == current, "advance stage \(a.stage) != last move's target \(current)")
    checkParses(a.json, "advance result JSON")
}

/// SPEC §5 invariants of an accepted manual move.
func checkMove(_ m: StageMove, model: Model, lead: Lead, to: String, reason: String?, by: String) {
    let start = lead.stage ?? model.definition.stages!.initial
    check(m.from == start && m.to == to && m.reason == reason && m.by == by, "move \(m) does not echo its request")
    check(transitionExists(model, from: start, to: to), "accepted move \(start) -> \(to) has no transition")
}

/// A few leads' worth of attribute values and events that fit `model`,
/// chosen by the input: what `model_load` scores with a model it was handed.
func leadFitting(_ model: Model, _ input: inout FuzzInput, asOf: Double) -> Lead {
    let strings = ["software", " FinTech ", "ceo", "sales manager", "competitor", "Compañía", "", "x", "a", "webinar"]
    let numbers: [Double] = [0, 1, 50, 120, 5000, 10000, -3, 1e9, 0.5]
    var attributes: [String: LeadValue] = [:]
    for a in model.attributes {
        let pick = input.int(16)
        if pick == 0 { continue }
        if pick == 1 { attributes[a.name] = .null; continue }
        switch a.type {
        case .string: attributes[a.name] = .string(strings[pick % strings.count])
        case .number: attributes[a.name] = .number(numbers[pick % numbers.count])
        case .bool: attributes[a.name] = .bool(pick & 1 == 0)
        case .strings: attributes[a.name] = .strings(Array(strings.prefix(pick % 4)) + [strings[pick % strings.count]])
        }
    }
    var events: [Event] = []
    for rule in model.definition.scoring.behavior {
        let type = rule.event.hasSuffix(".*") ? String(rule.event.dropLast()) + "x" : rule.event
        for _ in 0..<input.int(4) {
            let age = Double(input.int(64)) * 86_400 * Double(1 + input.int(30)) - 86_400
            var props: [String: LeadValue] = [:]
            for name in ["minutes", "amount", "plan", "trial", "tags", "pages"] where input.bool() {
                switch input.int(4) {
                case 0: props[name] = .number(numbers[input.int(numbers.count)])
                case 1: props[name] = .string(strings[input.int(strings.count)])
                case 2: props[name] = .bool(input.bool())
                default: props[name] = .strings([strings[input.int(strings.count)]])
                }
            }
            events.append(Event(type, at: asOf - age, properties: props))
        }
    }
    let stage: String? = input.bool() ? nil : model.stageIDs.isEmpty ? nil : model.stageIDs[input.int(model.stageIDs.count)]
    return Lead(id: "L-\(input.int(100))", attributes: attributes, events: events, stage: stage)
}

/// Scores, advances and (when the model has stages) tries every manual move
/// of `lead`, checking everything that must hold.
func exercise(_ model: Model, _ lead: Lead, asOf: Double, moveTarget: Int, reasonPick: Int) {
    do {
        let r = try model.score(lead, at: asOf)
        checkScore(r, model: model, lead: lead)
        checkAgainstReference(r, model: model, lead: lead, asOf: asOf)
        let again = try model.score(lead, at: asOf)
        check(again == r || (r.total.isNaN), "scoring the same lead twice differs")
    } catch {
        // A lead that does not fit the model: the error must name a path.
        check(!error.description.isEmpty, "empty lead error")
    }
    do {
        let a = try model.advance(lead, at: asOf)
        checkAdvance(a, model: model, lead: lead)
    } catch {
        switch error.code {
        case .noStages: check(model.definition.stages == nil, "noStages for a model with stages")
        case .invalidLead: break
        default: fatalError("invariant failed: advance threw \(error)")
        }
    }
    guard let stages = model.definition.stages else { return }
    let targets = stages.list.map(\.id) + ["nowhere", ""]
    let target = targets[moveTarget % targets.count]
    let reasons: [String?] = [nil] + stages.transitions.flatMap { $0.reasons ?? [] } + ["bogus"]
    let reason = reasons[reasonPick % reasons.count]
    var copy = lead
    do {
        let m = try model.move(&copy, to: target, reason: reason, by: "fuzz", at: asOf)
        checkMove(m, model: model, lead: lead, to: target, reason: reason, by: "fuzz")
        check(copy.stage == target, "move did not update the lead")
    } catch {
        check(copy == lead, "a refused move changed the lead")
        if error.code == .unknownStage { check(!stages.list.contains { $0.id == target }, "known stage refused as unknown") }
        if error.code == .transitionNotAllowed {
            check(!transitionExists(model, from: lead.stage ?? stages.initial, to: target), "move refused although a transition exists")
        }
    }
}
