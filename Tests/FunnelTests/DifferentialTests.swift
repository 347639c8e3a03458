#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import Funnel

/// SplitMix64: tiny, seedable, reproducible everywhere.
struct DiffSplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random but valid models and leads, driven by one seed.
struct RandomCases {
    var rng: DiffSplitMix64
    init(seed: UInt64) { rng = DiffSplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    // MARK: Vocabulary

    static let words = [
        "software", "fintech", "Compañía", "οδός", "retail", "İstanbul", "straße", "ab", "soft", "ware",
        "Ωμέγα", "naïve", "",
    ]
    static let numbers: [Double] = [0, 1, 5, 10, 50, 100, 5000, -3, 2.5, 1e6]
    static let points: [Double] = [-10, -5, -3, 0, 1, 2, 2.5, 5, 10, 15]
    static let ruleEvents = [
        "email.reply", "email.*", "web.*", "call.completed", "web.visit", "*", "demo.request", "email.open",
        "web.visit.*",
    ]
    static let eventTypes = [
        "email.reply", "email.open", "Email.reply", "web.visit", "web.visit.pricing", "web.", "call.completed",
        "email", "email.", "*", "demo.request", "demo.request ", "x",
    ]
    static let propNames = ["minutes", "channel", "tags", "ok", "blob"]
    static let reasons = ["price", "timing", "spam", "competitor"]
    static let paddings = ["", " ", "  ", "\t", "\u{00A0}", "\u{3000}", "\n", "\u{2003}"]

    /// NFD forms of the precomposed letters the word list uses.
    static let decompositions: [Unicode.Scalar: String] = [
        "ñ": "n\u{303}", "í": "i\u{301}", "ó": "o\u{301}", "é": "e\u{301}", "ï": "i\u{308}",
        "ό": "\u{3BF}\u{301}", "Ñ": "N\u{303}", "Í": "I\u{301}", "Ó": "O\u{301}", "Ό": "\u{39F}\u{301}",
        "έ": "\u{3B5}\u{301}", "Έ": "\u{395}\u{301}", "İ": "I\u{307}",
    ]

    /// A spelling of `word` that the spec says must compare equal to it (odd
    /// case, surrounding white space, NFD accents), or sometimes a near miss.
    mutating func variant(_ word: String) -> String {
        var text = ""
        for ch in word {
            let s = String(ch)
            switch int(0...3) {
            case 0: text += s.uppercased()
            case 1: text += s.lowercased()
            default: text += s
            }
        }
        if chance(0.4) {
            var decomposed = ""
            for scalar in text.unicodeScalars {
                if let d = Self.decompositions[scalar] { decomposed += d } else { decomposed.unicodeScalars.append(scalar) }
            }
            text = decomposed
        }
        if chance(0.5) { text = pick(Self.paddings) + text + pick(Self.paddings) }
        if chance(0.05) { text += "x" }
        return text
    }

    mutating func word() -> String { variant(pick(Self.words)) }

    // MARK: Predicates

    struct PredicateContext {
        var attributes: [AttributeDeclaration]
        /// Criteria that may be named here (earlier ones only).
        var criteria: [String]
        var allowsProperty: Bool
        var allowsScore: Bool
    }

    mutating func number() -> Double { chance(0.8) ? pick(Self.numbers) : Double(int(-20...200)) / 2 }

    mutating func scalarValue() -> Value {
        switch int(0...2) {
        case 0: return .number(number())
        case 1: return .bool(chance(0.5))
        default: return .string(word())
        }
    }

    mutating func numericCondition() -> Condition {
        switch int(0...6) {
        case 0: return .greaterThan(number())
        case 1: return .atLeast(number())
        case 2: return .lessThan(number())
        case 3: return .atMost(number())
        case 4:
            let a = number(), b = number()
            return .between(min(a, b), max(a, b))
        case 5: return .equals(.number(number()))
        default: return .notEquals(.number(number()))
        }
    }

    mutating func attributeCondition(_ type: AttributeType) -> Condition {
        if chance(0.1) { return .exists(chance(0.5)) }
        switch type {
        case .number:
            switch int(0...2) {
            case 0: return .isIn((0..<int(0...3)).map { _ in .number(number()) })
            case 1: return .notIn((0..<int(0...3)).map { _ in .number(number()) })
            default: return numericCondition()
            }
        case .bool:
            switch int(0...3) {
            case 0: return .equals(.bool(chance(0.5)))
            case 1: return .notEquals(.bool(chance(0.5)))
            case 2: return .isIn((0..<int(0...2)).map { _ in .bool(chance(0.5)) })
            default: return .notIn((0..<int(0...2)).map { _ in .bool(chance(0.5)) })
            }
        case .string:
            switch int(0...4) {
            case 0: return .equals(.string(word()))
            case 1: return .notEquals(.string(word()))
            case 2: return .isIn((0..<int(0...3)).map { _ in .string(word()) })
            case 3: return .notIn((0..<int(0...3)).map { _ in .string(word()) })
            default: return .contains(chance(0.7) ? variant(pick(["soft", "ware", "ñí", "ΟΔ", "Ω", "a", ""])) : word())
            }
        case .strings:
            if chance(0.5) { return .contains(word()) }
            return .anyOf((0..<int(0...3)).map { _ in word() })
        }
    }

    mutating func propertyCondition() -> Condition {
        switch int(0...7) {
        case 0: return .exists(chance(0.6))
        case 1: return .equals(scalarValue())
        case 2: return .notEquals(scalarValue())
        case 3: return .isIn((0..<int(0...3)).map { _ in scalarValue() })
        case 4: return .notIn((0..<int(0...3)).map { _ in scalarValue() })
        case 5: return .contains(chance(0.5) ? variant(pick(["soft", "a", "web"])) : word())
        case 6: return .anyOf((0..<int(0...3)).map { _ in word() })
        default: return numericCondition()
        }
    }

    mutating func predicate(_ context: PredicateContext, depth: Int = 0) -> Predicate {
        let leafOnly = depth >= 3
        let roll = int(0...(leafOnly ? 9 : 13))
        switch roll {
        case 0...5:
            if context.allowsProperty && chance(0.4) {
                return .property(pick(Self.propNames), propertyCondition())
            }
            guard !context.attributes.isEmpty else { return .all([]) }
            let attribute = pick(context.attributes)
            return .attribute(attribute.name, attributeCondition(attribute.type))
        case 6, 7:
            if context.allowsScore { return .score(pick(ScoreKind.allCases), numericCondition()) }
            return .any([])
        case 8, 9:
            if context.criteria.isEmpty { return .all([]) }
            return .criterion(pick(context.criteria))
        case 10, 11:
            let parts = (0..<int(0...3)).map { _ in predicate(context, depth: depth + 1) }
            return chance(0.5) ? .all(parts) : .any(parts)
        default:
            return .not(predicate(context, depth: depth + 1))
        }
    }

    // MARK: Models

    mutating func model() -> ModelDefinition {
        let names = ["industry", "employees", "budget", "dm", "tags", "need", "región", "flags", "active"]
        var attributes: [AttributeDeclaration] = []
        for name in names where chance(0.6) {
            attributes.append(AttributeDeclaration(name, pick([.string, .number, .bool, .strings])))
        }
        // Criteria may name earlier criteria; those that read a score are only
        // named from criteria, disqualifiers and stages.
        var criteria: [Criterion] = []
        var usesScore: [String: Bool] = [:]
        for i in 0..<int(0...4) {
            let earlier = criteria.map(\.name)
            let p = predicate(PredicateContext(
                attributes: attributes, criteria: earlier, allowsProperty: false, allowsScore: chance(0.4)))
            let name = "c\(i)"
            usesScore[name] = p.readsScore || p.referencedCriteria.contains { usesScore[$0] == true }
            criteria.append(Criterion(name, p))
        }
        let scoreFree = criteria.map(\.name).filter { usesScore[$0] == false }
        let ruleContext = PredicateContext(
            attributes: attributes, criteria: scoreFree, allowsProperty: false, allowsScore: false)
        var eventContext = ruleContext
        eventContext.allowsProperty = true
        let fit = (0..<int(0...5)).map { i in
            FitRule("f\(i)", if: predicate(ruleContext), points: pick(Self.points))
        }
        let behavior = (0..<int(0...5)).map { i in
            BehaviorRule(
                "b\(i)", event: pick(Self.ruleEvents), if: chance(0.4) ? predicate(eventContext) : nil,
                points: pick(Self.points), cap: chance(0.3) ? pick([0.5, 1, 5, 10]) : nil)
        }
        var limits: BehaviorLimits?
        if chance(0.3) {
            let lo: Double? = chance(0.7) ? pick([-50, -5, 0, 1]) : nil
            let hi: Double? = chance(0.7) ? pick([1, 5, 20, 100]) : nil
            limits = BehaviorLimits(min: lo, max: hi)
        }
        let grades = (0..<int(0...3)).map { i in Grade(["A", "B", "C"][i], min: pick([-5, 0, 5, 10, 15, 25])) }
        let scoring = Scoring(
            fit: fit, behavior: behavior, halfLifeDays: chance(0.6) ? pick([0.5, 7, 30, 365]) : nil,
            windowDays: chance(0.5) ? pick([1, 30, 365]) : nil, behaviorLimits: limits, grades: grades)
        let anywhere = PredicateContext(
            attributes: attributes, criteria: criteria.map(\.name), allowsProperty: false, allowsScore: true)
        let disqualifiers = (0..<int(0...2)).map { i in Disqualifier("d\(i)", if: predicate(anywhere)) }
        var stages: Stages?
        if chance(0.75) {
            var list: [Stage] = []
            for i in 0..<int(1...6) {
                let outcome: Outcome? = chance(0.2) ? pick(Outcome.allCases) : nil
                list.append(Stage(
                    "s\(i)", label: chance(0.2) ? "Perfilación \(i)" : nil,
                    requires: chance(0.25) ? predicate(anywhere) : nil,
                    enterWhen: chance(0.6) ? predicate(anywhere) : nil, outcome: outcome))
            }
            if chance(0.6) { list.append(Stage("out", outcome: .disqualified)) }
            let ids = list.map(\.id)
            var transitions: [Transition] = []
            for _ in 0..<int(0...8) {
                let from = chance(0.15) ? ["*"] : (0..<int(1...2)).map { _ in pick(ids) }
                let to = (0..<int(1...2)).map { _ in pick(ids) }
                let reasons: [String]? = chance(0.3) ? Array(Self.reasons.shuffled(using: &rng).prefix(int(1...3))) : nil
                transitions.append(Transition(from: from, to: to, reasons: reasons))
            }
            if ids.contains("out") && chance(0.7) {
                transitions.append(Transition(from: ["*"], to: ["out"], reasons: chance(0.5) ? ["spam"] : nil))
            }
            stages = Stages(initial: pick(ids), list: list, transitions: transitions)
        }
        return ModelDefinition(
            name: "random", attributes: attributes, criteria: criteria, scoring: scoring,
            disqualifiers: disqualifiers, stages: stages)
    }

    // MARK: Leads

    mutating func value(_ type: AttributeType) -> LeadValue {
        switch type {
        case .number: return .number(number())
        case .bool: return .bool(chance(0.5))
        case .string: return .string(word())
        case .strings: return .strings((0..<int(0...3)).map { _ in word() })
        }
    }

    mutating func propertyValue() -> LeadValue {
        switch int(0...6) {
        case 0: return .number(number())
        case 1: return .bool(chance(0.5))
        case 2, 3: return .string(word())
        case 4: return .strings((0..<int(0...3)).map { _ in word() })
        case 5: return .null
        default: return .other
        }
    }

    mutating func lead(_ index: Int, _ definition: ModelDefinition, asOf: Double) -> Lead {
        var attributes: [String: LeadValue] = [:]
        for declaration in definition.attributes {
            switch int(0...9) {
            case 0: break  // absent
            case 1: attributes[declaration.name] = .null
            default: attributes[declaration.name] = value(declaration.type)
            }
        }
        if chance(0.2) { attributes["undeclared"] = .string("software") }
        let window = definition.scoring.windowDays
        let halfLife = definition.scoring.halfLifeDays
        var events: [Event] = []
        for _ in 0..<int(0...12) {
            let at: Double
            switch int(0...11) {
            case 0: at = asOf  // age 0
            case 1: at = asOf + Double(int(1...100_000))  // in the future: ignored
            case 2: at = asOf - (window ?? 30) * 86_400  // exactly at the window's edge
            case 3: at = asOf - (window ?? 30) * 86_400 - 1  // just outside
            case 4: at = asOf - (halfLife ?? 1) * 86_400 * Double(int(400...2_000))  // far: the slow decay path
            case 5: at = asOf - 0.001
            default: at = asOf - Double(int(0...400 * 86_400))
            }
            var props: [String: LeadValue] = [:]
            for name in Self.propNames where chance(0.35) { props[name] = propertyValue() }
            events.append(Event(pick(Self.eventTypes), at: at, properties: props))
        }
        var stage: String?
        if let stages = definition.stages, chance(0.6) { stage = pick(stages.list).id }
        return Lead(id: chance(0.1) ? "lead \(index) ünïcode" : "L-\(index)", attributes: attributes, events: events, stage: stage)
    }
}

// MARK: - Comparison

private func close(_ a: Double, _ b: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= 1e-6 * max(1, abs(a))
}

/// Collects mismatches with enough context to reproduce them.
private final class Mismatches {
    var lines: [String] = []
    var nearThresholdSkips = 0
    func add(_ text: String) { if lines.count < 40 { lines.append(text) } }
}

private func describe(_ definition: ModelDefinition) -> String {
    var out: [String] = []
    out.append("attributes: " + definition.attributes.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", "))
    for c in definition.criteria { out.append("criterion \(c.name): \(c.predicate)") }
    let s = definition.scoring
    for r in s.fit { out.append("fit \(r.id): if \(r.predicate) → \(r.points)") }
    for r in s.behavior {
        out.append("behavior \(r.id): \(r.event) if \(r.predicate.map(\.description) ?? "-") → \(r.points) cap \(r.cap.map { "\($0)" } ?? "-")")
    }
    out.append("half-life \(s.halfLifeDays.map { "\($0)" } ?? "-") window \(s.windowDays.map { "\($0)" } ?? "-") limits \(String(describing: s.behaviorLimits)) grades \(s.grades.map { "\($0.grade)>=\($0.min)" })")
    for d in definition.disqualifiers { out.append("disqualify \(d.id): \(d.predicate)") }
    if let st = definition.stages {
        out.append("initial \(st.initial)")
        for x in st.list {
            out.append("stage \(x.id) outcome \(x.outcome?.rawValue ?? "-") requires \(x.requires.map(\.description) ?? "-") enter_when \(x.enterWhen.map(\.description) ?? "-")")
        }
        for t in st.transitions { out.append("transition \(t.from) → \(t.to) reasons \(t.reasons ?? [])") }
    }
    return out.joined(separator: "\n    ")
}

private func compare(
    _ actual: ScoreResult, _ expected: RefInterpreter.Result, _ via: String, _ where_: String, _ m: Mismatches
) {
    func fail(_ what: String) { m.add("\(where_) [\(via)] \(what)") }
    if actual.id != expected.id { fail("id \(actual.id) != \(expected.id)") }
    if !close(actual.fit, expected.fit) { fail("fit \(actual.fit) != \(expected.fit)") }
    if !close(actual.behavior, expected.behavior) { fail("behavior \(actual.behavior) != \(expected.behavior)") }
    if !close(actual.total, expected.total) { fail("total \(actual.total) != \(expected.total)") }
    if actual.grade != expected.grade { fail("grade \(actual.grade ?? "nil") != \(expected.grade ?? "nil")") }
    let rules = actual.contributions.map { "\($0.rule)/\($0.kind.rawValue)/\($0.events)" }
    let expectedRules = expected.contributions.map { "\($0.rule)/\($0.kind.rawValue)/\($0.events)" }
    if rules != expectedRules {
        fail("contributions \(rules) != \(expectedRules)")
    } else {
        for (a, e) in zip(actual.contributions, expected.contributions) where !close(a.points, e.points) {
            fail("contribution \(a.rule) points \(a.points) != \(e.points)")
        }
    }
    for c in actual.criteria where c.holds != c.lacking.isEmpty {
        fail("criterion \(c.name): holds \(c.holds) but lacking \(c.lacking)")
    }
    if expected.nearThreshold {
        m.nearThresholdSkips += 1
        return
    }
    let criteria = actual.criteria.map { "\($0.name)=\($0.holds)" }
    let expectedCriteria = expected.criteria.map { "\($0.name)=\($0.holds)" }
    if criteria != expectedCriteria { fail("criteria \(criteria) != \(expectedCriteria)") }
    if actual.disqualifiedBy != expected.disqualifiedBy {
        fail("disqualified_by \(actual.disqualifiedBy) != \(expected.disqualifiedBy)")
    }
}

private func compare(
    _ actual: AdvanceResult, _ expected: RefInterpreter.Advance, asOf: Double, _ via: String, _ where_: String,
    _ m: Mismatches
) {
    if expected.nearThreshold { return }
    let moves = actual.moves.map {
        RefInterpreter.Move(from: $0.from, to: $0.to, reason: $0.reason, by: $0.by)
    }
    if actual.id != expected.id || actual.stage != expected.stage || moves != expected.moves {
        m.add("\(where_) [\(via)] advance → \(actual.stage) \(moves) != \(expected.stage) \(expected.moves)")
    }
    for move in actual.moves where !(move.at == asOf || (move.at.isNaN && asOf.isNaN)) {
        m.add("\(where_) [\(via)] move time \(move.at) != as_of \(asOf)")
    }
}

private func outcome(_ result: Result<StageMove, MoveError>) -> RefInterpreter.MoveOutcome? {
    switch result {
    case .success(let move): return .moved(from: move.from, to: move.to, reason: move.reason)
    case .failure(let error):
        switch error.code {
        case .unknownStage: return .unknownStage
        case .transitionNotAllowed: return .transitionNotAllowed
        case .guardNotMet: return .guardNotMet
        case .reasonRequired: return .reasonRequired
        case .reasonNotAllowed: return .reasonNotAllowed
        default: return nil
        }
    }
}

/// The seed of the run: `FUNNEL_DIFF_SEED` when set (decimal or 0x-hex), else fixed.
private func baseSeed() -> UInt64 {
    if let raw = getenv("FUNNEL_DIFF_SEED") {
        let text = String(cString: raw)
        if text.hasPrefix("0x"), let v = UInt64(text.dropFirst(2), radix: 16) { return v }
        if let v = UInt64(text) { return v }
    }
    return 0x5EED_F00D_2026
}

@Suite("Differential: library vs. reference interpreter")
struct DifferentialTests {
    /// The interpreter itself, on cases worked out by hand from the spec.
    @Test func referenceKeysFollowTheSpec() {
        #expect(RefInterpreter.sameText(" Software ", "software"))
        #expect(RefInterpreter.sameText("Compañía", "COMPAÑÍA"))
        #expect(RefInterpreter.sameText("Compan\u{303}i\u{301}a", "compañía"))
        #expect(RefInterpreter.key("ΟΔΌΣ") == "οδός")
        #expect(RefInterpreter.key("ΣΑ") == "σα")
        #expect(RefInterpreter.key("\u{3000}x\u{00A0}") == "x")
        #expect(!RefInterpreter.sameText("straße", "STRASSE"))
        #expect(RefInterpreter.substring("Fintech Software", "SOFT"))
        #expect(!RefInterpreter.substring("soft", "software"))
        #expect(RefInterpreter.eventMatches(rule: "email.*", type: "email.reply"))
        #expect(RefInterpreter.eventMatches(rule: "email.*", type: "email."))
        #expect(!RefInterpreter.eventMatches(rule: "email.*", type: "email"))
        #expect(!RefInterpreter.eventMatches(rule: "email.reply", type: "Email.reply"))
        #expect(RefInterpreter.eventMatches(rule: "*", type: "*"))
        #expect(!RefInterpreter.eventMatches(rule: "*", type: "x"))
    }

    @Test func referenceScoresTheSpecExample() throws {
        let model = try SpecFixtures.model()
        let asOf = SpecFixtures.asOf
        let lead = Lead(
            id: "L-1001", attributes: ["industry": " Software ", "employees": 120, "tags": ["webinar"]],
            events: [Event("email.reply", at: asOf - 30 * 86_400), Event("email.reply", at: asOf + 10)])
        let ref = RefInterpreter(definition: model.definition).score(lead, at: asOf)
        #expect(ref.fit == 25)
        #expect(abs(ref.behavior - 1) < 1e-12)
        #expect(ref.grade == "A")
        #expect(ref.contributions.map(\.rule) == ["target-industry", "mid-market", "reply"])
        #expect(ref.criteria.map(\.holds) == [true, false])
        let advanced = RefInterpreter(definition: model.definition).advance(lead, at: asOf)
        #expect(advanced?.stage == "profiled")
    }

    /// Random models × random leads: `Model.score`, `LeadBatch.results`,
    /// `LeadBatch.scores`, `Model.advance`, `LeadBatch.advance` and `Model.move`
    /// against the interpreter.
    @Test func randomModelsAndLeads() throws {
        let seed = baseSeed()
        let modelCount = 400
        let leadsPerModel = 10
        let mismatches = Mismatches()
        var cases = 0
        var advances = 0
        var moveChecks = 0
        for modelIndex in 0..<modelCount {
            let modelSeed = seed &+ UInt64(modelIndex) &* 0x9E37_79B9
            var random = RandomCases(seed: modelSeed)
            let definition = random.model()
            let model: Model
            do {
                model = try Model(definition)
            } catch {
                Issue.record("seed \(modelSeed): a valid random model did not load: \(error)\n    \(describe(definition))")
                continue
            }
            let reference = RefInterpreter(definition: definition)
            let asOf = 1_794_700_800.0 + Double(random.int(0...10_000_000))
            // Every 200th model gets a batch big enough to be split across threads.
            let count = modelIndex % 200 == 7 ? 1_100 : leadsPerModel
            let leads = (0..<count).map { random.lead($0, definition, asOf: asOf) }
            let batch = try LeadBatch(model: model, leads: leads)
            let batchResults = batch.results(at: asOf, threads: modelIndex % 2 == 0 ? 1 : 2)
            let batchScores = batch.scores(at: asOf, threads: 2)
            let batchAdvance = batch.advance(at: asOf, threads: 2)
            let mismatchesBefore = mismatches.lines.count
            for (i, lead) in leads.enumerated() {
                let here = "seed 0x\(String(modelSeed, radix: 16)) model #\(modelIndex) lead #\(i)"
                let expected = reference.score(lead, at: asOf)
                cases += 1
                if i < leadsPerModel {
                    compare(try model.score(lead, at: asOf), expected, "Model.score", here, mismatches)
                }
                compare(batchResults[i], expected, "LeadBatch.results", here, mismatches)
                if !close(batchScores.fit[i], expected.fit) || !close(batchScores.behavior[i], expected.behavior)
                    || !close(batchScores.total[i], expected.total) || batchScores.grade(i) != expected.grade
                {
                    mismatches.add(
                        "\(here) [LeadBatch.scores] \(batchScores.fit[i])/\(batchScores.behavior[i])/\(batchScores.total[i])/\(batchScores.grade(i) ?? "nil") != \(expected.fit)/\(expected.behavior)/\(expected.total)/\(expected.grade ?? "nil")"
                    )
                }
                if let advance = reference.advance(lead, at: asOf) {
                    advances += 1
                    if i < leadsPerModel {
                        compare(try model.advance(lead, at: asOf), advance, asOf: asOf, "Model.advance", here, mismatches)
                        // A manual move to a random stage (or an unknown one), with a random reason.
                        let stages = definition.stages?.list.map(\.id) ?? []
                        let target = random.chance(0.1) ? "nowhere" : random.pick(stages)
                        let reason: String? = random.chance(0.5) ? random.pick(RandomCases.reasons) : nil
                        if let (want, near) = reference.move(lead, to: target, reason: reason, at: asOf), !near {
                            moveChecks += 1
                            let got = outcome(Result(catching: { () throws(MoveError) -> StageMove in
                                try model.move(lead, to: target, reason: reason, by: "tester", at: asOf)
                            }))
                            if got != want {
                                mismatches.add("\(here) [Model.move to \(target) reason \(reason ?? "nil")] \(String(describing: got)) != \(want)")
                            }
                        }
                    }
                    if let batchAdvance {
                        compare(batchAdvance[i], advance, asOf: asOf, "LeadBatch.advance", here, mismatches)
                    } else {
                        mismatches.add("\(here) [LeadBatch.advance] nil for a model with stages")
                    }
                }
                if mismatches.lines.count > mismatchesBefore && mismatches.lines.count - mismatchesBefore <= 3 {
                    mismatches.add("    lead: \(lead)")
                }
            }
            if mismatches.lines.count > mismatchesBefore {
                mismatches.add("    model (seed 0x\(String(modelSeed, radix: 16))):\n    \(describe(definition))")
            }
        }
        #expect(cases >= 3_000)
        #expect(advances >= 1_000)
        #expect(moveChecks >= 500)
        // Scores within the spec's tolerance of a score predicate's constant are
        // ambiguous between conforming implementations; they must stay rare.
        #expect(mismatches.nearThresholdSkips * 50 < cases)
        if !mismatches.lines.isEmpty {
            Issue.record("library and reference disagree (base seed 0x\(String(seed, radix: 16)); rerun one with FUNNEL_DIFF_SEED):\n\(mismatches.lines.joined(separator: "\n"))")
        }
    }
}

extension DifferentialTests {
    /// SPEC §3: "Event types are matched exactly, letter case included." An
    /// event type in NFD is not the NFC type a rule names (the wildcard path
    /// and the Python reference both compare code points); the two paths of
    /// the library must at least agree with each other.
    @Test func eventTypesMatchExactlyNotUpToCanonicalEquivalence() throws {
        let model = try Model(ModelDefinition(scoring: Scoring(behavior: [
            BehaviorRule("exact", event: "caf\u{E9}.visit", points: 1),
            BehaviorRule("wild", event: "caf\u{E9}.*", points: 10),
        ])))
        let nfd = Lead(id: "nfd", events: [Event("cafe\u{301}.visit", at: 0)])
        let nfc = Lead(id: "nfc", events: [Event("caf\u{E9}.visit", at: 0)])
        let reference = RefInterpreter(definition: model.definition)
        #expect(reference.score(nfc, at: 1).behavior == 11)
        #expect(reference.score(nfd, at: 1).behavior == 0)
        #expect(try model.score(nfc, at: 1).behavior == 11)
        let actual = try model.score(nfd, at: 1)
        #expect(actual.contributions.map(\.rule) == [], "NFD event type matched \(actual.contributions.map(\.rule))")
        #expect(actual.behavior == 0)
        // Whatever the rule for NFD, a wildcard must treat every type under its prefix alike.
        let other = try model.score(Lead(id: "nfd2", events: [Event("cafe\u{301}.other", at: 0)]), at: 1)
        #expect(
            actual.contributions.contains { $0.rule == "wild" } == other.contributions.contains { $0.rule == "wild" },
            "café.* matched NFD café.visit: \(actual.contributions.map(\.rule)), NFD café.other: \(other.contributions.map(\.rule))")
    }
}
