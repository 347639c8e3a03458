import Dispatch
import Testing

@testable import Funnel
import FunnelTestSupport

/// One shared `Model` and one shared `LeadBatch`, hammered from 8 threads at
/// once; every result must equal the single-threaded baseline bit for bit.
/// Run under `swift test --sanitize=thread --filter Concurrency` too.
@Suite("Concurrency")
struct ConcurrencyTests {
    static let asOf = SpecFixtures.asOf
    static let workers = 8
    static let iterations = 50
    /// Enough leads for `threads: 2` to really split the batch (it splits from 1,024 leads).
    static let leadCount = 1_100

    /// Lead documents with a spread of attributes, events (some decayed far,
    /// some in the future) and stages.
    static func leadDocuments() -> [String] {
        let industries = [#""Software""#, #"" fintech ""#, #""retail""#, "null", #""COMPAÑÍA""#]
        let stages = ["null", #""new""#, #""profiled""#, #""mql""#, #""sal""#, #""opportunity""#, #""won""#]
        let types = ["email.reply", "newsletter.subscribe", "call.completed", "meeting.no_show", "page.view"]
        var random = SplitMix64(seed: 2026)
        return (0..<leadCount).map { i in
            var events: [String] = []
            for _ in 0..<random.below(6) {
                let type = types[random.below(types.count)]
                let at = asOf - Double(random.below(400 * 86_400)) + (random.below(10) == 0 ? 90_000 : 0)
                let minutes = random.below(40)
                events.append(#"{"type": "\#(type)", "at": \#(at), "props": {"minutes": \#(minutes)}}"#)
            }
            let tags = random.below(8) == 0 ? #"["competitor"]"# : #"["webinar"]"#
            return """
                {"id": "L-\(i)", "stage": \(stages[random.below(stages.count)]),
                 "attributes": {"industry": \(industries[random.below(industries.count)]),
                                "employees": \(random.below(8000)), "budget": \(random.below(30_000)),
                                "decision_maker": \(random.below(2) == 0), "need": "crm",
                                "timeline_days": \(random.below(200)), "tags": \(tags)},
                 "events": [\(events.joined(separator: ", "))]}
                """
        }
    }

    struct Baseline: Sendable {
        var leads: [Lead]
        var documents: [String]
        var results: [ScoreResult]
        var scores: BatchScores
        var advances: [AdvanceResult]
        var moves: [[Result<StageMove, MoveError>]]
    }

    static let moveTargets: [(String, String?)] = [
        ("sal", nil), ("nurture", nil), ("sql", nil), ("won", "price"), ("lost", nil), ("disqualified", "no_budget"),
        ("disqualified", nil), ("nowhere", nil),
    ]

    static func move(_ model: Model, _ lead: Lead, _ k: Int) -> Result<StageMove, MoveError> {
        let (target, reason) = moveTargets[k]
        return Result(catching: { () throws(MoveError) -> StageMove in
            try model.move(lead, to: target, reason: reason, by: "rep-\(k)", at: asOf)
        })
    }

    static func baseline(_ model: Model, _ batch: LeadBatch, _ documents: [String]) throws -> Baseline {
        let leads = try documents.map { text throws(LeadError) in try Lead(json: text) }
        return Baseline(
            leads: leads, documents: documents,
            results: try leads.map { lead throws(LeadError) in try model.score(lead, at: asOf) },
            scores: batch.scores(at: asOf, threads: 1),
            advances: try leads.map { lead throws(MoveError) in try model.advance(lead, at: asOf) },
            moves: leads.map { lead in moveTargets.indices.map { move(model, lead, $0) } })
    }

    @Test func oneModelAndOneBatchFromEightThreads() throws {
        let model = try SpecFixtures.model()
        let documents = Self.leadDocuments()
        let batch = try LeadBatch(model: model, leads: documents.map { try Lead(json: $0) })
        let base = try Self.baseline(model, batch, documents)
        // The baseline itself is sane: the batch agrees with one-at-a-time scoring,
        // and the leads are varied enough to mean something.
        #expect(batch.results(at: Self.asOf, threads: 1) == base.results)
        #expect(batch.advance(at: Self.asOf, threads: 1) == base.advances)
        #expect(base.scores.total == base.results.map(\.total))
        #expect(Set(base.results.map(\.grade)).count >= 3)
        #expect(base.advances.filter { !$0.moves.isEmpty }.count >= 100)
        #expect(base.moves.joined().filter { (try? $0.get()) != nil }.count >= 100)
        #expect(base.results.filter { !$0.disqualifiedBy.isEmpty }.count >= 50)

        let n = Self.leadCount
        let failures = UnsafeMutableBufferPointer<Int>.allocate(capacity: Self.workers)
        let checks = UnsafeMutableBufferPointer<Int>.allocate(capacity: Self.workers)
        failures.initialize(repeating: 0)
        checks.initialize(repeating: 0)
        defer {
            failures.deallocate()
            checks.deallocate()
        }
        nonisolated(unsafe) let failed = failures
        nonisolated(unsafe) let checked = checks
        DispatchQueue.concurrentPerform(iterations: Self.workers) { worker in
            func check(_ ok: Bool) {
                checked[worker] += 1
                if !ok { failed[worker] += 1 }
            }
            for iteration in 0..<Self.iterations {
                let k = (worker * 137 + iteration * 31) % n
                // A single lead, from the Swift value and from its JSON document.
                check((try? model.score(base.leads[k], at: Self.asOf)) == base.results[k])
                check((try? model.score(Lead(json: base.documents[k]), at: Self.asOf)) == base.results[k])
                // The shared batch, itself split over 2 threads.
                check(batch.scores(at: Self.asOf, threads: 2) == base.scores)
                if iteration % 10 == worker % 10 {
                    check(batch.results(at: Self.asOf, threads: 2) == base.results)
                    check(batch.advance(at: Self.asOf, threads: 2) == base.advances)
                }
                // Advance and a manual move, on a private copy of the lead.
                var lead = base.leads[k]
                check((try? model.advance(&lead, at: Self.asOf)) == base.advances[k])
                check(lead.stage == base.advances[k].stage)
                let m = (worker + iteration) % Self.moveTargets.count
                check(Self.move(model, base.leads[k], m) == base.moves[k][m])
                // A model and a batch built here, side by side with the shared ones.
                if iteration % 25 == 0, let local = try? LeadBatch(model: model, leads: base.leads[k..<min(n, k + 40)]) {
                    check(local.results(at: Self.asOf, threads: 2) == Array(base.results[k..<min(n, k + 40)]))
                }
            }
        }
        let totalChecks = checks.reduce(0, +)
        #expect(totalChecks >= Self.workers * Self.iterations * 6)
        #expect(failures.reduce(0, +) == 0, "failures per worker: \(Array(failures)) of \(totalChecks) checks")
    }

    @Test func taskGroupOfJSONLeads() async throws {
        let model = try SpecFixtures.model()
        let documents = Array(Self.leadDocuments().prefix(200))
        let expected = try documents.map { text in try model.score(Lead(json: text), at: Self.asOf) }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<Self.workers {
                group.addTask {
                    var bad = 0
                    for iteration in 0..<Self.iterations {
                        let k = (worker * 53 + iteration * 7) % documents.count
                        let lead = try Lead(json: documents[k])
                        if try model.score(lead, at: Self.asOf) != expected[k] { bad += 1 }
                        if try model.advance(lead, at: Self.asOf).id != expected[k].id { bad += 1 }
                    }
                    return bad
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
