#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import Funnel
import FunnelTestSupport

private let asOf = sampleAsOf

private let declarations: [AttributeDeclaration] = [
    AttributeDeclaration("industry", .string), AttributeDeclaration("employees", .number),
    AttributeDeclaration("tags", .strings),
]

private func model(
    fit: [FitRule] = [], behavior: [BehaviorRule] = [], halfLife: Double? = nil, window: Double? = nil,
    limits: BehaviorLimits? = nil, grades: [Grade] = [], criteria: [Criterion] = [],
    disqualifiers: [Disqualifier] = []
) throws -> Model {
    try Model(
        ModelDefinition(
            attributes: declarations, criteria: criteria,
            scoring: Scoring(
                fit: fit, behavior: behavior, halfLifeDays: halfLife, windowDays: window, behaviorLimits: limits,
                grades: grades),
            disqualifiers: disqualifiers))
}

/// A lead with events of `type` at the given ages (in seconds before `asOf`).
private func lead(_ type: String, ages: [Double], attributes: [String: LeadValue] = [:]) -> Lead {
    Lead(id: "L", attributes: attributes, events: ages.map { Event(type, at: asOf - $0) })
}

/// Two conforming implementations agree within `1e-6 * max(1, |x|)`; one
/// implementation against the formula should do much better.
private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

private func decayed(_ points: Double, ageDays: Double, halfLifeDays: Double) -> Double {
    points * pow(2, -ageDays / halfLifeDays)
}

@Suite("Scoring (SPEC §4)")
struct ScoringTests {
    // MARK: Half-life

    @Test func oneHalfLifeCountsHalf() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 30)
        let result = try m.score(lead("e", ages: [30 * day]), at: asOf)
        #expect(close(result.behavior, 4))
        #expect(close(result.total, 4))
    }

    @Test func twoHalfLivesCountAQuarter() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 30)
        #expect(close(try m.score(lead("e", ages: [60 * day]), at: asOf).behavior, 2))
        #expect(close(try m.score(lead("e", ages: [30 * day, 60 * day]), at: asOf).behavior, 6))
    }

    @Test func decayFollowsTheFormula() throws {
        let m = try model(
            behavior: [BehaviorRule("r", event: "e", points: 8), BehaviorRule("n", event: "n", points: -3)],
            halfLife: 30)
        let ages = [0.0, 0.25, 1, 10, 45.5, 89.9, 365]
        let events = ages.map { Event("e", at: asOf - $0 * day) } + [Event("n", at: asOf - 7 * day)]
        let result = try m.score(Lead(id: "L", events: events), at: asOf)
        let positive = ages.map { decayed(8, ageDays: $0, halfLifeDays: 30) }.reduce(0, +)
        let negative = decayed(-3, ageDays: 7, halfLifeDays: 30)
        #expect(close(result.behavior, positive + negative))
        #expect(result.contributions.count == 2)
        #expect(close(result.contributions[0].points, positive))
        #expect(close(result.contributions[1].points, negative))
        #expect(result.contributions.map(\.events) == [7, 1])
    }

    @Test func fractionalHalfLife() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 10)], halfLife: 0.5)
        let result = try m.score(lead("e", ages: [6 * 3600, 36 * 3600]), at: asOf)
        #expect(close(result.behavior, 10 * pow(2, -0.5) + 10 * pow(2, -3)))
    }

    @Test func sameEventsScoredAtDifferentInstants() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 30)
        let l = Lead(id: "L", events: [Event("e", at: asOf)])
        for days in [0.0, 15, 30, 90, 3000] {
            let result = try m.score(l, at: asOf + days * day)
            #expect(close(result.behavior, decayed(8, ageDays: days, halfLifeDays: 30), 1e-9), "\(days) days")
        }
    }

    @Test func noHalfLifeMeansFullPoints() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 2.5)])
        let result = try m.score(lead("e", ages: [0, 100 * day, 10_000 * day]), at: asOf)
        #expect(result.behavior == 7.5)
    }

    // MARK: Window and time

    @Test func windowEdge() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 1)], window: 10)
        #expect(try m.score(lead("e", ages: [10 * day]), at: asOf).behavior == 1)
        #expect(try m.score(lead("e", ages: [10 * day + 1]), at: asOf).behavior == 0)
        #expect(try m.score(lead("e", ages: [10 * day - 1, 10 * day, 10 * day + 1, 400 * day]), at: asOf).behavior == 2)
        #expect(try m.score(lead("e", ages: [10 * day + 1]), at: asOf).contributions.isEmpty)
    }

    @Test func windowWithHalfLife() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 5, window: 10)
        let result = try m.score(lead("e", ages: [10 * day, 10 * day + 0.5]), at: asOf)
        #expect(close(result.behavior, 2))
        #expect(result.contributions.first?.events == 1)
    }

    @Test func fractionalWindow() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 1)], window: 0.5)
        #expect(try m.score(lead("e", ages: [43_200, 43_200.001, 100]), at: asOf).behavior == 2)
    }

    @Test func futureEventsAreIgnored() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 30)
        let future = try m.score(lead("e", ages: [-1, -0.001, -30 * day]), at: asOf)
        #expect(future.behavior == 0)
        #expect(future.contributions.isEmpty)
        let now = try m.score(lead("e", ages: [0]), at: asOf)
        #expect(now.behavior == 8)
        #expect(now.contributions == [Contribution(rule: "r", kind: .behavior, points: 8, events: 1)])
        let mixed = try m.score(lead("e", ages: [0, -1]), at: asOf)
        #expect(mixed.behavior == 8)
    }

    // MARK: Caps and limits

    @Test func positiveAndNegativeCaps() throws {
        let m = try model(behavior: [
            BehaviorRule("up", event: "up", points: 3, cap: 10),
            BehaviorRule("down", event: "down", points: -4, cap: 10),
            BehaviorRule("small", event: "small", points: 3, cap: 10),
        ])
        let events = (0..<5).map { _ in Event("up", at: asOf) } + (0..<4).map { _ in Event("down", at: asOf) }
            + (0..<2).map { _ in Event("small", at: asOf) }
        let result = try m.score(Lead(id: "L", events: events), at: asOf)
        #expect(result.contributions == [
            Contribution(rule: "up", kind: .behavior, points: 10, events: 5),
            Contribution(rule: "down", kind: .behavior, points: -10, events: 4),
            Contribution(rule: "small", kind: .behavior, points: 6, events: 2),
        ])
        #expect(result.behavior == 6)
    }

    @Test func capAppliesToDecayedTotal() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 10, cap: 12)], halfLife: 30)
        #expect(close(try m.score(lead("e", ages: [0, 30 * day]), at: asOf).behavior, 12))
        #expect(close(try m.score(lead("e", ages: [30 * day, 60 * day]), at: asOf).behavior, 7.5))
    }

    @Test func behaviorLimits() throws {
        let rules = [BehaviorRule("up", event: "up", points: 4), BehaviorRule("down", event: "down", points: -10)]
        let fit = [FitRule("f", if: .all([]), points: 3)]
        let m = try model(fit: fit, behavior: rules, limits: BehaviorLimits(min: -5, max: 7))
        let high = try m.score(lead("up", ages: [0, 0, 0]), at: asOf)
        #expect(high.behavior == 7)
        #expect(high.total == 10)
        // The rule's own total is not clamped by the limits.
        #expect(high.contributions.last == Contribution(rule: "up", kind: .behavior, points: 12, events: 3))
        let low = try m.score(lead("down", ages: [0, 0]), at: asOf)
        #expect(low.behavior == -5)
        #expect(low.total == -2)
        let inside = try m.score(lead("up", ages: [0]), at: asOf)
        #expect(inside.behavior == 4)
    }

    @Test func oneSidedLimits() throws {
        let rules = [BehaviorRule("up", event: "up", points: 4), BehaviorRule("down", event: "down", points: -10)]
        let onlyMin = try model(behavior: rules, limits: BehaviorLimits(min: -5))
        #expect(try onlyMin.score(lead("up", ages: [0, 0, 0, 0, 0]), at: asOf).behavior == 20)
        #expect(try onlyMin.score(lead("down", ages: [0]), at: asOf).behavior == -5)
        let onlyMax = try model(behavior: rules, limits: BehaviorLimits(max: 5))
        #expect(try onlyMax.score(lead("up", ages: [0, 0]), at: asOf).behavior == 5)
        #expect(try onlyMax.score(lead("down", ages: [0, 0]), at: asOf).behavior == -20)
    }

    // MARK: Event types

    @Test func wildcardMatchesEveryTypeWithThePrefix() throws {
        let m = try model(behavior: [BehaviorRule("any-email", event: "email.*", points: 1)])
        let types = ["email.reply", "email.open", "emailx.y", "email", "Email.open", "EMAIL.reply", "mail.open", "e"]
        let result = try m.score(Lead(id: "L", events: types.map { Event($0, at: asOf) }), at: asOf)
        #expect(result.behavior == 2)
        #expect(result.contributions.first?.events == 2)
    }

    @Test func wildcardAndExactRulesBothCount() throws {
        let m = try model(behavior: [
            BehaviorRule("reply", event: "email.reply", points: 10),
            BehaviorRule("any-email", event: "email.*", points: 1),
            BehaviorRule("any-call", event: "call.*", points: 100),
        ])
        let types = ["email.reply", "email.open", "email.reply", "email.bounce.hard", "call"]
        let result = try m.score(Lead(id: "L", events: types.map { Event($0, at: asOf) }), at: asOf)
        #expect(result.contributions == [
            Contribution(rule: "reply", kind: .behavior, points: 20, events: 2),
            Contribution(rule: "any-email", kind: .behavior, points: 4, events: 4),
        ])
        #expect(result.behavior == 24)
    }

    @Test func eventTypesMatchExactlyIncludingCase() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "email.reply", points: 1)])
        let types = ["email.reply", "Email.Reply", "EMAIL.REPLY", "email.reply ", " email.reply", "email.replied", "email"]
        let result = try m.score(Lead(id: "L", events: types.map { Event($0, at: asOf) }), at: asOf)
        #expect(result.behavior == 1)
    }

    // MARK: Grades

    @Test func gradesFirstMatchInWrittenOrder() throws {
        let grades = [Grade("B", min: 10), Grade("A", min: 20), Grade("C", min: 0)]
        let fit = [
            FitRule("big", if: .attr("employees", .atLeast(100)), points: 25),
            FitRule("mid", if: .attr("employees", .atLeast(10)), points: -15),
        ]
        let m = try model(fit: fit, grades: grades)
        #expect(try m.score(lead("x", ages: [], attributes: ["employees": 1000]), at: asOf).grade == "B")  // fit 10
        #expect(try m.score(lead("x", ages: [], attributes: ["employees": 20]), at: asOf).grade == nil)  // fit -15
        #expect(try m.score(lead("x", ages: [], attributes: ["employees": 1]), at: asOf).grade == "C")  // fit 0
    }

    @Test func gradeUsesFitNotTotal() throws {
        let m = try model(
            fit: [FitRule("f", if: .attr("industry", .exists(true)), points: 5)],
            behavior: [BehaviorRule("r", event: "e", points: 50)],
            grades: [Grade("A", min: 25), Grade("B", min: 5)])
        let result = try m.score(lead("e", ages: [0], attributes: ["industry": "x"]), at: asOf)
        #expect(result.total == 55)
        #expect(result.grade == "B")
        let none = try m.score(lead("e", ages: [0]), at: asOf)
        #expect(none.fit == 0)
        #expect(none.grade == nil)
    }

    @Test func noGradesMeansNoGrade() throws {
        let m = try model(fit: [FitRule("f", if: .all([]), points: 100)])
        let result = try m.score(Lead(id: "L"), at: asOf)
        #expect(result.fit == 100)
        #expect(result.grade == nil)
    }

    @Test func specGrades() throws {
        let m = try SpecFixtures.model()
        func grade(_ attributes: [String: LeadValue]) throws -> String? {
            try m.score(Lead(id: "L", attributes: attributes), at: asOf).grade
        }
        #expect(try grade(["industry": "software", "employees": 120]) == "A")  // 25
        #expect(try grade(["industry": "software"]) == "B")  // 15
        #expect(try grade(["employees": 120]) == "C")  // 10
        #expect(try grade([:]) == nil)  // 0
    }

    // MARK: Explanations

    @Test func criteriaListsEveryCriterion() throws {
        let m = try model(criteria: [
            Criterion("zeta", .attr("employees", .atLeast(10))),
            Criterion("alpha", .attr("industry", .equals("software"))),
            Criterion("middle", .any([])),
        ])
        let result = try m.score(Lead(id: "L", attributes: ["employees": 50]), at: asOf)
        #expect(result.criteria.map(\.name) == ["zeta", "alpha", "middle"])
        #expect(result.criteria.map(\.holds) == [true, false, false])
        #expect(result.holds("alpha") == false)
        #expect(result.holds("zeta") == true)
        #expect(result.holds("nope") == nil)
        #expect(result.criteria[1].lacking == [#"industry = "software""#])
        #expect(result.criteria[0].lacking == [])
    }

    @Test func disqualifiedByInModelOrder() throws {
        let m = try model(disqualifiers: [
            Disqualifier("zeta", if: .attr("tags", .contains("spam"))),
            Disqualifier("alpha", if: .attr("employees", .lessThan(0))),
            Disqualifier("mid", if: .attr("industry", .equals("competitor"))),
            Disqualifier("beta", if: .any([.attr("tags", .contains("bot")), .attr("employees", .equals(0))])),
        ])
        let result = try m.score(
            Lead(id: "L", attributes: ["tags": ["bot", "spam"], "industry": "Competitor", "employees": 3]), at: asOf)
        #expect(result.disqualifiedBy == ["zeta", "mid", "beta"])
        let clean = try m.score(Lead(id: "L", attributes: ["employees": 3]), at: asOf)
        #expect(clean.disqualifiedBy == [])
    }

    @Test func contributionsInModelOrderFitFirst() throws {
        let m = try model(
            fit: [
                FitRule("f-b", if: .attr("employees", .atLeast(10)), points: 10),
                FitRule("f-a", if: .attr("industry", .equals("retail")), points: 99),
                FitRule("f-c", if: .attr("industry", .equals("software")), points: -2),
            ],
            behavior: [
                BehaviorRule("b2", event: "visit", points: 1.5, cap: 4),
                BehaviorRule("b-old", event: "old", points: 7),
                BehaviorRule("b1", event: "reply", points: -1),
            ],
            window: 30)
        let events = [
            Event("reply", at: asOf - 1), Event("old", at: asOf - 31 * day), Event("visit", at: asOf - 2),
            Event("visit", at: asOf - 3), Event("visit", at: asOf - 4), Event("reply", at: asOf - 5),
        ]
        let result = try m.score(
            Lead(id: "L", attributes: ["employees": 12, "industry": "Software"], events: events), at: asOf)
        #expect(result.contributions == [
            Contribution(rule: "f-b", kind: .fit, points: 10, events: 0),
            Contribution(rule: "f-c", kind: .fit, points: -2, events: 0),
            Contribution(rule: "b2", kind: .behavior, points: 4, events: 3),
            Contribution(rule: "b1", kind: .behavior, points: -2, events: 2),
        ])
        #expect(result.fit == 8)
        #expect(result.behavior == 2)
        #expect(result.total == 10)
    }

    @Test func specExampleLead() throws {
        let m = try SpecFixtures.model()
        let l = try Lead(
            json: """
                {"id": "L-1001",
                 "attributes": {"industry": "Software", "employees": 120, "tags": ["webinar"]},
                 "events": [{"type": "email.reply", "at": "2026-11-01T10:00:00Z"},
                            {"type": "call.completed", "at": 1793527200, "props": {"minutes": 25}}]}
                """)
        let asOf = SpecFixtures.asOf  // 2026-11-15T00:00:00Z
        let result = try m.score(l, at: asOf)
        let age = (asOf - 1_793_527_200) / day
        let reply = decayed(2, ageDays: age, halfLifeDays: 30)
        let call = decayed(5, ageDays: age, halfLifeDays: 30)
        #expect(result.id == "L-1001")
        #expect(result.fit == 25)
        #expect(close(result.behavior, reply + call))
        #expect(close(result.total, 25 + reply + call))
        #expect(result.grade == "A")
        #expect(result.criteria.map(\.name) == ["icp", "bant"])
        #expect(result.criteria.map(\.holds) == [true, false])
        #expect(result.disqualifiedBy == [])
        #expect(result.contributions.map(\.rule) == ["target-industry", "mid-market", "reply", "long-call"])
        #expect(close(result.contributions[2].points, reply))
        #expect(close(result.contributions[3].points, call))
    }

    // MARK: Time formats

    @Test func rfc3339AndNumericTimesAgree() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 30)
        let now = 1_793_527_200.0  // 2026-11-01T10:00:00Z
        let forms = [
            #""2026-10-02T10:00:00Z""#, #""2026-10-02T12:00:00+02:00""#, #""2026-10-02T05:30:00-04:30""#,
            #""2026-10-02t10:00:00z""#, "1790935200", "1790935200.0",
        ]
        for form in forms {
            let l = try Lead(json: #"{"id": "L", "events": [{"type": "e", "at": \#(form)}]}"#)
            #expect(l.events.first?.at == 1_790_935_200, "\(form)")
            #expect(close(try m.score(l, at: now).behavior, 4), "\(form)")
        }
    }

    @Test func fractionalTimes() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 1)], window: 1)
        let l = try Lead(
            json: """
                {"id": "L", "events": [{"type": "e", "at": 1000.25}, {"type": "e", "at": "1970-01-01T00:16:40.75Z"},
                                       {"type": "e", "at": 999.5}]}
                """)
        #expect(l.events.map(\.at) == [1000.25, 1000.75, 999.5])
        // At 1000.5 the event at 1000.75 is in the future.
        #expect(try m.score(l, at: 1000.5).behavior == 2)
        // The window reaches back exactly one day.
        #expect(try m.score(l, at: 999.5 + day).behavior == 3)
        #expect(try m.score(l, at: 1000.25 + day).behavior == 2)
    }

    // MARK: Batches

    static func randomLeads(_ count: Int, asOf: Double) -> [Lead] {
        var g = SplitMix64(seed: 42)
        let industries = ["software", " Software ", "FINTECH", "retail", "fintech", "Compañía", "health"]
        let tagPool = ["webinar", "competitor", "Competitor", "b2b", "partner"]
        let types = [
            "email.reply", "email.open", "call.completed", "newsletter.subscribe", "newsletter.unsubscribe",
            "meeting.no_show", "page.view", "Email.Reply",
        ]
        return (0..<count).map { i in
            var attributes: [String: LeadValue] = [:]
            if g.below(6) > 0 { attributes["industry"] = .string(industries[g.below(industries.count)]) }
            if g.below(5) > 0 { attributes["employees"] = .number(Double(g.below(8000))) }
            if g.below(2) > 0 { attributes["budget"] = .number(Double(g.below(30) * 1000)) }
            if g.below(2) > 0 { attributes["decision_maker"] = .bool(g.below(2) == 0) }
            if g.below(3) > 0 { attributes["need"] = .string("crm") }
            if g.below(2) > 0 { attributes["timeline_days"] = .number(Double(g.below(200))) }
            if g.below(2) > 0 { attributes["tags"] = .strings((0..<g.below(3)).map { _ in tagPool[g.below(tagPool.count)] }) }
            if g.below(10) == 0 { attributes["undeclared"] = .string("x") }
            let events = (0..<g.below(10)).map { _ -> Event in
                let type = types[g.below(types.count)]
                // Mostly the past year, some older, a few in the future.
                let age = g.below(20) == 0 ? -g.unit() * 5 * day : g.unit() * 500 * day
                var properties: [String: LeadValue] = [:]
                switch g.below(4) {
                case 0: properties["minutes"] = .number(Double(g.below(60)))
                case 1: properties["minutes"] = .string("25")
                default: break
                }
                return Event(type, at: asOf - age, properties: properties)
            }
            return Lead(id: "L-\(i)", attributes: attributes, events: events)
        }
    }

    static func batchModel() throws -> Model {
        var definition = try ModelDefinition(json: SpecFixtures.modelJSON)
        definition.scoring.behavior.append(BehaviorRule("any-email", event: "email.*", points: 0.5, cap: 3))
        return try Model(definition)
    }

    @Test(arguments: [1, 2])
    func batchScoresAgreeWithOneLeadScores(_ threads: Int) throws {
        let m = try Self.batchModel()
        let asOf = SpecFixtures.asOf
        let leads = Self.randomLeads(2000, asOf: asOf)
        let batch = try LeadBatch(model: m, leads: leads)
        #expect(batch.count == 2000)
        #expect(batch.ids == leads.map(\.id))
        let scores = batch.scores(at: asOf, threads: threads)
        #expect(scores.fit.count == 2000)
        var graded = 0
        var withBehaviour = 0
        for (i, l) in leads.enumerated() {
            let one = try m.score(l, at: asOf)
            #expect(scores.fit[i] == one.fit, "\(l.id)")
            #expect(scores.behavior[i] == one.behavior, "\(l.id)")  // bit for bit: a lead scores the same in any batch
            #expect(scores.total[i] == one.total, "\(l.id)")
            #expect(scores.grade(i) == one.grade, "\(l.id)")
            if one.grade != nil { graded += 1 }
            if one.behavior != 0 { withBehaviour += 1 }
        }
        // The sample really exercises the model.
        #expect(graded > 500)
        #expect(withBehaviour > 500)
    }

    @Test(arguments: [1, 2])
    func batchResultsAgreeWithOneLeadResults(_ threads: Int) throws {
        let m = try Self.batchModel()
        let asOf = SpecFixtures.asOf
        let leads = Self.randomLeads(2000, asOf: asOf)
        let batch = try LeadBatch(model: m, leads: leads)
        let results = batch.results(at: asOf, threads: threads)
        #expect(results.count == leads.count)
        var disqualified = 0
        for (l, result) in zip(leads, results) {
            let one = try m.score(l, at: asOf)
            #expect(result.id == one.id)
            #expect(result.fit == one.fit)
            #expect(close(result.behavior, one.behavior), "\(l.id)")
            #expect(result.grade == one.grade)
            #expect(result.criteria == one.criteria, "\(l.id)")
            #expect(result.disqualifiedBy == one.disqualifiedBy, "\(l.id)")
            #expect(result.contributions.map(\.rule) == one.contributions.map(\.rule), "\(l.id)")
            #expect(result.contributions.map(\.events) == one.contributions.map(\.events), "\(l.id)")
            for (a, b) in zip(result.contributions, one.contributions) {
                #expect(close(a.points, b.points), "\(l.id) \(a.rule)")
            }
            if !one.disqualifiedBy.isEmpty { disqualified += 1 }
        }
        #expect(disqualified > 100)
    }

    @Test func threadCountDoesNotChangeResults() throws {
        let m = try Self.batchModel()
        let leads = Self.randomLeads(2000, asOf: SpecFixtures.asOf)
        let batch = try LeadBatch(model: m, leads: leads)
        #expect(batch.results(at: SpecFixtures.asOf, threads: 1) == batch.results(at: SpecFixtures.asOf, threads: 2))
        #expect(batch.scores(at: SpecFixtures.asOf, threads: 1) == batch.scores(at: SpecFixtures.asOf, threads: 2))
        #expect(try m.score(leads, at: SpecFixtures.asOf, threads: 2) == batch.results(at: SpecFixtures.asOf, threads: 1))
    }

    @Test func batchAtAFarInstantStillFollowsTheFormula() throws {
        let m = try model(behavior: [BehaviorRule("r", event: "e", points: 8)], halfLife: 1)
        let leads = [lead("e", ages: [0]), lead("e", ages: [day]), lead("e", ages: [3 * day])]
        let batch = try LeadBatch(model: m, leads: leads)
        // Relative comparison: the values get tiny, far below `close`'s absolute floor.
        func relativelyClose(_ a: Double, _ b: Double) -> Bool { b > 0 && abs(a - b) <= 1e-9 * b }
        for later in [0.0, 10, 400, 600, 900] {
            let scores = batch.scores(at: asOf + later * day, threads: 1)
            #expect(relativelyClose(scores.behavior[0], decayed(8, ageDays: later, halfLifeDays: 1)), "\(later)")
            #expect(relativelyClose(scores.behavior[1], decayed(8, ageDays: later + 1, halfLifeDays: 1)), "\(later)")
            #expect(relativelyClose(scores.behavior[2], decayed(8, ageDays: later + 3, halfLifeDays: 1)), "\(later)")
        }
    }

    @Test func emptyBatch() throws {
        let batch = try LeadBatch(model: try SpecFixtures.model(), leads: [Lead]())
        #expect(batch.count == 0)
        #expect(batch.scores(at: 0, threads: 2).fit.isEmpty)
        #expect(batch.results(at: 0, threads: 2).isEmpty)
    }

    // MARK: Lead errors

    @Test func attributeOfTheWrongType() throws {
        let m = try SpecFixtures.model()
        let l = try Lead(json: #"{"id": "L", "attributes": {"industry": "software", "employees": "120"}}"#)
        #expect(throws: LeadError(path: "attributes.employees", message: "expected a finite number, found a string")) {
            try m.score(l, at: 0)
        }
        let cases: [(String, LeadValue, String)] = [
            ("industry", 5, "attributes.industry: expected a string, found a number"),
            ("decision_maker", "yes", "attributes.decision_maker: expected a boolean, found a string"),
            ("tags", "webinar", "attributes.tags: expected an array of strings, found a string"),
            ("employees", true, "attributes.employees: expected a finite number, found a boolean"),
        ]
        for (name, value, message) in cases {
            do {
                _ = try m.score(Lead(id: "L", attributes: [name: value]), at: 0)
                Issue.record("\(name) accepted")
            } catch {
                #expect(error.description == message)
            }
        }
        let mixed = try Lead(json: #"{"id": "L", "attributes": {"tags": ["a", 1]}}"#)
        do {
            _ = try m.score(mixed, at: 0)
            Issue.record("mixed array accepted")
        } catch {
            #expect(error.path == "attributes.tags")
        }
        do {
            _ = try m.score(Lead(id: "L", attributes: ["employees": .number(.infinity)]), at: 0)
            Issue.record("infinite number accepted")
        } catch {
            #expect(error.path == "attributes.employees")
            #expect(error.message.hasPrefix("expected a finite number"))
        }
    }

    @Test func badEventTimes() {
        let cases: [(String, String)] = [
            (#""2026-11-01T10:00:00""#, #"events[1].at: expected RFC 3339 date-time with a zone, found "2026-11-01T10:00:00""#),
            (#""yesterday""#, #"events[1].at: expected RFC 3339 date-time with a zone, found "yesterday""#),
            (#""2026-02-30T10:00:00Z""#, #"events[1].at: expected RFC 3339 date-time with a zone, found "2026-02-30T10:00:00Z""#),
            ("true", "events[1].at: expected RFC 3339 text or seconds since the epoch, found a boolean"),
            ("null", "events[1].at: expected RFC 3339 text or seconds since the epoch, found null"),
        ]
        for (at, message) in cases {
            let json = #"{"id": "L", "events": [{"type": "e", "at": 0}, {"type": "e", "at": \#(at)}]}"#
            do {
                _ = try Lead(json: json)
                Issue.record("accepted \(at)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func missingEventFields() {
        #expect(throws: LeadError(path: "events[0].at", message: "required field is missing")) {
            try Lead(json: #"{"id": "L", "events": [{"type": "e"}]}"#)
        }
        #expect(throws: LeadError(path: "events[0].type", message: "required field is missing")) {
            try Lead(json: #"{"id": "L", "events": [{"at": 0}]}"#)
        }
    }

    @Test func nonFiniteEventTimeFromSwift() throws {
        let m = try SpecFixtures.model()
        #expect(throws: LeadError(path: "events[1].at", message: "expected a finite time")) {
            try m.score(Lead(id: "L", events: [Event("e", at: 0), Event("e", at: .nan)]), at: 0)
        }
    }

    @Test func missingOrEmptyID() {
        #expect(throws: LeadError(path: "id", message: "required field is missing")) {
            try Lead(json: #"{"attributes": {}}"#)
        }
        #expect(throws: LeadError(path: "id", message: "expected a non-empty string")) {
            try Lead(json: #"{"id": ""}"#)
        }
        #expect(throws: LeadError(path: "id", message: "expected a non-empty string")) {
            try Lead(json: #"{"id": 1001}"#)
        }
    }

    @Test func batchErrorNamesTheLead() throws {
        let m = try SpecFixtures.model()
        let leads = [
            Lead(id: "ok"), Lead(id: "bad", attributes: ["employees": "many"]), Lead(id: "worse", stage: "nowhere"),
        ]
        do {
            _ = try LeadBatch(model: m, leads: leads)
            Issue.record("batch accepted a bad lead")
        } catch {
            #expect(error.index == 1)
            #expect(error.leadID == "bad")
            #expect(error.error.path == "attributes.employees")
        }
    }

    // MARK: Undeclared attributes

    @Test func undeclaredAttributesAreKeptButNeverMatched() throws {
        let m = try SpecFixtures.model()
        let l = try Lead(
            json: """
                {"id": "L", "attributes": {"Industry": "software", "revenue": "lots", "extra": {"a": 1},
                                           "employees": 120, "colours": [1, 2]}}
                """)
        #expect(l.attributes["revenue"] == .string("lots"))
        #expect(l.attributes["Industry"] == .string("software"))
        #expect(l.attributes["extra"] == .other)
        let result = try m.score(l, at: 0)
        // Only `employees` counts; `Industry` is not `industry`.
        #expect(result.fit == 10)
        #expect(result.contributions.map(\.rule) == ["mid-market"])
        let plain = try m.score(Lead(id: "L", attributes: ["employees": 120]), at: 0)
        #expect(result == plain)
    }
}
