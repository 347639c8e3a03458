import Testing

@testable import Funnel
import FunnelTestSupport

private let asOf = sampleAsOf

/// A model document with one string attribute `industry`, `scoring` as given
/// and, optionally, criteria and stages.
private func document(scoring: String, criteria: String = "{}", stages: String? = nil) -> String {
    """
    {"format": "funnel.model/1", "attributes": {"industry": "string"}, "criteria": \(criteria),
     "scoring": \(scoring)\(stages.map { #", "stages": \#($0)"# } ?? "")}
    """
}

private func load(scoring: String, criteria: String = "{}", stages: String? = nil) throws -> Model {
    try Model(json: document(scoring: scoring, criteria: criteria, stages: stages))
}

/// Every fault loading the document reports, as `path: message`.
private func faults(_ json: String) -> [String] {
    do {
        _ = try Model(json: json)
        return []
    } catch {
        return error.faults.map(\.description)
    }
}

/// A lead whose events are `(type, age in seconds)` before `asOf`.
private func lead(_ events: [(String, Double)], industry: String? = nil, since: Double? = nil) -> Lead {
    Lead(
        id: "L", attributes: industry.map { ["industry": .string($0)] } ?? [:],
        events: events.map { Event($0.0, at: asOf - $0.1) }, behaviorSince: since)
}

private func repeated(_ type: String, _ count: Int, age: Double = 0) -> [(String, Double)] {
    Array(repeating: (type, age), count: count)
}

@Suite("Scoring, second edition (SPEC §13)")
struct SecondEditionScoringTests {
    // MARK: Clamp order: rule cap → group limit → behaviour limits → total limits

    @Test func ruleCapComesBeforeTheGroupLimit() throws {
        // a: 3 × 5 = 15, capped to 8; b: -4. Group: 8 - 4 = 4 (limit 10 untouched).
        // Limiting first would give min(15 - 4, 10) = 10.
        let m = try load(scoring: """
            {"behavior": [{"id": "a", "event": "a", "points": 5, "cap": 8, "group": "g"},
                          {"id": "b", "event": "b", "points": -4, "group": "g"}],
             "groups": [{"id": "g", "limit": 10}]}
            """)
        let r = try m.score(lead(repeated("a", 3) + [("b", 0)]), at: asOf)
        #expect(r.behavior == 4)
        #expect(r.groups == [GroupTotal(group: "g", points: 4)])
        #expect(r.contributions.map(\.points) == [8, -4])
    }

    @Test func groupLimitComesBeforeBehaviourLimits() throws {
        // Group: 6 × 5 = 30, limited to 10; ungrouped -8: behaviour 2, inside [-5, 5].
        // Without the group limit first it would be 22, clamped to 5.
        let m = try load(scoring: """
            {"behavior": [{"id": "a", "event": "a", "points": 5, "group": "g"},
                          {"id": "u", "event": "u", "points": -8}],
             "groups": [{"id": "g", "limit": 10}], "behavior_limits": {"min": -5, "max": 5}}
            """)
        let r = try m.score(lead(repeated("a", 6) + [("u", 0)]), at: asOf)
        #expect(r.behavior == 2)
        #expect(r.groups == [GroupTotal(group: "g", points: 10)])
        #expect(r.total == 2)
    }

    @Test func behaviourLimitsComeBeforeTotalLimits() throws {
        // fit 20; behaviour 10 × 5 = 50, limited to 30; total 50, limited to 45.
        let m = try load(scoring: """
            {"fit": [{"id": "f", "if": {"attr": "industry", "exists": true}, "points": 20}],
             "behavior": [{"id": "a", "event": "a", "points": 5}],
             "behavior_limits": {"max": 30}, "total_limits": {"min": 0, "max": 45}}
            """)
        let r = try m.score(lead(repeated("a", 10), industry: "x"), at: asOf)
        #expect(r.fit == 20)
        #expect(r.behavior == 30)
        #expect(r.total == 45)
        // The lower bound: fit 0, behaviour -3 → total 0; behaviour stays -3.
        let low = try load(scoring: """
            {"behavior": [{"id": "a", "event": "a", "points": -3}], "total_limits": {"min": 0, "max": 45}}
            """)
        let r2 = try low.score(lead([("a", 0)]), at: asOf)
        #expect(r2.behavior == -3)
        #expect(r2.total == 0)
    }

    @Test func totalLimitsAreWhatScorePredicatesRead() throws {
        let m = try load(
            scoring: #"{"behavior": [{"id": "a", "event": "a", "points": 50}], "total_limits": {"max": 40}}"#,
            criteria: #"{"capped": {"score": "total", "eq": 40}}"#)
        let r = try m.score(lead([("a", 0)]), at: asOf)
        #expect(r.total == 40)
        #expect(r.holds("capped") == true)
    }

    @Test func aGroupIsListedOnlyWhenOneOfItsRulesContributes() throws {
        let m = try load(scoring: """
            {"behavior": [{"id": "a", "event": "a", "points": 1, "group": "g2"},
                          {"id": "b", "event": "b", "points": 1, "group": "g1"}],
             "groups": [{"id": "g1", "limit": 5}, {"id": "g2", "limit": 5}, {"id": "g3", "limit": 5}]}
            """)
        #expect(try m.score(lead([("a", 0)]), at: asOf).groups == [GroupTotal(group: "g2", points: 1)])
        // Model order, not event order.
        #expect(
            try m.score(lead([("a", 0), ("b", 0)]), at: asOf).groups.map(\.group) == ["g1", "g2"])
        #expect(try m.score(lead([]), at: asOf).groups == [])
    }

    // MARK: Frequency rules

    private func frequencyModel(count: Int = 3, withinDays: Double = 7, extra: String = "") throws -> Model {
        try load(scoring: """
            {"behavior": [{"id": "pricing", "event": "page.pricing", "points": 10, "cap": 6,
                           "at_least": {"count": \(count), "within_days": \(withinDays)}}]\(extra)}
            """)
    }

    @Test func exactlyNEventsGiveThePointsUndecayedAndCapped() throws {
        let m = try frequencyModel(extra: #", "half_life_days": 1"#)
        let r = try m.score(lead(repeated("page.pricing", 3, age: 2 * day)), at: asOf)
        // Two half-lives old, yet the rule gives its points (10), within its cap (6).
        #expect(r.behavior == 6)
        #expect(r.contributions == [Contribution(rule: "pricing", kind: .behavior, points: 6, events: 3)])
    }

    @Test func oneEventShortGivesNothingAndNoContribution() throws {
        let m = try frequencyModel()
        let r = try m.score(lead(repeated("page.pricing", 2, age: day)), at: asOf)
        #expect(r.behavior == 0)
        #expect(r.contributions.isEmpty)
    }

    @Test func anEventExactlyWithinDaysOldCounts() throws {
        let m = try frequencyModel(count: 1, withinDays: 7)
        #expect(try m.score(lead([("page.pricing", 7 * day)]), at: asOf).behavior == 6)
        #expect(try m.score(lead([("page.pricing", 7 * day + 1)]), at: asOf).behavior == 0)
        // Future events never count.
        #expect(try m.score(lead([("page.pricing", -1)]), at: asOf).behavior == 0)
    }

    @Test func theWindowStillApplies() throws {
        let m = try frequencyModel(count: 2, withinDays: 30, extra: #", "window_days": 3"#)
        #expect(try m.score(lead([("page.pricing", day), ("page.pricing", 5 * day)]), at: asOf).behavior == 0)
        #expect(try m.score(lead([("page.pricing", day), ("page.pricing", 2 * day)]), at: asOf).behavior == 6)
    }

    @Test func aFrequencyRuleBesideAnOrdinaryRuleOfTheSameEvent() throws {
        let m = try load(scoring: """
            {"behavior": [{"id": "each", "event": "page.pricing", "points": 1},
                          {"id": "three", "event": "page.pricing", "points": 10,
                           "at_least": {"count": 3, "within_days": 1}}]}
            """)
        let r = try m.score(lead(repeated("page.pricing", 3, age: 60)), at: asOf)
        #expect(r.behavior == 13)
        #expect(r.contributions.map(\.rule) == ["each", "three"])
    }

    // MARK: behavior_since

    @Test func eventsBeforeBehaviorSinceDoNotCount() throws {
        let m = try load(scoring: #"{"behavior": [{"id": "a", "event": "a", "points": 1}]}"#)
        let events = [("a", 3 * day), ("a", 2 * day), ("a", day)]
        #expect(try m.score(lead(events), at: asOf).behavior == 3)
        // An event exactly at behavior_since counts.
        #expect(try m.score(lead(events, since: asOf - 2 * day), at: asOf).behavior == 2)
        let parsed = try Lead(json: #"{"id": "L", "behavior_since": "2027-01-15T08:00:00Z"}"#)
        #expect(parsed.behaviorSince == asOf)
        #expect(throws: LeadError.self) { try Lead(json: #"{"id": "L", "behavior_since": "yesterday"}"#) }
    }

    // MARK: Engagement and priority

    private let levels = #""engagement": [{"level": "1", "min": 30}, {"level": "2", "min": 10}, {"level": "3", "min": -1e9}]"#

    @Test func engagementIsTheFirstLevelReachedAndPriorityJoinsItToTheGrade() throws {
        let m = try load(scoring: """
            {"fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 30}],
             "behavior": [{"id": "a", "event": "a", "points": 6}],
             "grades": [{"grade": "A", "min": 25}], \(levels)}
            """)
        let r = try m.score(lead(repeated("a", 2), industry: "Software"), at: asOf)
        #expect(r.engagement == "2")
        #expect(r.priority == "A2")
        // Exactly at a level's min.
        #expect(try m.score(lead(repeated("a", 5), industry: "software"), at: asOf).priority == "A1")
        // No grade: engagement, but no priority.
        let ungraded = try m.score(lead([], industry: "retail"), at: asOf)
        #expect(ungraded.grade == nil)
        #expect(ungraded.engagement == "3")
        #expect(ungraded.priority == nil)
        let json = ungraded.json
        #expect(json.contains(#""groups":[],"engagement":"3","priority":null"#))
    }

    @Test func noLevelsOrNoneReachedGiveNull() throws {
        let none = try load(scoring: #"{"grades": [{"grade": "A", "min": 0}]}"#)
        let r = try none.score(lead([]), at: asOf)
        #expect(r.grade == "A")
        #expect(r.engagement == nil)
        #expect(r.priority == nil)
        let high = try load(scoring: #"{"grades": [{"grade": "A", "min": 0}], "engagement": [{"level": "1", "min": 5}]}"#)
        #expect(try high.score(lead([]), at: asOf).engagement == nil)
    }

    // MARK: Result predicates

    @Test func resultPredicatesInCriteria() throws {
        let m = try load(
            scoring: """
                {"fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 30}],
                 "behavior": [{"id": "a", "event": "a", "points": 6}],
                 "grades": [{"grade": "A", "min": 25}], \(levels)}
                """,
            criteria: """
                {"hot": {"result": "priority", "in": ["a1", " A2 "]},
                 "graded": {"result": "grade", "eq": "a"},
                 "not_a": {"result": "grade", "ne": "A"},
                 "no_grade": {"result": "grade", "exists": false},
                 "cold": {"result": "engagement", "not_in": ["1", "2"]}}
                """)
        let hot = try m.score(lead(repeated("a", 2), industry: "software"), at: asOf)
        #expect(hot.holds("hot") == true)
        #expect(hot.holds("graded") == true)
        #expect(hot.holds("not_a") == false)
        #expect(hot.holds("no_grade") == false)
        #expect(hot.holds("cold") == false)
        let cold = try m.score(lead([], industry: "retail"), at: asOf)
        #expect(cold.holds("hot") == false)
        // A null grade fails `ne` as every operator but `exists: false`.
        #expect(cold.holds("not_a") == false)
        #expect(cold.holds("no_grade") == true)
        #expect(cold.holds("cold") == true)
        #expect(cold.criteria.first { $0.name == "hot" }?.lacking == [#"result.priority in ["a1", " A2 "]"#])
    }

    @Test func resultPredicatesGuardStages() throws {
        let m = try load(
            scoring: #"{"behavior": [{"id": "a", "event": "a", "points": 6}], \#(levels)}"#,
            stages: """
                {"initial": "new", "list": [{"id": "new"}, {"id": "sal", "requires": {"result": "engagement", "eq": "1"}},
                 {"id": "mql", "enter_when": {"result": "engagement", "in": ["1", "2"]}}],
                 "transitions": [{"from": "new", "to": ["sal", "mql"]}]}
                """)
        #expect(try m.advance(lead(repeated("a", 2)), at: asOf).stage == "mql")
        #expect(try m.advance(lead([("a", 0)]), at: asOf).stage == "new")
        #expect(throws: MoveError.guardNotMet(stage: "sal", unmet: [#"result.engagement = "1""#])) {
            try m.move(lead(repeated("a", 2)), to: "sal", by: "ana", at: asOf)
        }
        #expect(try m.move(lead(repeated("a", 5)), to: "sal", by: "ana", at: asOf).to == "sal")
    }

    // MARK: Behaviour reset

    private func recyclingModel(resets: Bool) throws -> Model {
        try load(
            scoring: #"{"behavior": [{"id": "a", "event": "a", "points": 5}]}"#,
            stages: """
                {"initial": "new", "list": [{"id": "new"},
                  {"id": "nurture", "resets_behavior": \(resets), "enter_when": {"all": []}},
                  {"id": "mql", "enter_when": {"score": "behavior", "gte": 5}}],
                 "transitions": [{"from": "new", "to": "nurture"}, {"from": "nurture", "to": "mql"}]}
                """)
    }

    @Test func aResetInsideAChainedAdvanceScoresTheRestWithoutOldEvents() throws {
        let old = lead([("a", day)])
        // Without the reset, old behaviour carries the lead on into mql.
        let plain = try recyclingModel(resets: false).advance(old, at: asOf)
        #expect(plain.stage == "mql")
        #expect(plain.behaviorSince == nil)
        #expect(!plain.json.contains("behavior_since"))
        let m = try recyclingModel(resets: true)
        let reset = try m.advance(old, at: asOf)
        #expect(reset.stage == "nurture")
        #expect(reset.moves.map(\.to) == ["nurture"])
        #expect(reset.behaviorSince == asOf)
        #expect(reset.json.hasSuffix(#""behavior_since":1800000000}"#))
        // An event at the instant of the reset still counts.
        #expect(try m.advance(lead([("a", 0)]), at: asOf).stage == "mql")
        // A host that keeps the lead stores behavior_since.
        var kept = old
        try m.advance(&kept, at: asOf)
        #expect(kept.behaviorSince == asOf)
        #expect(kept.stage == "nurture")
    }

    @Test func aResetDoesNotLeakIntoTheNextLeadOfABatch() throws {
        let m = try recyclingModel(resets: true)
        var second = lead([("a", day)])
        second.stage = "nurture"
        let batch = try LeadBatch(model: m, leads: [lead([("a", day)]), second])
        let results = try #require(batch.advance(at: asOf, threads: 1))
        #expect(results.map(\.stage) == ["nurture", "mql"])
        #expect(results.map(\.behaviorSince) == [asOf, nil])
    }

    @Test func aManualMoveIntoAResettingStageReportsIt() throws {
        let m = try recyclingModel(resets: true)
        #expect(m.resetsBehavior("nurture"))
        #expect(!m.resetsBehavior("mql"))
        var kept = lead([("a", day)])
        try m.move(&kept, to: "nurture", by: "ana", at: asOf)
        #expect(kept.behaviorSince == asOf)
        #expect(try m.score(kept, at: asOf).behavior == 0)
    }

    // MARK: The batch path agrees with the one-lead path

    @Test func batchScoresAgreeWithExplainedScoresWithEveryFeature() throws {
        let m = try load(scoring: """
            {"fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 20}],
             "behavior": [{"id": "open", "event": "email.open", "points": 2, "cap": 7, "group": "email"},
                          {"id": "reply", "event": "email.reply", "points": 4, "group": "email"},
                          {"id": "visit", "event": "page.visit", "points": 1, "group": "web"},
                          {"id": "pricing", "event": "page.pricing", "points": 9, "group": "web",
                           "at_least": {"count": 2, "within_days": 10}},
                          {"id": "unsub", "event": "email.unsubscribe", "points": -6}],
             "groups": [{"id": "email", "limit": 12}, {"id": "web", "limit": 10}],
             "half_life_days": 20, "window_days": 90, "behavior_limits": {"min": -5, "max": 25},
             "total_limits": {"min": 0, "max": 40}, "grades": [{"grade": "A", "min": 15}, {"grade": "B", "min": 0}],
             \(levels)}
            """)
        var random = SplitMix64(seed: 13)
        let types = ["email.open", "email.reply", "page.visit", "page.pricing", "email.unsubscribe", "other"]
        var leads: [Lead] = []
        for i in 0..<400 {
            let events = (0..<Int(random.next() % 16)).map { _ in
                Event(types[Int(random.next() % UInt64(types.count))], at: asOf - Double(random.next() % (25 * 86_400)))
            }
            leads.append(
                Lead(
                    id: "L\(i)", attributes: ["industry": random.next() % 2 == 0 ? "software" : "retail"],
                    events: events, behaviorSince: random.next() % 5 == 0 ? asOf - 30 * day : nil))
        }
        let batch = try LeadBatch(model: m, leads: leads)
        for at in [asOf, asOf + 5 * day, asOf - 200 * day] {
            let scores = batch.scores(at: at, threads: 2)
            var hits = (groupsAtLimit: 0, frequency: 0, totalClamped: 0)
            for (i, lead) in leads.enumerated() {
                let one = try m.score(lead, at: at)
                #expect(scores.fit[i] == one.fit)
                #expect(scores.behavior[i] == one.behavior)
                #expect(scores.total[i] == one.total)
                #expect(scores.grade(i) == one.grade)
                #expect(scores.engagement(i) == one.engagement)
                #expect(scores.priority(i) == one.priority)
                if one.groups.contains(where: { abs($0.points) == 12 || abs($0.points) == 10 }) { hits.groupsAtLimit += 1 }
                if one.contributions.contains(where: { $0.rule == "pricing" }) { hits.frequency += 1 }
                if one.total != one.fit + one.behavior { hits.totalClamped += 1 }
            }
            if at == asOf {
                // The cases exercise what they are meant to.
                #expect(hits.groupsAtLimit > 0)
                #expect(hits.frequency > 0)
                #expect(hits.totalClamped > 0)
            }
        }
        let results = batch.results(at: asOf, threads: 2)
        for (i, lead) in leads.enumerated() { #expect(results[i] == (try m.score(lead, at: asOf))) }
    }

    @Test func modelsWithoutLevelsLeaveTheEngagementColumnEmpty() throws {
        let m = try load(scoring: #"{"behavior": [{"id": "a", "event": "a", "points": 1}]}"#)
        let scores = try LeadBatch(model: m, leads: [lead([("a", 0)])]).scores(at: asOf)
        #expect(scores.engagementIndex.isEmpty)
        #expect(scores.engagement(0) == nil)
        #expect(scores.priority(0) == nil)
    }

    // MARK: The Swift form

    @Test func theDocumentReadsIntoTheSwiftDefinition() throws {
        let m = try load(
            scoring: """
                {"behavior": [{"id": "a", "event": "a", "points": 1, "group": "g", "at_least": {"count": 2, "within_days": 3.5}}],
                 "groups": [{"id": "g", "limit": 4}], "total_limits": {"max": 9}, \(levels)}
                """,
            criteria: #"{"c": {"result": "priority", "not_in": ["A1"]}}"#,
            stages: #"{"initial": "n", "list": [{"id": "n", "resets_behavior": true}], "transitions": []}"#)
        let swift = ModelDefinition(
            attributes: [AttributeDeclaration("industry", .string)],
            criteria: [Criterion("c", .result(.priority, .notIn([.string("A1")])))],
            scoring: Scoring(
                behavior: [BehaviorRule("a", event: "a", points: 1, group: "g", atLeast: Frequency(count: 2, withinDays: 3.5))],
                groups: [ScoreGroup("g", limit: 4)], totalLimits: ScoreLimits(max: 9),
                engagement: [EngagementLevel("1", min: 30), EngagementLevel("2", min: 10), EngagementLevel("3", min: -1e9)]),
            stages: Stages(initial: "n", list: [Stage("n", resetsBehavior: true)], transitions: []))
        #expect(m.definition == swift)
        let built = try Model(swift)
        let someone = lead([("a", 0), ("a", day)])
        #expect(try built.score(someone, at: asOf) == (try m.score(someone, at: asOf)))
        #expect(try built.score(someone, at: asOf).groups == [GroupTotal(group: "g", points: 1)])
    }

    // MARK: Faults, each at its path

    @Test(arguments: [
        (#""behavior": [{"id": "a", "event": "a", "points": 1, "group": "nope"}]"#,
         #"scoring.behavior[0].group: unknown group "nope""#),
        (#""groups": [{"id": "g", "limit": 1}, {"id": "g", "limit": 2}]"#, #"scoring.groups[1].id: duplicate id "g""#),
        (#""groups": [{"id": "g", "limit": 0}]"#, "scoring.groups[0].limit: expected a finite number > 0"),
        (#""groups": [{"id": "g", "limit": -3}]"#, "scoring.groups[0].limit: expected a finite number > 0"),
        (#""groups": [{"id": "", "limit": 3}]"#, "scoring.groups[0].id: expected a non-empty string"),
        (#""groups": [{"id": "g"}]"#, "scoring.groups[0].limit: required field is missing"),
        (#""behavior": [{"id": "a", "event": "a", "points": 1, "at_least": {"count": 0, "within_days": 1}}]"#,
         "scoring.behavior[0].at_least.count: expected an integer >= 1, found 0"),
        (#""behavior": [{"id": "a", "event": "a", "points": 1, "at_least": {"count": 1.5, "within_days": 1}}]"#,
         "scoring.behavior[0].at_least.count: expected a whole number"),
        (#""behavior": [{"id": "a", "event": "a", "points": 1, "at_least": {"count": 2, "within_days": 0}}]"#,
         "scoring.behavior[0].at_least.within_days: expected a finite number > 0"),
        (#""behavior": [{"id": "a", "event": "a", "points": 1, "at_least": {"count": 2}}]"#,
         "scoring.behavior[0].at_least.within_days: required field is missing"),
        (#""total_limits": {"min": 5, "max": 1}"#, "scoring.total_limits: min (5) is greater than max (1)"),
        (#""engagement": [{"level": "1"}]"#, "scoring.engagement[0].min: required field is missing"),
        (#""engagement": [{"level": "", "min": 1}]"#, "scoring.engagement[0].level: expected a non-empty string"),
        (#""engagement": [{"level": "1", "min": 1}, {"level": "1", "min": 0}]"#,
         #"scoring.engagement[1].level: duplicate level "1""#),
        (#""engagement": [{"level": "1", "min": 1, "color": "red"}]"#, "scoring.engagement[0].color: unknown field"),
        (#""engagement": {"level": "1"}"#, "scoring.engagement: expected an array, found an object"),
        (#""fit": [{"id": "f", "if": {"result": "grade", "eq": "A"}, "points": 1}]"#,
         "scoring.fit[0].if.result: a result may not be used in a scoring rule"),
        (#""behavior": [{"id": "b", "event": "e", "if": {"not": {"result": "priority", "exists": true}}, "points": 1}]"#,
         "scoring.behavior[0].if.not.result: a result may not be used in a scoring rule"),
    ])
    func eachScoringFaultHasItsPath(scoring: String, expected: String) {
        #expect(faults(document(scoring: "{\(scoring)}")) == [expected])
    }

    @Test func aResultReadThroughACriterionIsRefusedInScoringRules() {
        let json = document(
            scoring: #"{"fit": [{"id": "f", "if": {"criterion": "hot"}, "points": 1}]}"#,
            criteria: #"{"hot": {"result": "grade", "eq": "A"}}"#)
        #expect(faults(json) == [#"scoring.fit[0].if.criterion: criterion "hot" reads a score, which may not be used in a scoring rule"#])
    }

    @Test(arguments: [
        (#"{"result": "stage", "eq": "A"}"#, #"criteria.c.result: expected "grade", "engagement" or "priority""#),
        (#"{"result": "grade", "gte": 3}"#,
         #"criteria.c.gte: operator gte does not fit result "grade" (expected eq, ne, in, not_in or exists)"#),
        (#"{"result": "grade", "eq": 1}"#, #"criteria.c.eq: expected a string for result "grade", found 1"#),
        (#"{"result": "priority", "in": ["A1", true]}"#,
         #"criteria.c.in[1]: expected a string for result "priority", found true"#),
    ])
    func badResultPredicates(predicate: String, expected: String) {
        #expect(faults(document(scoring: "{}", criteria: #"{"c": \#(predicate)}"#)) == [expected])
    }

    @Test func resetsBehaviorMustBeABool() {
        let json = document(
            scoring: "{}", stages: #"{"initial": "a", "list": [{"id": "a", "resets_behavior": "yes"}], "transitions": []}"#)
        #expect(faults(json) == ["stages.list[0].resets_behavior: expected true or false, found a string"])
    }

    @Test func aSwiftBuiltDefinitionIsHeldToTheSameRules() {
        let definition = ModelDefinition(
            scoring: Scoring(
                behavior: [BehaviorRule("a", event: "a", points: 1, group: "g", atLeast: Frequency(count: 0, withinDays: -1))],
                groups: [ScoreGroup("h", limit: 0)], totalLimits: ScoreLimits(min: 3, max: 2),
                engagement: [EngagementLevel("1", min: .nan)]))
        let paths: [String]
        do {
            _ = try Model(definition)
            paths = []
        } catch {
            paths = error.faults.map(\.path)
        }
        #expect(
            paths == [
                "scoring.groups[0].limit", "scoring.behavior[0].group", "scoring.behavior[0].at_least.count",
                "scoring.behavior[0].at_least.within_days", "scoring.total_limits", "scoring.engagement[0].min",
            ])
    }
}
