import Dispatch
import Synchronization
import Testing

@testable import Funnel
import FunnelTestSupport

/// `Model.score(_:at:)`, which reads the lead through the model's byte
/// tables into a scratch kept from call to call (``OneLeadScratch``), against
/// the plain path (``Model/referenceScore(_:at:)``): the same result, every
/// number to the bit, or the same error, whatever the scratch scored before
/// and whether or not the caller still holds earlier results.
@Suite struct OneLeadScoreTests {
    static let asOf = 1_796_083_200.0

    /// Scores `lead` both ways and records any difference.
    static func compare(_ model: Model, _ lead: Lead, at asOf: Double, _ context: String) -> ScoreResult? {
        let fast = Result { () throws(LeadError) in try model.score(lead, at: asOf) }
        let reference = Result { () throws(LeadError) in try model.referenceScore(lead, at: asOf) }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            #expect(a == b, "\(context)")
            #expect(a.json == b.json, "\(context)")
            #expect(a.fit.bitPattern == b.fit.bitPattern && a.behavior.bitPattern == b.behavior.bitPattern, "\(context)")
            return a
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "\(context)")
        default:
            Issue.record("\(context): \(fast) vs \(reference)")
        }
        return nil
    }

    /// `lead` with a change that the byte tables cannot take or that makes
    /// it invalid: the reference path must then answer, the same way.
    static func mutated(_ lead: Lead, _ definition: ModelDefinition, _ random: inout RandomCases) -> Lead {
        var lead = lead
        let names = definition.attributes.map(\.name)
        switch random.int(0...7) {
        case 0: if let name = names.first { lead.attributes[name] = .other }
        case 1: if let name = names.first { lead.attributes[name] = .number(.infinity) }
        case 2: lead.stage = "no such stage"
        case 3: if !lead.events.isEmpty { lead.events[0].at = .nan }
        case 4: lead.attributes["na\u{EF}ve"] = .string("software")  // a non-ASCII name no model declares
        case 5: if let name = names.last { lead.attributes[name] = .bool(true) }
        case 6: if !lead.events.isEmpty { lead.events[lead.events.count - 1].properties["m\u{EF}nutes"] = .number(1) }
        default: lead.behaviorSince = asOf - Double(random.int(0...200)) * 86_400
        }
        return lead
    }

    @Test func randomLeadsScoreAsTheReferencePathScoresThem() throws {
        var random = RandomCases(seed: 0x0E1E_AD01)
        var held: [(ScoreResult, String)] = []
        var (read, all) = (0, 0)
        for round in 0..<200 {
            let definition = random.model()
            guard let model = try? Model(definition) else { continue }
            for i in 0..<random.int(1...10) {
                var lead = random.lead(i, definition, asOf: Self.asOf)
                if random.chance(0.3) { lead = Self.mutated(lead, definition, &random) }
                var batch = LeadBatch(model: model)
                var interner = LeadLineInterner()
                var key: [UInt8] = []
                if batch.appendThroughTables(lead, tables: model.compiled.lineTables, interner: &interner, key: &key) { read += 1 }
                all += 1
                for asOf in [Self.asOf, Self.asOf - 86_400 * 100] {
                    // Twice: the second time through a scratch that just held this lead.
                    for pass in 0..<2 {
                        let result = Self.compare(model, lead, at: asOf, "round \(round) lead \(i) pass \(pass)")
                        // Some results are kept while the next leads are scored.
                        if let result, random.chance(0.2) { held.append((result, result.json)) }
                    }
                }
            }
        }
        // Most leads take the tables (the rest, and every invalid one, the reference path).
        #expect(read * 2 >= all, "only \(read) of \(all) leads read through the tables")
        // What a caller holds never changes under it.
        for (result, json) in held { #expect(result.json == json) }
    }

    @Test func theBenchmarkShapeOfLeadScoresAsTheReference() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t",
                 "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings"},
                 "criteria": {"icp": {"all": [{"attr": "industry", "in": ["software", "saas"]},
                                              {"attr": "employees", "between": [50, 5000]}]},
                              "both": {"all": [{"criterion": "icp"}, {"attr": "dm", "eq": true}]}},
                 "scoring": {
                   "fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 10},
                           {"id": "g", "if": {"attr": "tags", "contains": "trial"}, "points": 1.5}],
                   "behavior": [{"id": "b", "event": "email.reply", "points": 2, "cap": 9, "group": "mail"},
                                {"id": "w", "event": "web.*", "points": 0.25, "group": "web"},
                                {"id": "c", "event": "call", "if": {"prop": "minutes", "gte": 20}, "points": 5},
                                {"id": "t", "event": "call", "if": {"prop": "tags", "contains": "x"}, "points": 1}],
                   "groups": [{"id": "mail", "limit": 5}, {"id": "web", "limit": 1}],
                   "half_life_days": 30,
                   "grades": [{"grade": "A", "min": 10}, {"grade": "B", "min": 0}],
                   "engagement": [{"level": "1", "min": 2}, {"level": "2", "min": 0}]},
                 "disqualify": [{"id": "comp", "if": {"attr": "tags", "contains": "competitor"}}]}
                """#)
        var events: [Event] = []
        for k in 0..<20 {
            let type = ["email.reply", "web.visit", "web.pricing", "call", "other"][k % 5]
            events.append(
                Event(type, at: Self.asOf - Double(k * 37 % 11) * 86_400,
                      properties: k % 5 == 3 ? ["minutes": .number(Double(k)), "tags": .strings(["X", "y"])] : [:]))
        }
        let leads = [
            Lead(id: "a", attributes: ["industry": " Software ", "employees": 120, "dm": true, "tags": ["Trial"]], events: events),
            Lead(id: "b", attributes: ["industry": "retail", "employees": 12, "tags": ["competitor", "new tag"]], events: events.reversed()),
            Lead(id: "c-a-longer-id-than-sixteen-bytes", attributes: ["industry": "Compañía", "dm": false]),
        ]
        for _ in 0..<3 {
            for (i, lead) in leads.enumerated() { _ = Self.compare(model, lead, at: Self.asOf, "lead \(i)") }
        }
    }

    /// The events read straight into a scratch of their own (``OneLeadEvents``,
    /// for models without frequency rules) against the batch's columns: the
    /// same results to the bit, from a `Lead` and from its JSON document,
    /// across decay (near and far), windows, caps, negative points, groups
    /// and limits, routes decided by event properties or left to scoring
    /// (which must fall back), missing attributes, and events in any order
    /// with ties and future ones; and the direct path must be the one taken.
    @Test func eventsReadDirectlyScoreAsTheBatchColumns() throws {
        var random = RandomCases(seed: 0x0E1E_AD03)
        var (direct, leads) = (0, 0)
        for round in 0..<300 {
            var definition = random.model()
            // Frequency rules keep the events in the batch: without them, the direct path.
            for r in definition.scoring.behavior.indices { definition.scoring.behavior[r].atLeast = nil }
            guard let model = try? Model(definition) else { continue }
            for i in 0..<random.int(1...8) {
                var lead = random.lead(i, definition, asOf: Self.asOf)
                if random.chance(0.2) { lead = Self.mutated(lead, definition, &random) }
                if random.chance(0.3) { lead.events.shuffle(using: &random.rng) }
                if random.chance(0.2), let first = lead.events.first {
                    for k in lead.events.indices where k % 2 == 1 { lead.events[k].at = first.at }  // ties
                }
                leads += 1
                let document = Array(lead.json.utf8)
                for asOf in [Self.asOf, Self.asOf - 86_400 * 100, Self.asOf + 86_400 * 3_000] {
                    let context = "round \(round) lead \(i) at \(asOf)"
                    let reference = Result { () throws(LeadError) in try model.referenceScore(lead, at: asOf) }
                    let referenceJSON = document.withUnsafeBufferPointer { model.scoreResultJSON($0, at: asOf) }
                    model.withOneLeadScratch { scratch in
                        let before = scratch.directReads
                        let fast = Result { () throws(LeadError) in try scratch.score(lead, at: asOf) }
                        direct += scratch.directReads - before
                        switch (fast, reference) {
                        case (.success(let a), .success(let b)):
                            #expect(a == b, "\(context)")
                            #expect(a.json == b.json, "\(context)")
                            #expect(a.behavior.bitPattern == b.behavior.bitPattern, "\(context)")
                            #expect(a.total.bitPattern == b.total.bitPattern, "\(context)")
                        case (.failure(let a), .failure(let b)):
                            #expect(a == b, "\(context)")
                        default:
                            Issue.record("\(context): \(fast) vs \(reference)")
                        }
                        let json = document.withUnsafeBufferPointer { line in
                            scratch.scoreResultJSON(line, at: asOf) ? scratch.withResult { Array($0) } : nil
                        }
                        #expect(json == referenceJSON, "\(context)")
                    }
                }
            }
        }
        // Most valid leads take the direct path (the others: routes left to scoring, invalid leads).
        #expect(direct >= leads, "only \(direct) direct reads for \(leads) leads")
    }

    /// The one-lead events' order (``OneLeadEvents``): already newest first,
    /// strictly oldest first, in any order with ties (insertion sort, up to
    /// 64), and longer runs in any order (the general sort), one event and
    /// none; from a `Lead` and from its JSON document, against the batch.
    @Test func eventOrdersOfEveryLengthScoreAsTheBatch() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t", "attributes": {"x": "number"},
                 "scoring": {"fit": [],
                   "behavior": [{"id": "a", "event": "a", "points": 1, "cap": 1000},
                                {"id": "b", "event": "b", "points": 0.7}],
                   "half_life_days": 3, "window_days": 100}}
                """#)
        var random = RandomCases(seed: 0x0E1E_AD04)
        for n in [0, 1, 2, 3, 20, 63, 64, 65, 100, 300] {
            for shape in 0..<4 {
                var times = (0..<n).map { _ in Self.asOf - Double(random.int(0...90 * 86_400)) - 0.25 * Double(random.int(0...3)) }
                switch shape {
                case 0: times.sort(by: >)  // newest first
                case 1: times = Array(Set(times)).sorted()  // strictly oldest first
                case 2: for k in times.indices where k % 3 == 1 { times[k] = times[k - 1] }  // ties, any order
                default: break  // any order
                }
                let events = times.enumerated().map { k, t in Event(k % 4 == 0 ? "b" : "a", at: t) }
                let lead = Lead(id: "n\(n)", attributes: [:], events: events)
                let document = Array(lead.json.utf8)
                for asOf in [Self.asOf, Self.asOf - 40 * 86_400] {
                    let context = "\(n) events, shape \(shape), at \(asOf)"
                    _ = Self.compare(model, lead, at: asOf, context)
                    let reference = try model.referenceScore(lead, at: asOf)
                    let json = document.withUnsafeBufferPointer { model.scoreResultJSON($0, at: asOf) }
                    #expect(json == Array(reference.json.utf8), "\(context)")
                }
            }
        }
    }

    /// Past ``OneLeadScratch``'s kept symbols and event classes (strings and
    /// event types no model declares, each lead its own), the scratch starts
    /// them afresh, its class columns made again: every result as the reference's.
    @Test func manyUnknownStringsAndTypesScoreAsTheReference() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t", "attributes": {"s": "string"},
                 "criteria": {"known": {"attr": "s", "eq": "k"}},
                 "scoring": {"fit": [{"id": "f", "if": {"attr": "s", "contains": "7"}, "points": 1}],
                   "behavior": [{"id": "w", "event": "web.*", "points": 1},
                                {"id": "w7", "event": "web.*", "if": {"prop": "p", "contains": "7"}, "points": 2}],
                   "half_life_days": 10}}
                """#)
        for i in 0..<2_600 {
            let events = [
                Event("web.t\(i)", at: Self.asOf - 86_400, properties: ["p": .string("v\(i)")]),
                Event("web.t\(i / 2)", at: Self.asOf - 2 * 86_400),
            ]
            let lead = Lead(id: "l\(i)", attributes: ["s": .string("s\(i)")], events: events)
            let context = "lead \(i)"
            if i % 7 == 0 || i > 1_900 {
                _ = Self.compare(model, lead, at: Self.asOf, context)
            } else {
                _ = try model.score(lead, at: Self.asOf)
            }
            let document = Array(lead.json.utf8)
            let json = document.withUnsafeBufferPointer { model.scoreResultJSON($0, at: Self.asOf) }
            if i % 7 == 0 || i > 1_900 {
                #expect(json == Array(try model.referenceScore(lead, at: Self.asOf).json.utf8), "\(context)")
            }
        }
    }

    /// One model scoring from many threads at once (each call takes a
    /// scratch of its own): the same results as one thread gets.
    @Test func oneModelFromManyThreads() throws {
        var random = RandomCases(seed: 0x0E1E_AD02)
        var definition = random.model()
        while (try? Model(definition)) == nil { definition = random.model() }
        let model = try Model(definition)
        let leads = (0..<32).map { random.lead($0, definition, asOf: Self.asOf) }
        let expected = leads.map { try? model.referenceScore($0, at: Self.asOf) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<20 {
                for k in leads.indices {
                    let lead = leads[(k + worker * 5 + round) % leads.count]
                    let want = expected[(k + worker * 5 + round) % leads.count]
                    if (try? model.score(lead, at: Self.asOf)) != want { mismatches.withLock { $0 += 1 } }
                }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
