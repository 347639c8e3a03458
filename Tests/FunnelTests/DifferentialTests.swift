#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import Funnel
import FunnelTestSupport

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
        // SPEC §13 at work: frequency rules that fired, totals the total limits moved.
        var secondEdition = (frequency: 0, totalLimited: 0)
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
                for c in expected.contributions
                where definition.scoring.behavior.first(where: { $0.id == c.rule })?.atLeast != nil {
                    secondEdition.frequency += 1
                }
                if expected.total != expected.fit + expected.behavior { secondEdition.totalLimited += 1 }
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
        #expect(secondEdition.frequency >= 50)
        #expect(secondEdition.totalLimited >= 50)
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
