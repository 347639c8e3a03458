import Testing

@testable import Funnel
import FunnelTestSupport

/// The SPEC §2 + §5 model written with the Swift API.
private func specDefinition() -> ModelDefinition {
    let attributes: [AttributeDeclaration] = [
        AttributeDeclaration("industry", .string), AttributeDeclaration("employees", .number),
        AttributeDeclaration("budget", .number), AttributeDeclaration("decision_maker", .bool),
        AttributeDeclaration("timeline_days", .number), AttributeDeclaration("need", .string),
        AttributeDeclaration("country", .string), AttributeDeclaration("tags", .strings),
    ]
    let criteria = [
        Criterion(
            "icp",
            .all([.attr("industry", .isIn(["software", "fintech"])), .attr("employees", .between(50, 5000))])),
        Criterion(
            "bant",
            .all([
                .attr("budget", .atLeast(10000)), .attr("decision_maker", .equals(true)),
                .attr("need", .exists(true)), .attr("timeline_days", .atMost(90)),
            ])),
    ]
    let scoring = Scoring(
        fit: [
            FitRule("target-industry", if: .attr("industry", .isIn(["software", "fintech"])), points: 15),
            FitRule("mid-market", if: .attr("employees", .between(50, 5000)), points: 10),
        ],
        behavior: [
            BehaviorRule("newsletter", event: "newsletter.subscribe", points: 1),
            BehaviorRule("reply", event: "email.reply", points: 2, cap: 10),
            BehaviorRule("long-call", event: "call.completed", if: .prop("minutes", .atLeast(20)), points: 5),
            BehaviorRule("unsubscribe", event: "newsletter.unsubscribe", points: -3),
            BehaviorRule("no-show", event: "meeting.no_show", points: -10),
        ],
        halfLifeDays: 30, windowDays: 365, behaviorLimits: BehaviorLimits(min: -50, max: 100),
        grades: [Grade("A", min: 25), Grade("B", min: 15), Grade("C", min: 5)])
    let stages = Stages(
        initial: "new",
        list: [
            Stage("new"),
            Stage("profiled", enterWhen: .criterion("icp")),
            Stage("mql", enterWhen: .score(.total, .atLeast(40))),
            Stage("sal"),
            Stage("sql", requires: .criterion("bant")),
            Stage("opportunity"),
            Stage("won", outcome: .won),
            Stage("lost", outcome: .lost),
            Stage("nurture"),
            Stage("disqualified", outcome: .disqualified),
        ],
        transitions: [
            Transition(from: "new", to: "profiled"), Transition(from: "profiled", to: "mql"),
            Transition(from: ["mql"], to: ["sal", "nurture"]), Transition(from: ["sal"], to: ["sql", "nurture"]),
            Transition(from: "sql", to: "opportunity"),
            Transition(from: ["opportunity"], to: ["won", "lost"], reasons: ["price", "competitor", "no_decision", "timing"]),
            Transition(from: "nurture", to: "mql"),
            Transition(from: "*", to: "disqualified", reasons: ["no_budget", "no_authority", "competitor", "bad_data"]),
        ])
    return ModelDefinition(
        name: "b2b-saas", attributes: attributes, criteria: criteria, scoring: scoring,
        disqualifiers: [Disqualifier("competitor", if: .attr("tags", .contains("competitor")))],
        stages: stages)
}

/// Leads that exercise every rule of the SPEC model.
private func sampleLeads(asOf: Double) -> [Lead] {
    [
        Lead(
            id: "L-1001", attributes: ["industry": "Software", "employees": 120, "tags": ["webinar"]],
            events: [
                Event("email.reply", at: asOf - 14 * day),
                Event("call.completed", at: asOf - 3 * day, properties: ["minutes": 25]),
            ]),
        Lead(
            id: "L-1002",
            attributes: [
                "industry": " FINTECH ", "employees": 5000, "budget": 20000, "decision_maker": true,
                "need": "crm", "timeline_days": 30,
            ],
            events: (0..<8).map { Event("email.reply", at: asOf - Double($0) * day) }
                + [Event("meeting.no_show", at: asOf - 40 * day), Event("newsletter.subscribe", at: asOf - 400 * day)]),
        Lead(
            id: "L-1003", attributes: ["industry": "retail", "employees": 10, "tags": ["Competitor", "b2c"]],
            events: [
                Event("newsletter.unsubscribe", at: asOf - day),
                Event("call.completed", at: asOf, properties: ["minutes": 10]),
                Event("call.completed", at: asOf + day, properties: ["minutes": 60]),
            ]),
        Lead(id: "L-1004"),
    ]
}

private func faults(_ definition: ModelDefinition) -> [ModelFault] {
    do {
        _ = try Model(definition)
        return []
    } catch {
        return error.faults
    }
}

private func faults(json: String) -> [ModelFault] {
    do {
        _ = try Model(json: json)
        return []
    } catch {
        return error.faults
    }
}

@Suite("Swift builder API")
struct SwiftBuilderTests {
    @Test func swiftAndJSONDefinitionsAreEqual() throws {
        let fromJSON = try ModelDefinition(json: SpecFixtures.modelJSON)
        let fromSwift = specDefinition()
        #expect(fromSwift == fromJSON)
        // Compiled models keep the definition they came from.
        let model = try Model(fromSwift)
        #expect(model.definition == fromJSON)
        #expect(try SpecFixtures.model().definition == fromSwift)
    }

    @Test func swiftAndJSONModelsScoreIdentically() throws {
        let swiftModel = try Model(specDefinition())
        let jsonModel = try SpecFixtures.model()
        let asOf = SpecFixtures.asOf
        for lead in sampleLeads(asOf: asOf) {
            let a = try swiftModel.score(lead, at: asOf)
            let b = try jsonModel.score(lead, at: asOf)
            #expect(a == b, "lead \(lead.id)")
            #expect(a.json == b.json)
        }
        // And the scores are not trivially zero.
        let first = try swiftModel.score(sampleLeads(asOf: asOf)[0], at: asOf)
        #expect(first.fit == 25)
        #expect(first.contributions.map(\.rule) == ["target-industry", "mid-market", "reply", "long-call"])
    }

    @Test func swiftAndJSONModelsAdvanceIdentically() throws {
        let swiftModel = try Model(specDefinition())
        let jsonModel = try SpecFixtures.model()
        for lead in sampleLeads(asOf: SpecFixtures.asOf) {
            let a = try swiftModel.advance(lead, at: SpecFixtures.asOf)
            let b = try jsonModel.advance(lead, at: SpecFixtures.asOf)
            #expect(a == b, "lead \(lead.id)")
        }
    }

    @Test func valueLiteralsBuildTheExpectedCases() {
        let values: [Value] = ["x", 3, 2.5, true]
        #expect(values == [.string("x"), .number(3), .number(2.5), .bool(true)])
        let lead: [String: LeadValue] = ["a": "x", "b": 1, "c": 1.5, "d": false, "e": ["p", "q"], "f": nil]
        #expect(lead["e"] == .strings(["p", "q"]))
        #expect(lead["f"] == .null)
        #expect(Predicate.attr("a", .equals(1)) == .attribute("a", .equals(.number(1))))
        #expect(Predicate.prop("m", .exists(true)) == .property("m", .exists(true)))
        #expect(Transition(from: "a", to: "b") == Transition(from: ["a"], to: ["b"], reasons: nil))
    }

    @Test func operatorNamesMatchTheDocumentForm() {
        let conditions: [Condition] = [
            .equals(1), .notEquals(1), .isIn([]), .notIn([]), .greaterThan(1), .atLeast(1), .lessThan(1),
            .atMost(1), .between(0, 1), .exists(true), .contains("x"), .anyOf([]),
        ]
        #expect(conditions.map(\.operatorName) == [
            "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists", "contains", "any_of",
        ])
    }

    // MARK: Faults carry the same paths

    @Test func semanticFaultsMatchBetweenSwiftAndJSON() {
        var definition = ModelDefinition(attributes: [
            AttributeDeclaration("industry", .string), AttributeDeclaration("budget", .number),
        ])
        definition.criteria = [
            Criterion("loop", .any([.criterion("loop")])),
            Criterion("hot", .score(.total, .atLeast(40))),
        ]
        definition.scoring = Scoring(
            fit: [
                FitRule("f", if: .attr("industry", .atLeast(3)), points: 1),
                FitRule("f", if: .not(.criterion("hot")), points: 1),
            ],
            behavior: [
                BehaviorRule("b", event: "x", if: .attr("revenue", .greaterThan(0)), points: 1),
                BehaviorRule("c", event: "y", points: 1, cap: 0),
            ],
            halfLifeDays: -1, behaviorLimits: BehaviorLimits(min: 2, max: 1))
        definition.disqualifiers = [Disqualifier("d", if: .criterion("nope"))]
        definition.stages = Stages(
            initial: "start", list: [Stage("a"), Stage("a", enterWhen: .prop("m", .exists(true)))],
            transitions: [Transition(from: ["a"], to: ["a", "z"])])

        let json = """
            {"format": "funnel.model/1",
             "attributes": {"industry": "string", "budget": "number"},
             "criteria": {"loop": {"any": [{"criterion": "loop"}]}, "hot": {"score": "total", "gte": 40}},
             "scoring": {
               "fit": [{"id": "f", "if": {"attr": "industry", "gte": 3}, "points": 1},
                       {"id": "f", "if": {"not": {"criterion": "hot"}}, "points": 1}],
               "behavior": [{"id": "b", "event": "x", "if": {"attr": "revenue", "gt": 0}, "points": 1},
                            {"id": "c", "event": "y", "points": 1, "cap": 0}],
               "half_life_days": -1, "behavior_limits": {"min": 2, "max": 1}},
             "disqualify": [{"id": "d", "if": {"criterion": "nope"}}],
             "stages": {"initial": "start", "list": [{"id": "a"}, {"id": "a", "enter_when": {"prop": "m", "exists": true}}],
                        "transitions": [{"from": "a", "to": ["a", "z"]}]}}
            """
        let swiftFaults = faults(definition)
        let jsonFaults = faults(json: json)
        #expect(swiftFaults == jsonFaults)
        #expect(swiftFaults.map(\.path) == [
            "criteria.loop",
            "scoring.fit[0].if.gte",
            "scoring.fit[1].id",
            "scoring.fit[1].if.not.criterion",
            "scoring.behavior[0].if.attr",
            "scoring.behavior[1].cap",
            "scoring.half_life_days",
            "scoring.behavior_limits",
            "disqualify[0].if.criterion",
            "stages.initial",
            "stages.list[1].id",
            "stages.list[1].enter_when.prop",
            "stages.transitions[0].to[1]",
        ])
    }

    @Test func faultsOnlyTheSwiftAPICanProduce() {
        var definition = ModelDefinition(attributes: [
            AttributeDeclaration("x", .number), AttributeDeclaration("x", .string), AttributeDeclaration("", .bool),
        ])
        definition.criteria = [
            Criterion("c", .attr("x", .greaterThan(1))), Criterion("c", .all([])), Criterion("", .any([])),
        ]
        definition.scoring.behavior = [BehaviorRule("b", event: "", points: 1)]
        definition.scoring.grades = [Grade("", min: 1)]
        definition.stages = Stages(
            initial: "a", list: [Stage("a"), Stage("*"), Stage("")],
            transitions: [Transition(from: [], to: ["a"]), Transition(from: ["a"], to: [], reasons: [])])
        let found = faults(definition).map(\.description)
        #expect(found == [
            #"attributes.x: attribute "x" is declared twice"#,
            "attributes.: an attribute name must be non-empty",
            #"criteria.c: criterion "c" is defined twice"#,
            "criteria.: a criterion name must be non-empty",
            "scoring.behavior[0].event: expected a non-empty string",
            "scoring.grades[0].grade: expected a non-empty string",
            #"stages.list[1].id: "*" is reserved for transitions from every stage"#,
            "stages.list[2].id: expected a non-empty string",
            "stages.transitions[0].from: expected at least one stage",
            "stages.transitions[1].to: expected at least one stage",
            "stages.transitions[1].reasons: expected at least one reason",
        ])
    }

    @Test func emptyStageListIsAFault() {
        let definition = ModelDefinition(stages: Stages(initial: "a", list: [], transitions: []))
        #expect(faults(definition).map(\.description) == [
            #"stages.initial: unknown stage "a""#,
            "stages.list: expected at least one stage",
        ])
    }

    @Test func swiftBuiltModelScoresByHand() throws {
        let definition = ModelDefinition(
            attributes: [AttributeDeclaration("plan", .string)],
            scoring: Scoring(
                fit: [FitRule("paid", if: .attr("plan", .notEquals("free")), points: 7)],
                behavior: [BehaviorRule("login", event: "app.login", points: 0.5, cap: 2)]))
        let model = try Model(definition)
        let lead = Lead(
            id: "u", attributes: ["plan": "Pro"], events: (0..<10).map { Event("app.login", at: Double($0)) })
        let result = try model.score(lead, at: 100)
        #expect(result.fit == 7)
        #expect(result.behavior == 2)
        #expect(result.total == 9)
        #expect(result.contributions == [
            Contribution(rule: "paid", kind: .fit, points: 7, events: 0),
            Contribution(rule: "login", kind: .behavior, points: 2, events: 10),
        ])
    }
}
