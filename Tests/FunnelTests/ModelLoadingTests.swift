import Testing

@testable import Funnel
import FunnelTestSupport

/// A `funnel.model/1` document with the SPEC attributes and `body` after them.
private func document(_ body: String) -> String {
    let rest = body.isEmpty ? "" : ", " + body
    return """
        {"format": "funnel.model/1", "attributes": \(SpecFixtures.attributesJSON)\(rest)}
        """
}

/// Every fault loading `json` reports, as `path: message`; empty when it loads.
private func faults(_ json: String) -> [String] {
    do {
        _ = try Model(json: json)
        return []
    } catch {
        return error.faults.map(\.description)
    }
}

/// The faults of a model whose only criterion `c` is `predicate`.
private func criterionFaults(_ predicate: String) -> [String] {
    faults(document(#""criteria": {"c": \#(predicate)}"#))
}

/// The faults of a Swift-built definition.
private func faults(_ definition: ModelDefinition) -> [ModelFault] {
    do {
        _ = try Model(definition)
        return []
    } catch {
        return error.faults
    }
}

@Suite("Model loading (SPEC §2)")
struct ModelLoadingTests {
    // MARK: The example

    @Test func specExampleWithStagesLoads() throws {
        let model = try SpecFixtures.model()
        #expect(model.name == "b2b-saas")
        #expect(model.criterionNames == ["icp", "bant"])
        #expect(model.attributes.map(\.name) == [
            "industry", "employees", "budget", "decision_maker", "timeline_days", "need", "country", "tags",
        ])
        #expect(model.attributes.map(\.type) == [.string, .number, .number, .bool, .number, .string, .string, .strings])
        #expect(model.initialStage == "new")
        #expect(model.stageIDs == [
            "new", "profiled", "mql", "sal", "sql", "opportunity", "won", "lost", "nurture", "disqualified",
        ])
        let scoring = model.definition.scoring
        #expect(scoring.fit.map(\.id) == ["target-industry", "mid-market"])
        #expect(scoring.behavior.map(\.id) == ["newsletter", "reply", "long-call", "unsubscribe", "no-show"])
        #expect(scoring.behavior[1].cap == 10)
        #expect(scoring.halfLifeDays == 30)
        #expect(scoring.windowDays == 365)
        #expect(scoring.behaviorLimits == BehaviorLimits(min: -50, max: 100))
        #expect(scoring.grades == [Grade("A", min: 25), Grade("B", min: 15), Grade("C", min: 5)])
        #expect(model.definition.disqualifiers == [
            Disqualifier("competitor", if: .attr("tags", .contains("competitor")))
        ])
        #expect(model.definition.stages?.transitions.count == 8)
    }

    @Test func minimalModelLoadsWithoutStages() throws {
        let model = try Model(json: #"{"format": "funnel.model/1"}"#)
        #expect(model.stageIDs.isEmpty)
        #expect(model.initialStage == nil)
        #expect(model.criterionNames.isEmpty)
    }

    // MARK: Document-level faults

    @Test(arguments: [
        #"{"format": "funnel.model/1""#,
        #"{"format": "funnel.model/1",}"#,
        #"{"format": 'funnel.model/1'}"#,
        "",
        #"{"format": "funnel.model/1"} x"#,
    ])
    func malformedJSON(_ text: String) {
        do {
            _ = try Model(json: text)
            Issue.record("malformed JSON loaded: \(text)")
        } catch {
            #expect(error.faults.count == 1)
            #expect(error.faults.first?.path == "")
            #expect(error.faults.first?.message.hasPrefix("malformed JSON") == true)
        }
    }

    @Test func invalidUTF8IsMalformed() {
        do {
            _ = try Model(jsonBytes: Array(#"{"format": "funnel.model/1", "name": "x"#.utf8) + [0xFF, 0x22, 0x7D])
            Issue.record("invalid UTF-8 loaded")
        } catch {
            #expect(error.faults.count == 1)
            #expect(error.faults.first?.path == "")
            #expect(error.faults.first?.message.hasPrefix("malformed JSON") == true)
        }
    }

    @Test func numberOutOfDoubleRangeIsMalformed() {
        let found = faults(document(#""scoring": {"half_life_days": 1e999}"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("malformed JSON") == true)
        #expect(found.first?.contains("number out of range") == true)
    }

    @Test func documentMustBeAnObject() {
        #expect(faults("[1, 2]") == ["expected an object, found an array"])
        #expect(faults(#""funnel.model/1""#) == ["expected an object, found a string"])
    }

    @Test func missingFormat() {
        #expect(faults(#"{"name": "x"}"#) == ["format: required field is missing"])
        #expect(faults("{}") == ["format: required field is missing"])
    }

    @Test func wrongFormat() {
        #expect(faults(#"{"format": "funnel.model/2"}"#) == [
            #"format: expected "funnel.model/1", found "funnel.model/2""#
        ])
        #expect(faults(#"{"format": 1}"#) == ["format: expected a string, found a number"])
    }

    // MARK: Unknown fields

    @Test func unknownFieldAtTheTop() {
        #expect(faults(document(#""colour": "blue""#)) == ["colour: unknown field"])
    }

    @Test func unknownFieldInScoring() {
        #expect(faults(document(#""scoring": {"decay": 3}"#)) == ["scoring.decay: unknown field"])
        #expect(faults(document(#""scoring": {"behavior_limits": {"min": 0, "avg": 3}}"#)) == [
            "scoring.behavior_limits.avg: unknown field"
        ])
        #expect(faults(document(#""scoring": {"grades": [{"grade": "A", "min": 1, "max": 2}]}"#)) == [
            "scoring.grades[0].max: unknown field"
        ])
    }

    @Test func unknownFieldInARule() {
        let fit = #""scoring": {"fit": [{"id": "a", "if": {"attr": "budget", "gt": 1}, "points": 1, "weight": 2}]}"#
        #expect(faults(document(fit)) == ["scoring.fit[0].weight: unknown field"])
        let behavior = """
            "scoring": {"behavior": [{"id": "a", "event": "x", "points": 1},
                                     {"id": "b", "event": "y", "points": 1, "decay": true}]}
            """
        #expect(faults(document(behavior)) == ["scoring.behavior[1].decay: unknown field"])
        #expect(faults(document(#""disqualify": [{"id": "d", "if": {"attr": "budget", "gt": 1}, "why": "x"}]"#)) == [
            "disqualify[0].why: unknown field"
        ])
    }

    @Test func unknownFieldInAPredicate() {
        #expect(criterionFaults(#"{"attr": "industry", "eq": "x", "note": "y"}"#) == ["criteria.c.note: unknown field"])
        #expect(criterionFaults(#"{"all": [{"attr": "industry", "eq": "x"}, {"foo": 1}]}"#) == [
            "criteria.c.all[1].foo: unknown field"
        ])
        #expect(criterionFaults(#"{"not": {"any": [{"attr": "budget", "gt": 1, "unit": "EUR"}]}}"#) == [
            "criteria.c.not.any[0].unit: unknown field"
        ])
    }

    @Test func unknownFieldInStages() {
        let stages = """
            "stages": {"final": "b", "initial": "a", "list": [{"id": "a"}, {"id": "b", "colour": "red"}],
                       "transitions": [{"from": "a", "to": "b", "why": "x"}]}
            """
        #expect(faults(document(stages)) == [
            "stages.final: unknown field",
            "stages.list[1].colour: unknown field",
            "stages.transitions[0].why: unknown field",
        ])
    }

    // MARK: Wrong types

    @Test func behaviourPointsGivenAsAString() {
        let body = """
            "scoring": {"behavior": [
              {"id": "newsletter", "event": "newsletter.subscribe", "points": 1},
              {"id": "reply", "event": "email.reply", "points": 2, "cap": 10},
              {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": "5"}
            ]}
            """
        #expect(faults(document(body)) == ["scoring.behavior[2].points: expected a number, found a string"])
    }

    @Test func wrongTypesAtSeveralDepths() {
        #expect(faults(#"{"format": "funnel.model/1", "name": 3}"#) == ["name: expected a string, found a number"])
        #expect(faults(#"{"format": "funnel.model/1", "attributes": {"industry": 5}}"#) == [
            "attributes.industry: expected a string, found a number"
        ])
        #expect(faults(#"{"format": "funnel.model/1", "attributes": ["industry"]}"#) == [
            "attributes: expected an object, found an array"
        ])
        #expect(faults(document(#""scoring": {"fit": {"id": "a"}}"#)) == [
            "scoring.fit: expected an array, found an object"
        ])
        #expect(faults(document(#""scoring": {"half_life_days": "30"}"#)) == [
            "scoring.half_life_days: expected a number, found a string"
        ])
        #expect(faults(document(#""scoring": {"behavior": [{"id": "a", "event": "x", "points": 1, "cap": true}]}"#)) == [
            "scoring.behavior[0].cap: expected a number, found a boolean"
        ])
        #expect(faults(document(#""scoring": {"fit": [{"id": 7, "if": {"attr": "budget", "gt": 1}, "points": 1}]}"#)) == [
            "scoring.fit[0].id: expected a string, found a number"
        ])
        #expect(faults(document(#""scoring": {"grades": [{"grade": "A", "min": null}]}"#)) == [
            "scoring.grades[0].min: expected a number, found null"
        ])
        #expect(criterionFaults(#"{"attr": "need", "exists": "yes"}"#) == [
            "criteria.c.exists: expected true or false, found a string"
        ])
        #expect(criterionFaults(#"{"attr": "budget", "gte": "10000"}"#) == [
            "criteria.c.gte: expected a number, found a string"
        ])
        #expect(criterionFaults(#"{"all": {"attr": "budget", "gt": 1}}"#) == [
            "criteria.c.all: expected an array, found an object"
        ])
        #expect(criterionFaults(#"[{"attr": "budget", "gt": 1}]"#) == [
            "criteria.c: expected a predicate object, found an array"
        ])
        #expect(faults(document(#""stages": {"initial": "a", "list": [{"id": "a", "outcome": "cancelled"}]}"#)) == [
            #"stages.list[0].outcome: expected "won", "lost" or "disqualified""#
        ])
    }

    @Test func unknownAttributeType() {
        #expect(faults(#"{"format": "funnel.model/1", "attributes": {"industry": "text"}}"#) == [
            #"attributes.industry: unknown type "text" (expected string, number, bool or strings)"#
        ])
    }

    @Test func missingRequiredFields() {
        #expect(faults(document(#""scoring": {"fit": [{"if": {"attr": "budget", "gt": 1}}]}"#)) == [
            "scoring.fit[0].id: required field is missing",
            "scoring.fit[0].points: required field is missing",
        ])
        #expect(faults(document(#""scoring": {"behavior": [{"id": "a", "points": 1}]}"#)) == [
            "scoring.behavior[0].event: required field is missing"
        ])
        #expect(faults(document(#""scoring": {"fit": [{"id": "a", "points": 1}]}"#)) == [
            "scoring.fit[0].if: required field is missing"
        ])
        #expect(faults(document(#""scoring": {"grades": [{"min": 1}]}"#)) == [
            "scoring.grades[0].grade: required field is missing"
        ])
        #expect(faults(document(#""stages": {"initial": "a", "list": [{"label": "A"}]}"#)) == [
            "stages.list[0].id: required field is missing"
        ])
        #expect(faults(document(#""stages": {"list": [{"id": "a"}]}"#)) == ["stages.initial: required field is missing"])
    }

    @Test func emptyIdsAndNames() {
        #expect(faults(document(#""scoring": {"fit": [{"id": "", "if": {"attr": "budget", "gt": 1}, "points": 1}]}"#)) == [
            "scoring.fit[0].id: expected a non-empty string"
        ])
        #expect(faults(document(#""criteria": {"": {"attr": "budget", "gt": 1}}"#)).count == 1)
    }

    // MARK: Unknown names

    @Test func unknownAttribute() {
        #expect(criterionFaults(#"{"attr": "revenue", "gt": 1}"#) == [#"criteria.c.attr: unknown attribute "revenue""#])
        let fit = #""scoring": {"fit": [{"id": "a", "if": {"all": [{"attr": "Industry", "eq": "x"}]}, "points": 1}]}"#
        #expect(faults(document(fit)) == [#"scoring.fit[0].if.all[0].attr: unknown attribute "Industry""#])
        #expect(faults(document(#""disqualify": [{"id": "d", "if": {"not": {"attr": "spam", "exists": true}}}]"#)) == [
            #"disqualify[0].if.not.attr: unknown attribute "spam""#
        ])
    }

    @Test func unknownCriterion() {
        let fit = #""scoring": {"fit": [{"id": "a", "if": {"criterion": "nope"}, "points": 1}]}"#
        #expect(faults(document(fit)) == [#"scoring.fit[0].if.criterion: unknown criterion "nope""#])
        let stages = #""stages": {"initial": "a", "list": [{"id": "a", "enter_when": {"criterion": "ICP"}}]}"#
        #expect(faults(document(#""criteria": {"icp": {"all": []}}, "# + stages)) == [
            #"stages.list[0].enter_when.criterion: unknown criterion "ICP""#
        ])
    }

    // MARK: Operators that do not fit the attribute's type

    @Test func gteOnAString() {
        #expect(criterionFaults(#"{"attr": "industry", "gte": 3}"#) == [
            #"criteria.c.gte: operator gte does not fit string attribute "industry""#
        ])
    }

    @Test func containsOnANumber() {
        #expect(criterionFaults(#"{"attr": "employees", "contains": "5"}"#) == [
            #"criteria.c.contains: operator contains does not fit number attribute "employees""#
        ])
    }

    @Test func eqOnStrings() {
        #expect(criterionFaults(#"{"attr": "tags", "eq": "competitor"}"#) == [
            #"criteria.c.eq: operator eq does not fit strings attribute "tags""#
        ])
        #expect(criterionFaults(#"{"attr": "tags", "in": ["a"]}"#) == [
            #"criteria.c.in: operator in does not fit strings attribute "tags""#
        ])
        #expect(criterionFaults(#"{"attr": "tags", "gt": 1}"#) == [
            #"criteria.c.gt: operator gt does not fit strings attribute "tags""#
        ])
    }

    @Test func betweenWithLoAboveHi() {
        #expect(criterionFaults(#"{"attr": "employees", "between": [5000, 50]}"#) == [
            "criteria.c.between: between needs lo <= hi, found [5000, 50]"
        ])
        // Equal bounds are fine.
        #expect(criterionFaults(#"{"attr": "employees", "between": [50, 50]}"#) == [])
        #expect(criterionFaults(#"{"attr": "employees", "between": [1, 2, 3]}"#) == [
            "criteria.c.between: expected [lo, hi]"
        ])
    }

    @Test func otherMisfits() {
        #expect(criterionFaults(#"{"attr": "industry", "any_of": ["a"]}"#) == [
            #"criteria.c.any_of: operator any_of does not fit string attribute "industry""#
        ])
        #expect(criterionFaults(#"{"attr": "decision_maker", "gt": 0}"#) == [
            #"criteria.c.gt: operator gt does not fit bool attribute "decision_maker""#
        ])
        #expect(criterionFaults(#"{"attr": "decision_maker", "contains": "t"}"#) == [
            #"criteria.c.contains: operator contains does not fit bool attribute "decision_maker""#
        ])
        #expect(criterionFaults(#"{"attr": "employees", "any_of": ["5"]}"#) == [
            #"criteria.c.any_of: operator any_of does not fit number attribute "employees""#
        ])
        #expect(criterionFaults(#"{"attr": "employees", "eq": "many"}"#) == [
            #"criteria.c.eq: expected a number for number attribute "employees", found "many""#
        ])
        #expect(criterionFaults(#"{"attr": "employees", "in": [1, "two"]}"#) == [
            #"criteria.c.in[1]: expected a finite number, found "two""#
        ])
        #expect(criterionFaults(#"{"attr": "decision_maker", "eq": 1}"#) == [
            #"criteria.c.eq: expected true or false for bool attribute "decision_maker", found 1"#
        ])
        #expect(criterionFaults(#"{"attr": "industry", "in": ["software", 3]}"#) == [
            #"criteria.c.in[1]: expected a string for string attribute "industry", found 3"#
        ])
        #expect(criterionFaults(#"{"attr": "industry", "ne": true}"#) == [
            #"criteria.c.ne: expected a string for string attribute "industry", found true"#
        ])
    }

    @Test func scorePredicateMisfits() {
        let stage = { (p: String) in
            faults(document(#""stages": {"initial": "a", "list": [{"id": "a", "enter_when": \#(p)}]}"#))
        }
        #expect(stage(#"{"score": "total", "contains": "x"}"#) == [
            "stages.list[0].enter_when.contains: operator contains does not fit a score"
        ])
        #expect(stage(#"{"score": "grand", "gte": 1}"#) == [
            #"stages.list[0].enter_when.score: expected "fit", "behavior" or "total""#
        ])
        #expect(stage(#"{"score": "fit", "between": [10, 1]}"#) == [
            "stages.list[0].enter_when.between: between needs lo <= hi, found [10, 1]"
        ])
    }

    // MARK: Criterion cycles

    @Test func criterionReferringToItself() {
        #expect(faults(document(#""criteria": {"a": {"criterion": "a"}}"#)) == [
            "criteria.a: criterion refers to itself through a -> a"
        ])
    }

    @Test func twoStepCycle() {
        let body = #""criteria": {"a": {"all": [{"criterion": "b"}]}, "b": {"not": {"criterion": "a"}}}"#
        #expect(faults(document(body)) == ["criteria.a: criterion refers to itself through a -> b -> a"])
    }

    @Test func threeStepCycle() {
        let body = """
            "criteria": {"a": {"any": [{"attr": "budget", "gt": 1}, {"criterion": "b"}]},
                         "b": {"criterion": "c"},
                         "c": {"all": [{"not": {"criterion": "a"}}]}}
            """
        #expect(faults(document(body)) == ["criteria.a: criterion refers to itself through a -> b -> c -> a"])
    }

    @Test func cycleNotThroughTheFirstCriterion() {
        let body = #""criteria": {"a": {"criterion": "b"}, "b": {"criterion": "c"}, "c": {"criterion": "b"}}"#
        #expect(faults(document(body)) == ["criteria.b: criterion refers to itself through b -> c -> b"])
    }

    @Test func sharedReferencesAreNotACycle() throws {
        let body = """
            "criteria": {"big": {"attr": "employees", "gte": 500},
                         "rich": {"all": [{"criterion": "big"}, {"attr": "budget", "gte": 1}]},
                         "both": {"all": [{"criterion": "big"}, {"criterion": "rich"}]}}
            """
        let model = try Model(json: document(body))
        #expect(model.criterionNames == ["big", "rich", "both"])
    }

    // MARK: Scores and properties where they may not stand

    @Test func scoreInAFitRule() {
        let body = #""scoring": {"fit": [{"id": "f", "if": {"score": "behavior", "gte": 1}, "points": 1}]}"#
        #expect(faults(document(body)) == ["scoring.fit[0].if.score: a score may not be used in a scoring rule"])
    }

    @Test func scoreInABehaviourRule() {
        let body = #""scoring": {"behavior": [{"id": "b", "event": "x", "if": {"score": "fit", "gte": 1}, "points": 1}]}"#
        #expect(faults(document(body)) == ["scoring.behavior[0].if.score: a score may not be used in a scoring rule"])
    }

    @Test func scoreInAFitRuleThroughACriterion() {
        let body = """
            "criteria": {"hot": {"all": [{"score": "total", "gte": 40}]}, "warm": {"any": [{"criterion": "hot"}]}},
            "scoring": {"fit": [{"id": "f", "if": {"criterion": "hot"}, "points": 1},
                                {"id": "g", "if": {"not": {"criterion": "warm"}}, "points": 1}]}
            """
        #expect(faults(document(body)) == [
            #"scoring.fit[0].if.criterion: criterion "hot" reads a score, which may not be used in a scoring rule"#,
            #"scoring.fit[1].if.not.criterion: criterion "warm" reads a score, which may not be used in a scoring rule"#,
        ])
    }

    @Test func scoreThroughACriterionDeclaredLater() {
        let body = """
            "criteria": {"warm": {"criterion": "hot"}, "hot": {"score": "fit", "gt": 0}},
            "scoring": {"behavior": [{"id": "b", "event": "x", "if": {"criterion": "warm"}, "points": 1}]}
            """
        #expect(faults(document(body)) == [
            #"scoring.behavior[0].if.criterion: criterion "warm" reads a score, which may not be used in a scoring rule"#
        ])
    }

    @Test func scoreIsAllowedInCriteriaDisqualifiersAndStages() throws {
        let body = """
            "criteria": {"hot": {"score": "total", "gte": 40}},
            "disqualify": [{"id": "cold", "if": {"score": "behavior", "lt": -20}}],
            "stages": {"initial": "a", "list": [{"id": "a"}, {"id": "b", "enter_when": {"criterion": "hot"},
                       "requires": {"score": "fit", "gte": 1}}], "transitions": [{"from": "a", "to": "b"}]}
            """
        _ = try Model(json: document(body))
    }

    @Test func propOutsideABehaviourRule() {
        #expect(criterionFaults(#"{"prop": "minutes", "gte": 20}"#) == [
            "criteria.c.prop: prop may be used only in a behaviour rule's if, not in a criterion"
        ])
        let fit = #""scoring": {"fit": [{"id": "f", "if": {"all": [{"prop": "minutes", "gte": 20}]}, "points": 1}]}"#
        #expect(faults(document(fit)) == [
            "scoring.fit[0].if.all[0].prop: prop may be used only in a behaviour rule's if, not in a scoring rule"
        ])
        let stage = #""stages": {"initial": "a", "list": [{"id": "a", "requires": {"prop": "minutes", "gte": 20}}]}"#
        #expect(faults(document(stage)) == [
            "stages.list[0].requires.prop: prop may be used only in a behaviour rule's if, not in a stage"
        ])
    }

    @Test func propInADisqualifier() throws {
        let found = faults(document(#""disqualify": [{"id": "d", "if": {"prop": "minutes", "gte": 20}}]"#))
        let fault = try #require(found.first)
        #expect(found.count == 1)
        #expect(fault.hasPrefix("disqualify[0].if.prop: prop may be used only in a behaviour rule's if"))
        // The message must say where the prop stood, like the criterion/rule/stage forms do.
        #expect(!fault.hasSuffix("not in "), "message ends without naming the place: \(fault)")
    }

    @Test func propInsideABehaviourRuleLoads() throws {
        let body = """
            "scoring": {"behavior": [{"id": "b", "event": "x", "points": 1,
                "if": {"all": [{"prop": "minutes", "gte": 20}, {"attr": "budget", "gt": 0}]}}]}
            """
        _ = try Model(json: document(body))
    }

    // MARK: Numbers

    @Test func halfLifeAndWindowMustBePositive() {
        for value in ["0", "-1", "-0.5"] {
            #expect(faults(document(#""scoring": {"half_life_days": \#(value)}"#)) == [
                "scoring.half_life_days: expected a finite number > 0"
            ])
            #expect(faults(document(#""scoring": {"window_days": \#(value)}"#)) == [
                "scoring.window_days: expected a finite number > 0"
            ])
        }
        #expect(faults(document(#""scoring": {"half_life_days": 0.25, "window_days": 0.5}"#)) == [])
    }

    @Test func capMustBePositive() {
        for value in ["0", "-5"] {
            let body = #""scoring": {"behavior": [{"id": "b", "event": "x", "points": 1, "cap": \#(value)}]}"#
            #expect(faults(document(body)) == ["scoring.behavior[0].cap: expected a finite number > 0"])
        }
    }

    @Test func behaviorLimitsMinAboveMax() {
        #expect(faults(document(#""scoring": {"behavior_limits": {"min": 10, "max": 5}}"#)) == [
            "scoring.behavior_limits: min (10) is greater than max (5)"
        ])
        #expect(faults(document(#""scoring": {"behavior_limits": {"min": 5, "max": 5}}"#)) == [])
        #expect(faults(document(#""scoring": {"behavior_limits": {"min": 5}}"#)) == [])
    }

    @Test func nonFiniteNumbersFromTheSwiftAPI() {
        var definition = ModelDefinition(attributes: [AttributeDeclaration("budget", .number)])
        definition.criteria = [
            Criterion("c", .attr("budget", .atLeast(.infinity))),
            Criterion("d", .attr("budget", .between(0, .nan))),
        ]
        definition.scoring = Scoring(
            fit: [FitRule("f", if: .attr("budget", .isIn([1, .number(-.infinity)])), points: .infinity)],
            behavior: [
                BehaviorRule("b", event: "x", if: .prop("n", .equals(.number(.nan))), points: .nan, cap: .infinity)
            ],
            halfLifeDays: .infinity, windowDays: .nan,
            behaviorLimits: BehaviorLimits(min: -.infinity, max: .nan),
            grades: [Grade("A", min: .infinity)])
        let found = faults(definition)
        #expect(found.map(\.path) == [
            "criteria.c.gte",
            "criteria.d.between",
            "scoring.fit[0].points",
            "scoring.fit[0].if.in[1]",
            "scoring.behavior[0].points",
            "scoring.behavior[0].cap",
            "scoring.behavior[0].if.eq",
            "scoring.half_life_days",
            "scoring.window_days",
            "scoring.behavior_limits.min",
            "scoring.behavior_limits.max",
            "scoring.grades[0].min",
        ])
        #expect(found.allSatisfy { $0.message.hasPrefix("expected a finite number") })
        #expect(found.first?.message == "expected a finite number")
        #expect(found.first { $0.path == "scoring.behavior[0].cap" }?.message == "expected a finite number > 0")
    }

    // MARK: Duplicate ids

    @Test func duplicateFitIds() {
        let body = """
            "scoring": {"fit": [{"id": "a", "if": {"attr": "budget", "gt": 1}, "points": 1},
                                {"id": "b", "if": {"attr": "budget", "gt": 2}, "points": 1},
                                {"id": "a", "if": {"attr": "budget", "gt": 3}, "points": 1}]}
            """
        #expect(faults(document(body)) == [#"scoring.fit[2].id: duplicate id "a""#])
    }

    @Test func duplicateBehaviorIds() {
        let body = """
            "scoring": {"behavior": [{"id": "r", "event": "x", "points": 1}, {"id": "r", "event": "y", "points": 1}]}
            """
        #expect(faults(document(body)) == [#"scoring.behavior[1].id: duplicate id "r""#])
    }

    @Test func duplicateDisqualifierIds() {
        let body = """
            "disqualify": [{"id": "spam", "if": {"attr": "budget", "lt": 0}},
                           {"id": "spam", "if": {"attr": "tags", "contains": "spam"}}]
            """
        #expect(faults(document(body)) == [#"disqualify[1].id: duplicate id "spam""#])
    }

    @Test func idsAreUniquePerListOnly() throws {
        let body = """
            "scoring": {"fit": [{"id": "x", "if": {"attr": "budget", "gt": 1}, "points": 1}],
                        "behavior": [{"id": "x", "event": "e", "points": 1}]},
            "disqualify": [{"id": "x", "if": {"attr": "budget", "lt": 0}}]
            """
        _ = try Model(json: document(body))
    }

    // MARK: Stages

    @Test func duplicateStageIds() {
        let body = #""stages": {"initial": "new", "list": [{"id": "new"}, {"id": "mql"}, {"id": "new"}]}"#
        #expect(faults(document(body)) == [#"stages.list[2].id: duplicate stage id "new""#])
    }

    @Test func unknownInitialStage() {
        let body = #""stages": {"initial": "start", "list": [{"id": "new"}]}"#
        #expect(faults(document(body)) == [#"stages.initial: unknown stage "start""#])
    }

    @Test func transitionNamingAnUnknownStage() {
        let body = """
            "stages": {"initial": "a", "list": [{"id": "a"}, {"id": "b"}],
                       "transitions": [{"from": "a", "to": "b"}, {"from": "c", "to": "b"},
                                       {"from": "a", "to": ["b", "d"]}, {"from": ["a", "e"], "to": "b"}]}
            """
        #expect(faults(document(body)) == [
            #"stages.transitions[1].from: unknown stage "c""#,
            #"stages.transitions[2].to[1]: unknown stage "d""#,
            #"stages.transitions[3].from[1]: unknown stage "e""#,
        ])
    }

    @Test func wildcardOnlyInFrom() {
        let body = """
            "stages": {"initial": "a", "list": [{"id": "a"}], "transitions": [{"from": "a", "to": "*"}]}
            """
        #expect(faults(document(body)).count == 1)
        #expect(faults(document(body)).first?.hasPrefix("stages.transitions[0].to:") == true)
    }

    // MARK: Several faults at once

    @Test func structuralFaultsAreAllReportedInDocumentOrder() {
        let body = """
            "scoring": {"behavior": [{"id": "a", "event": "x", "points": 1},
                                     {"id": "b", "event": 5, "points": 1},
                                     {"id": "c", "event": "z", "points": "5"}],
                        "half_life_days": "30"},
            "disqualify": [{"id": "d"}],
            "stages": {"initial": "a", "list": [{"id": "a", "colour": 1}]}
            """
        #expect(faults(document(body)) == [
            "scoring.behavior[1].event: expected a string, found a number",
            "scoring.behavior[2].points: expected a number, found a string",
            "scoring.half_life_days: expected a number, found a string",
            "disqualify[0].if: required field is missing",
            "stages.list[0].colour: unknown field",
        ])
    }

    @Test func semanticFaultsAreAllReportedInDocumentOrder() {
        let body = """
            "criteria": {"c": {"attr": "revenue", "gt": 1}},
            "scoring": {"fit": [{"id": "f", "if": {"criterion": "nope"}, "points": 1},
                                {"id": "f", "if": {"attr": "industry", "gte": 1}, "points": 1}],
                        "behavior": [{"id": "b", "event": "x", "points": 1, "cap": 0}],
                        "half_life_days": 0,
                        "behavior_limits": {"min": 3, "max": 1}},
            "disqualify": [{"id": "d", "if": {"attr": "tags", "eq": "x"}}],
            "stages": {"initial": "zz", "list": [{"id": "a"}, {"id": "a"}],
                       "transitions": [{"from": "a", "to": "q"}]}
            """
        #expect(faults(document(body)) == [
            #"criteria.c.attr: unknown attribute "revenue""#,
            #"scoring.fit[0].if.criterion: unknown criterion "nope""#,
            #"scoring.fit[1].id: duplicate id "f""#,
            #"scoring.fit[1].if.gte: operator gte does not fit string attribute "industry""#,
            "scoring.behavior[0].cap: expected a finite number > 0",
            "scoring.half_life_days: expected a finite number > 0",
            "scoring.behavior_limits: min (3) is greater than max (1)",
            #"disqualify[0].if.eq: operator eq does not fit strings attribute "tags""#,
            #"stages.initial: unknown stage "zz""#,
            #"stages.list[1].id: duplicate stage id "a""#,
            #"stages.transitions[0].to: unknown stage "q""#,
        ])
    }

    @Test func unknownFieldKeepsItsPlaceInDocumentOrder() {
        // The unknown field stands after `scoring`, so its fault comes after scoring's.
        let body = #""scoring": {"half_life_days": "30"}, "colour": "blue""#
        #expect(faults(document(body)) == [
            "scoring.half_life_days: expected a number, found a string",
            "colour: unknown field",
        ])
    }

    @Test func cycleFaultsKeepDocumentOrderAmongCriteria() {
        // `a` comes first in the document, so its fault must come first.
        let body = #""criteria": {"a": {"attr": "nope", "eq": 1}, "b": {"criterion": "b"}}"#
        #expect(faults(document(body)) == [
            #"criteria.a.attr: unknown attribute "nope""#,
            "criteria.b: criterion refers to itself through b -> b",
        ])
    }

    @Test func faultsWithinOneRuleFollowItsKeys() {
        // SPEC writes a behaviour rule as id, event, if, points, cap: a fault in
        // `if` comes before one in `cap`.
        let body = """
            "scoring": {"behavior": [{"id": "b", "event": "x", "if": {"attr": "nope", "eq": 1}, "points": 1, "cap": -1}]}
            """
        #expect(faults(document(body)) == [
            #"scoring.behavior[0].if.attr: unknown attribute "nope""#,
            "scoring.behavior[0].cap: expected a finite number > 0",
        ])
    }

    @Test func errorDescriptionSummarisesEveryFault() {
        do {
            _ = try Model(json: document(#""scoring": {"half_life_days": 0, "window_days": -1}"#))
            Issue.record("model loaded")
        } catch {
            #expect(error.faults.count == 2)
            #expect(error.description == "scoring.half_life_days: expected a finite number > 0 (and 1 more)")
        }
    }
}
