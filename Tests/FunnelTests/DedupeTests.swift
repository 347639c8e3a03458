import Testing

@testable import Funnel

/// SPEC §11 duplicates: groups closed under shared email or phone keys, the
/// head, the merged lead, the result document; properties on random leads.
@Suite("Dedupe")
struct DedupeTests {
    static let model = try! Model(json: #"""
        {"format": "funnel.model/1",
         "attributes": {"email": "string", "phone": "string", "name": "string", "budget": "number",
                        "tags": "strings"},
         "stages": {"initial": "new",
                    "list": [{"id": "new"}, {"id": "mql"}, {"id": "sql"}, {"id": "won", "outcome": "won"},
                             {"id": "lost", "outcome": "lost"}, {"id": "out", "outcome": "disqualified"}],
                    "transitions": [{"from": "new", "to": "mql"}]},
         "conversion": {"contact": {"name": "name", "email": "email", "phone": "phone"}}}
        """#)

    static func lines(_ text: String) throws -> [MergeResult] {
        var text = text
        return try text.withUTF8 { buffer in
            try Deduplicator(model: model).groups(jsonLines: UnsafeRawBufferPointer(buffer))
        }
    }

    @Test func groupsAreClosedTransitively() throws {
        let results = try Self.model.dedupe([
            Lead(id: "A", attributes: ["email": "ana@acme.es"]),
            Lead(id: "B", attributes: ["email": " ANA@acme.es", "phone": "+34 600 111 222"]),
            Lead(id: "X", attributes: ["email": "x@acme.es"]),
            Lead(id: "C", attributes: ["phone": "+34600111222"]),
            Lead(id: "Y", attributes: ["phone": "600111222"]),  // no `+`: another key
            Lead(id: "Z", attributes: ["phone": "12345"]),  // too short: no key
            Lead(id: "Z2", attributes: ["phone": "12345"]),
            Lead(id: "D", attributes: ["email": "d@acme.es"]),
            Lead(id: "E", attributes: ["email": "no at sign"]),
            Lead(id: "E2", attributes: ["email": "no at sign"]),
            Lead(id: "D2", attributes: ["email": "D@ACME.ES"]),
        ])
        #expect(results.count == 2)
        #expect(results[0].head == "A" && results[0].merged == ["B", "C"])
        #expect(results[0].keys == ["email:ana@acme.es", "phone:+34600111222"])
        #expect(results[1].head == "D" && results[1].merged == ["D2"] && results[1].keys == ["email:d@acme.es"])
    }

    @Test func headRules() throws {
        // Most advanced stage: lost and disqualified below all others, won by list order.
        var r = try Self.model.dedupe([
            Lead(id: "L", attributes: ["email": "a@b.es"], stage: "lost"),
            Lead(id: "N", attributes: ["email": "a@b.es"]),
            Lead(id: "Q", attributes: ["email": "a@b.es"], stage: "out"),
        ])
        #expect(r[0].head == "N" && r[0].merged == ["L", "Q"])
        r = try Self.model.dedupe([
            Lead(id: "S", attributes: ["email": "a@b.es"], stage: "sql"),
            Lead(id: "W", attributes: ["email": "a@b.es"], stage: "won"),
            Lead(id: "M", attributes: ["email": "a@b.es"], stage: "mql"),
        ])
        #expect(r[0].head == "W" && r[0].lead.stage == "won")
        // Same stage (none = initial): the most recent event, then the first.
        r = try Self.model.dedupe([
            Lead(id: "1", attributes: ["email": "a@b.es"], events: [Event("x", at: 10)], stage: "new"),
            Lead(id: "2", attributes: ["email": "a@b.es"], events: [Event("x", at: 5), Event("x", at: 30)]),
            Lead(id: "3", attributes: ["email": "a@b.es"], events: [Event("x", at: 30)]),
        ])
        #expect(r[0].head == "2" && r[0].merged == ["1", "3"] && r[0].lead.stage == nil)
        r = try Self.model.dedupe([
            Lead(id: "1", attributes: ["email": "a@b.es"]), Lead(id: "2", attributes: ["email": "a@b.es"]),
        ])
        #expect(r[0].head == "1")
    }

    @Test func mergedLead() throws {
        let results = try Self.lines("""
            {"id": "L-1", "attributes": {"email": "ana@acme.es", "name": null, "tags": ["a", "B"]}, "events": [{"type": "open", "at": 20}]}
            {"id": "L-2", "stage": "mql", "attributes": {"email": "Ana@Acme.es", "budget": 5, "tags": ["b", "c"], "crm": {"k": [1]}}, "events": [{"type": "open", "at": 20}, {"type": "call", "at": 10, "props": {"m": 1, "n": 2}}]}
            {"id": "L-3", "attributes": {"email": "ana@acme.es", "name": "Ana", "budget": 7, "tags": null}, "events": [{"type": "call", "at": "1970-01-01T00:00:10Z", "props": {"n": 2, "m": 1}}, {"type": "call", "at": 10, "props": {"m": 2}}]}
            """)
        #expect(results.count == 1)
        let r = results[0]
        #expect(r.head == "L-2" && r.merged == ["L-1", "L-3"] && r.keys == ["email:ana@acme.es"])
        #expect(r.json == #"""
            {"head":"L-2","merged":["L-1","L-3"],"keys":["email:ana@acme.es"],"lead":{"id":"L-2","stage":"mql",\#
            "attributes":{"email":"Ana@Acme.es","budget":5,"tags":["b","c","a"],"crm":{"k":[1]},"name":"Ana"},\#
            "events":[{"type":"call","at":10,"props":{"m":1,"n":2}},{"type":"call","at":10,"props":{"m":2}},\#
            {"type":"open","at":20}]}}
            """#)
        #expect(r.lead.attributes["budget"] == 5 && r.lead.events.count == 3)
    }

    @Test func badLinesNameTheLineAndField() {
        for (text, expected) in [
            ("{\"id\": \"A\"}\n\n{\"id\": \"B\", \"attributes\": {\"budget\": \"x\"}}", "line 3: attributes.budget:"),
            ("{\"id\": \"A\", \"stage\": \"nowhere\"}", "line 1: stage:"),
            ("{\"id\": ", "line 1: malformed JSON"),
        ] {
            do {
                _ = try Self.lines(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".hasPrefix(expected), "\(error)")
            }
        }
        #expect(throws: LeadError.self) { try Self.model.dedupe([Lead(id: "A"), Lead(id: "B", stage: "nowhere")]) }
    }

    @Test func tenThousandLeadsSharingAPhone() throws {
        var leads: [Lead] = []
        for i in 0..<10_000 {
            leads.append(Lead(id: "L\(i)", attributes: ["phone": "+34 600 111 222", "email": .string("x\(i)@a.es")],
                              events: [Event("e", at: Double(i % 7))]))
        }
        let results = try Self.model.dedupe(leads)
        #expect(results.count == 1)
        #expect(results[0].merged.count == 9_999 && results[0].head == "L6")
        #expect(results[0].lead.events.count == 7)  // exact repeats kept once
        // A chain: lead i shares its email with i+1 and its phone with i+2.
        let chain = (0..<10_000).map { i in
            Lead(id: "C\(i)", attributes: ["email": .string("e\(i / 2)@a.es"), "phone": .string("+1555\(1000 + (i + 1) / 2)")])
        }
        let linked = try Self.model.dedupe(chain)
        #expect(linked.count == 1 && linked[0].merged.count == 9_999 && linked[0].keys.count == 9_999)
    }

    /// On random leads: every lead is in at most one group; the merged leads and
    /// the leads in no group have no duplicates left; Swift values and JSON Lines agree.
    @Test(arguments: 0..<20)
    func properties(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 1)
        var leads: [Lead] = []
        let count = 20 + random.below(200)
        for i in 0..<count {
            var attributes: [String: LeadValue] = [:]
            if random.chance(0.7) { attributes["email"] = .string("u\(random.below(count / 2 + 1))@x.es") }
            if random.chance(0.5) { attributes["phone"] = .string("+1 555 \(1_000_000 + random.below(count / 2 + 1))") }
            if random.chance(0.5) { attributes["tags"] = .strings(["t\(random.below(5))", "t\(random.below(5))"]) }
            let stage: String? = random.chance(0.5) ? random.pick(Self.model.stageIDs) : nil
            let events = (0..<random.below(4)).map { _ in Event("e\(random.below(3))", at: Double(random.below(50))) }
            leads.append(Lead(id: "L\(i)", attributes: attributes, events: events, stage: stage))
        }
        let results = try Self.model.dedupe(leads)
        var seen: Set<String> = []
        for r in results {
            #expect(r.merged.count >= 1 && !r.keys.isEmpty)
            for id in [r.head] + r.merged { #expect(seen.insert(id).inserted, "\(id) in two groups") }
            #expect(r.lead.id == r.head)
        }
        let rest = leads.filter { !seen.contains($0.id) } + results.map(\.lead)
        #expect(try Self.model.dedupe(rest).isEmpty)
        // The JSON Lines path gives the same documents.
        let text = leads.map(\.json).joined(separator: "\n")
        #expect(try Self.lines(text).map(\.json) == results.map(\.json))
    }
}

/// Swift leads merge straight from their values (``Deduplicator/mergeLeads``):
/// the same results, documents included, as through each lead's document.
@Suite("Dedupe of Swift values")
struct DedupeValuesTests {
    @Test(arguments: 0..<20)
    func sameAsThroughDocuments(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x51_7CC1 &+ 7)
        let dedup = Deduplicator(model: DedupeTests.model)
        let values: [LeadValue] = [.null, .other, .string("s"), .number(2), .bool(true), .strings(["a", "A", "b"])]
        var leads: [Lead] = []
        let count = 20 + random.below(100)
        for i in 0..<count {
            var attributes: [String: LeadValue] = [:]
            if random.chance(0.8) { attributes["email"] = .string("u\(random.below(count / 3 + 1))@x.es") }
            if random.chance(0.5) {
                let phone = "+1 555 \(1_000_000 + random.below(count / 3 + 1))"
                attributes["phone"] = random.chance(0.9) ? .string(phone) : .null
            }
            if random.chance(0.5) {
                let tags = ["t\(random.below(5))", "T\(random.below(5))"]
                attributes["tags"] = random.chance(0.8) ? .strings(tags) : .null
            }
            if random.chance(0.4) {
                attributes["budget"] = random.chance(0.7) ? .number(Double(random.below(9))) : .null
            }
            if random.chance(0.4) { attributes["x\(random.below(4))"] = random.pick(values) }
            if random.chance(0.3) { attributes["y"] = random.pick(values) }
            let events = (0..<random.below(4)).map { _ in
                Event(random.chance(0.05) ? "" : "e\(random.below(3))", at: Double(random.below(20)),
                      properties: random.chance(0.5) ? ["p": random.pick(values), "q": .number(1)] : [:])
            }
            let account: String? = random.chance(0.3) ? (random.chance(0.1) ? "" : "A\(random.below(3))") : nil
            let stage: String? = random.chance(0.5) ? random.pick(DedupeTests.model.stageIDs) : nil
            leads.append(Lead(id: "L\(i)", attributes: attributes, events: events, stage: stage, account: account))
        }
        var grouping = Deduplicator.Grouping(count: leads.count)
        for lead in leads { try dedup.add(lead, to: &grouping) }
        var copy = grouping
        let direct = dedup.merge(&grouping) { group, records, keys in
            dedup.mergeLeads(group, records, keys: keys, leads: leads)
        }
        let throughDocuments = dedup.merge(&copy) { group, records, keys in
            dedup.mergeGroup(group, records, keys: keys) { leads[$0].jsonValue }
        }
        #expect(!direct.isEmpty)
        #expect(direct == throughDocuments)
        #expect(direct.map(\.json) == throughDocuments.map(\.json))
    }
}
