import Testing

@testable import Funnel
import FunnelTestSupport

/// The batch scorer's short cuts — per-lead rule sums for behaviour and
/// column sweeps for fit — give exactly what scoring one lead gives, on both
/// sides of every edge where they stop applying.
@Suite("Batch fast paths")
struct BatchFastPathTests {
    static let asOf = sampleAsOf

    static let modelJSON = """
        {"format": "funnel.model/1",
         "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings",
                        "source": "string"},
         "criteria": {"icp": {"all": [{"attr": "industry", "in": ["software", "fintech"]},
                                      {"not": {"attr": "employees", "lt": 50}}]}},
         "scoring": {
           "fit": [{"id": "icp", "if": {"criterion": "icp"}, "points": 10},
                   {"id": "channel", "if": {"any": [{"attr": "source", "in": ["referral", "partner", "event"]},
                                                    {"attr": "tags", "any_of": ["webinar", "trial"]}]}, "points": 4},
                   {"id": "not-retail", "if": {"attr": "industry", "not_in": ["retail", "food"]}, "points": 2},
                   {"id": "none", "if": {"any": []}, "points": 100},
                   {"id": "every", "if": {"all": []}, "points": 1},
                   {"id": "dm-or-big", "if": {"any": [{"attr": "dm", "eq": true},
                                                      {"all": [{"attr": "employees", "gt": 1000},
                                                               {"not": {"attr": "dm", "exists": true}}]}]},
                    "points": -3}],
           "behavior": [{"id": "open", "event": "email.open", "points": 0.5, "cap": 2},
                        {"id": "pricing", "event": "page.pricing", "points": 3},
                        {"id": "call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 4},
                        {"id": "reply", "event": "email.reply", "points": 2},
                        {"id": "reply-ent", "event": "email.reply", "if": {"attr": "employees", "gt": 1000},
                         "points": 1},
                        {"id": "unsub", "event": "newsletter.unsubscribe", "points": -6}],
           "half_life_days": 7, "window_days": 60, "behavior_limits": {"min": -5, "max": 12}}}
        """

    /// Scores at `asOf` in a batch agree bit for bit with `Model.score`.
    func expectBatchAgrees(_ model: Model, _ leads: [Lead], at asOf: Double, _ note: String) throws {
        let batch = try LeadBatch(model: model, leads: leads)
        for threads in [1, 2] {
            let scores = batch.scores(at: asOf, threads: threads)
            for (i, lead) in leads.enumerated() {
                let one = try model.score(lead, at: asOf)
                #expect(scores.fit[i].bitPattern == one.fit.bitPattern, "\(note) \(lead.id) fit")
                #expect(scores.behavior[i].bitPattern == one.behavior.bitPattern, "\(note) \(lead.id) behaviour")
                #expect(scores.total[i].bitPattern == one.total.bitPattern, "\(note) \(lead.id) total")
            }
        }
    }

    /// Whether lead `i`'s behaviour at `asOf` comes from its rule sums.
    func usesSums(_ batch: LeadBatch, _ i: Int, at asOf: Double) -> Bool {
        Scorer(batch, asOf: asOf).sumsApply(lead: i)
    }

    @Test func ruleSumsApplyExactlyWhileEveryEventCounts() throws {
        let model = try Model(json: Self.modelJSON)
        // Newest at asOf - 1 day, oldest at asOf - 30 days; the window is 60 days.
        let newest = Self.asOf - day
        let oldest = Self.asOf - 30 * day
        let lead = Lead(
            id: "sums", attributes: ["employees": 20],
            events: [
                Event("email.open", at: oldest), Event("page.pricing", at: newest),
                Event("email.open", at: Self.asOf - 3.3 * day), Event("call.completed", at: oldest + 7,
                    properties: ["minutes": 25]),
                Event("call.completed", at: newest - 9, properties: ["minutes": 5]),  // dropped at ingest
                Event("newsletter.unsubscribe", at: Self.asOf - 17.5 * day),
            ])
        let batch = try LeadBatch(model: model, leads: [lead])
        let window = 60 * day
        let instants: [(Double, Bool, String)] = [
            (newest.nextDown, false, "just before the newest event"),
            (newest, true, "at the newest event"),
            (Self.asOf, true, "between"),
            (oldest + window, true, "the oldest event at the window's edge"),
            ((oldest + window).nextUp, false, "the oldest event beyond the window"),
            (newest - 10 * day, false, "some events in the future"),
            (oldest + 600 * 7 * day, false, "beyond the precomputed weights' range (and the window)"),
        ]
        for (instant, expected, note) in instants {
            #expect(usesSums(batch, 0, at: instant) == expected, "\(note)")
            try expectBatchAgrees(model, [lead], at: instant, note)
        }
    }

    @Test func leadsWhoseEventsNeedTheirAttributesTakeTheEventWalk() throws {
        let model = try Model(json: Self.modelJSON)
        // email.reply feeds two rules, one with an attribute `if`: decided while scoring.
        let big = Lead(id: "big", attributes: ["employees": 5000], events: [Event("email.reply", at: Self.asOf - 100)])
        let small = Lead(id: "small", attributes: ["employees": 5], events: [Event("email.reply", at: Self.asOf - 100)])
        let none = Lead(id: "none", attributes: ["employees": 5])
        let batch = try LeadBatch(model: model, leads: [big, small, none])
        #expect(!usesSums(batch, 0, at: Self.asOf))
        #expect(!usesSums(batch, 1, at: Self.asOf))
        #expect(!usesSums(batch, 2, at: Self.asOf))
        let scores = batch.scores(at: Self.asOf)
        #expect(scores.behavior[0] > scores.behavior[1])
        #expect(scores.behavior[2] == 0)
        try expectBatchAgrees(model, [big, small, none], at: Self.asOf, "attribute if")
    }

    @Test func replacingEventsReplacesTheSums() throws {
        let model = try Model(json: Self.modelJSON)
        var batch = try LeadBatch(model: model, count: 2)
        try batch.setEvents(
            types: ["page.pricing"], lead: [0, 0, 1], type: [0, 0, 0], at: [Self.asOf - 10, Self.asOf - 20, Self.asOf])
        #expect(batch.scores(at: Self.asOf).behavior[0] > 5.99)
        try batch.setEvents(types: ["email.open"], lead: [1], type: [0], at: [Self.asOf - 5])
        let scores = batch.scores(at: Self.asOf)
        #expect(scores.behavior[0] == 0)
        #expect(usesSums(batch, 1, at: Self.asOf))
        #expect(scores.behavior[1] == Scorer(batch, asOf: Self.asOf).behaviorFromSums(lead: 1))
        #expect(abs(scores.behavior[1] - 0.5) < 1e-5)
    }

    @Test func sweptFitAgreesWithPerLeadEvaluationOnEveryValueKind() throws {
        let model = try Model(json: Self.modelJSON)
        let industries: [LeadValue?] = [nil, .null, "software", " FinTech ", "retail", "Food", "unknown-to-model"]
        let sources: [LeadValue?] = [nil, "referral", "Event ", "ads"]
        let tags: [LeadValue?] = [nil, .strings([]), ["trial"], ["x", "Webinar"], ["x"]]
        let employees: [LeadValue?] = [nil, 10, 50, 1001]
        let dms: [LeadValue?] = [nil, true, false]
        var leads: [Lead] = []
        for industry in industries {
            for source in sources {
                for tag in tags {
                    for size in employees {
                        for dm in dms {
                            var attributes: [String: LeadValue] = [:]
                            attributes["industry"] = industry
                            attributes["source"] = source
                            attributes["tags"] = tag
                            attributes["employees"] = size
                            attributes["dm"] = dm
                            leads.append(Lead(id: "L\(leads.count)", attributes: attributes))
                        }
                    }
                }
            }
        }
        // 1680 leads: several blocks, the last one partial.
        #expect(leads.count > 3 * Scorer.blockSize)
        let batch = try LeadBatch(model: model, leads: leads)
        #expect(Scorer(batch, asOf: Self.asOf).sweptFitRules == 6)
        try expectBatchAgrees(model, leads, at: Self.asOf, "fit")
        // The sample reaches every fit total the rules allow it to.
        let fits = Set(batch.scores(at: Self.asOf).fit)
        #expect(fits.count >= 8)
    }

    @Test func scoresIntoReusesTheArraysAndGivesTheSameScores() throws {
        let model = try Model(json: Self.modelJSON)
        let leads = (0..<600).map { i in
            Lead(
                id: "L\(i)", attributes: ["employees": .number(Double(i * 7))],
                events: [Event("page.pricing", at: Self.asOf - Double(i) * 3600), Event("email.reply", at: Self.asOf - 50)])
        }
        let batch = try LeadBatch(model: model, leads: leads)
        var scores = BatchScores()
        batch.scores(at: Self.asOf, threads: 2, into: &scores)
        #expect(scores == batch.scores(at: Self.asOf, threads: 1))
        let base = scores.behavior.withUnsafeBufferPointer { $0.baseAddress }
        batch.scores(at: Self.asOf + day, threads: 2, into: &scores)
        #expect(scores.behavior.withUnsafeBufferPointer { $0.baseAddress } == base)
        #expect(scores == batch.scores(at: Self.asOf + day, threads: 1))
        // Scores of another size are replaced, not written past.
        let small = try LeadBatch(model: model, leads: Array(leads.prefix(3)))
        small.scores(at: Self.asOf, into: &scores)
        #expect(scores == small.scores(at: Self.asOf))
    }

    @Test(arguments: [
        #"[{"grade": "A", "min": 8}, {"grade": "B", "min": 4}, {"grade": "B2", "min": 4}, {"grade": "C", "min": -1}]"#,
        #"[{"grade": "low", "min": 2}, {"grade": "high", "min": 9}, {"grade": "mid", "min": 5}]"#,
        #"[{"grade": "only", "min": 3}]"#,
    ])
    func batchGradesAreTheFirstGradeWhoseMinimumTheFitReaches(_ grades: String) throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1", "attributes": {"n": "number"},
                 "scoring": {"fit": [{"id": "a", "if": {"attr": "n", "gte": 1}, "points": 4},
                                     {"id": "b", "if": {"attr": "n", "gte": 2}, "points": 4},
                                     {"id": "c", "if": {"attr": "n", "gte": 3}, "points": 1},
                                     {"id": "d", "if": {"attr": "n", "gte": 4}, "points": -10}],
                             "grades": \(grades)}}
                """)
        let leads = (0..<6).map { Lead(id: "L\($0)", attributes: ["n": .number(Double($0))]) }
        let scores = try LeadBatch(model: model, leads: leads).scores(at: Self.asOf)
        var seen = Set<String?>()
        for (i, lead) in leads.enumerated() {
            let one = try model.score(lead, at: Self.asOf)
            #expect(scores.grade(i) == one.grade, "\(grades) fit \(one.fit)")
            seen.insert(one.grade)
        }
        #expect(seen.count >= 2)
    }

    @Test func aRangeLongerThanABlockIsScoredBlockByBlock() throws {
        let model = try Model(json: Self.modelJSON)
        let leads = (0..<(2 * Scorer.blockSize + 17)).map { i in
            Lead(
                id: "L\(i)", attributes: ["employees": .number(Double(i))],
                events: [Event(i % 3 == 0 ? "email.reply" : "page.pricing", at: Self.asOf - Double(i) * 7200)])
        }
        let batch = try LeadBatch(model: model, leads: leads)
        var scorer = Scorer(batch, asOf: Self.asOf)
        var fit = [Double](repeating: .nan, count: leads.count)
        var behavior = [Double](repeating: .nan, count: leads.count)
        fit.withUnsafeMutableBufferPointer { f in
            behavior.withUnsafeMutableBufferPointer { b in scorer.scoreBlock(0..<leads.count, fit: f, behavior: b) }
        }
        let scores = batch.scores(at: Self.asOf, threads: 1)
        #expect(fit == scores.fit)
        #expect(behavior == scores.behavior)
    }

    /// SPEC §13 frequency rules: those without an `if` count from the leads'
    /// frequency lists, so their events keep a route and the rule sums apply;
    /// those with one still walk. Every ingest path (append, the grouped and
    /// the sorted column fill) and the one-lead path give the same bits.
    @Test func frequencyListsKeepTheRuleSumsAndAgreeWithTheWalkOnEveryIngestPath() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1", "attributes": {"employees": "number"},
                 "scoring": {
                   "behavior": [{"id": "pricing", "event": "page.pricing", "points": 3, "cap": 7, "group": "web"},
                                {"id": "pricing-3", "event": "page.pricing", "points": 10,
                                 "at_least": {"count": 3, "within_days": 10}, "group": "web"},
                                {"id": "pages-2", "event": "page.*", "points": 2, "at_least": {"count": 2, "within_days": 4}},
                                {"id": "demo-2", "event": "demo.request", "points": 5,
                                 "at_least": {"count": 2, "within_days": 30}},
                                {"id": "call-long", "event": "call.completed", "points": 4,
                                 "if": {"prop": "minutes", "gte": 20}},
                                {"id": "call-2", "event": "call.completed", "points": 6,
                                 "at_least": {"count": 2, "within_days": 30}},
                                {"id": "open", "event": "email.open", "points": 1},
                                {"id": "open-big", "event": "email.open", "points": 2, "if": {"attr": "employees", "gt": 100},
                                 "at_least": {"count": 2, "within_days": 20}}],
                   "groups": [{"id": "web", "limit": 15}],
                   "half_life_days": 9, "window_days": 45, "behavior_limits": {"min": -5, "max": 30},
                   "total_limits": {"min": 0, "max": 28}}}
                """)
        let types = ["page.pricing", "page.visit", "demo.request", "call.completed", "email.open", "other"]
        var random = SplitMix64(seed: 29)
        var leads: [Lead] = []
        for i in 0..<300 {
            let events = (0..<Int(random.next() % 12)).map { _ in
                Event(
                    types[Int(random.next() % UInt64(types.count))], at: Self.asOf - Double(random.next() % (40 * 86_400)),
                    properties: ["minutes": .number(Double(random.next() % 40))])
            }
            leads.append(Lead(id: "L\(i)", attributes: ["employees": .number(Double(i))], events: events))
        }
        let appended = try LeadBatch(model: model, leads: leads)
        // The column fills: events grouped by lead, and the leads in reverse
        // (each lead's events in their order, which decides its reference).
        var lead: [UInt32] = []
        var type: [Int32] = []
        var at: [Double] = []
        var minutes: [Double] = []
        for (i, l) in leads.enumerated() {
            for event in l.events {
                lead.append(UInt32(i))
                type.append(Int32(types.firstIndex(of: event.type) ?? 0))
                at.append(event.at)
                if case .number(let x)? = event.properties["minutes"] { minutes.append(x) } else { minutes.append(.nan) }
            }
        }
        func filled(_ order: [Int]) throws -> LeadBatch {
            var batch = try LeadBatch(model: model, count: leads.count)
            try batch.setNumbers("employees", leads.indices.map(Double.init))
            try batch.setEvents(
                types: types, lead: order.map { lead[$0] }, type: order.map { type[$0] }, at: order.map { at[$0] },
                property: "minutes", values: order.map { minutes[$0] })
            return batch
        }
        let batches = [
            ("append", appended),
            ("grouped fill", try filled(Array(lead.indices))),
            ("sorted fill", try filled(lead.indices.sorted { lead[$0] != lead[$1] ? lead[$0] > lead[$1] : $0 < $1 })),
        ]
        for at in [Self.asOf, Self.asOf + 3 * day, Self.asOf - 20 * day, Self.asOf + 100 * day] {
            var sums = 0
            for (name, batch) in batches {
                let scores = batch.scores(at: at, threads: 2)
                for (i, l) in leads.enumerated() {
                    let one = try model.score(l, at: at)
                    #expect(scores.behavior[i].bitPattern == one.behavior.bitPattern, "\(name) \(l.id) at \(at)")
                    #expect(scores.total[i].bitPattern == one.total.bitPattern, "\(name) \(l.id) at \(at)")
                    if name == "append" && at == Self.asOf && usesSums(batch, i, at: at) { sums += 1 }
                }
            }
            if at == Self.asOf {
                // Leads with frequency events (no email.open) take the sums.
                #expect(sums > 20)
            }
        }
        // The frequency rules do fire, and a lead with only listed events takes the sums.
        let one = Lead(
            id: "f", events: (0..<3).map { Event("page.pricing", at: Self.asOf - Double($0) * day) }
                + [Event("demo.request", at: Self.asOf - 2), Event("demo.request", at: Self.asOf - 3)])
        let batch = try LeadBatch(model: model, leads: [one])
        #expect(usesSums(batch, 0, at: Self.asOf))
        let result = try model.score(one, at: Self.asOf)
        #expect(Set(result.contributions.map(\.rule)) == ["pricing", "pricing-3", "pages-2", "demo-2"])
        #expect(batch.scores(at: Self.asOf).behavior[0].bitPattern == result.behavior.bitPattern)
    }
}
