import Testing

@testable import Funnel
import FunnelTestSupport

private let always = #"{"all": []}"#
private let never = #"{"any": []}"#

/// A model with a few attributes, the given disqualifiers and this funnel.
private func funnel(
    _ list: String, _ transitions: String, initial: String = "a", disqualify: String = "[]"
) throws -> Model {
    try Model(
        json: """
            {"format": "funnel.model/1",
             "attributes": {"verified": "bool", "tags": "strings", "budget": "number"},
             "disqualify": \(disqualify),
             "stages": {"initial": "\(initial)", "list": \(list), "transitions": \(transitions)}}
            """)
}

private func path(_ result: AdvanceResult) -> [String] {
    guard let first = result.moves.first else { return [result.stage] }
    return [first.from] + result.moves.map(\.to)
}

/// A lead of the SPEC model that is ICP and has a total of 40 at `SpecFixtures.asOf`.
private func qualifiedLead(stage: String? = nil) -> Lead {
    let asOf = SpecFixtures.asOf
    return Lead(
        id: "L-1001", attributes: ["industry": "Software", "employees": 120, "tags": ["webinar"]],
        events: (0..<5).map { _ in Event("email.reply", at: asOf) }
            + [Event("call.completed", at: asOf, properties: ["minutes": 25])],
        stage: stage)
}

/// Runs a manual move on a copy of `lead`, expects it to fail, and checks the copy is untouched.
private func refusal(
    _ model: Model, _ lead: Lead, to stage: String, reason: String? = nil
) -> MoveError? {
    var copy = lead
    do {
        try model.move(&copy, to: stage, reason: reason, by: "alice", at: SpecFixtures.asOf)
        Issue.record("move to \(stage) succeeded")
        return nil
    } catch {
        #expect(copy == lead, "the lead changed on a refused move")
        return error
    }
}

@Suite("Stages (SPEC §5)")
struct StageTests {
    // MARK: Advancing the SPEC funnel

    @Test func specLeadAdvancesThroughTwoStages() throws {
        let model = try SpecFixtures.model()
        let lead = qualifiedLead()
        let score = try model.score(lead, at: SpecFixtures.asOf)
        #expect(score.total == 40)
        let result = try model.advance(lead, at: SpecFixtures.asOf)
        #expect(result.id == "L-1001")
        #expect(result.stage == "mql")
        #expect(result.moves == [
            StageMove(from: "new", to: "profiled", at: SpecFixtures.asOf, reason: nil, by: "auto"),
            StageMove(from: "profiled", to: "mql", at: SpecFixtures.asOf, reason: nil, by: "auto"),
        ])
    }

    @Test func advanceResultJSONHasTheSpecShape() throws {
        let model = try SpecFixtures.model()
        let result = try model.advance(qualifiedLead(), at: SpecFixtures.asOf)
        let spec = """
            {"id": "L-1001", "stage": "mql",
             "moves": [{"from": "new", "to": "profiled", "reason": null, "by": "auto"},
                       {"from": "profiled", "to": "mql", "reason": null, "by": "auto"}]}
            """
        #expect(try JSONParser.parse(result.json) == JSONParser.parse(spec))
        #expect(result.json == #"{"id":"L-1001","stage":"mql","moves":[{"from":"new","to":"profiled","reason":null,"by":"auto"},{"from":"profiled","to":"mql","reason":null,"by":"auto"}]}"#)
    }

    @Test func leadThatStaysHasNoMoves() throws {
        let model = try SpecFixtures.model()
        let result = try model.advance(Lead(id: "L-2", attributes: ["industry": "retail"]), at: SpecFixtures.asOf)
        #expect(result.stage == "new")
        #expect(result.moves.isEmpty)
        #expect(result.json == #"{"id":"L-2","stage":"new","moves":[]}"#)
    }

    @Test func leadJustBelowTheThresholdStopsAtProfiled() throws {
        let model = try SpecFixtures.model()
        var lead = qualifiedLead()
        lead.events.removeLast()  // total 35
        let result = try model.advance(lead, at: SpecFixtures.asOf)
        #expect(path(result) == ["new", "profiled"])
    }

    @Test func advanceStartsFromTheLeadsStage() throws {
        let model = try SpecFixtures.model()
        // From nurture the only way on is mql.
        let fromNurture = try model.advance(qualifiedLead(stage: "nurture"), at: SpecFixtures.asOf)
        #expect(path(fromNurture) == ["nurture", "mql"])
        // From sal nothing enters automatically.
        let fromSAL = try model.advance(qualifiedLead(stage: "sal"), at: SpecFixtures.asOf)
        #expect(fromSAL.stage == "sal")
        #expect(fromSAL.moves.isEmpty)
        // From JSON, too.
        let json = try Lead(json: #"{"id": "J", "stage": "nurture", "attributes": {"industry": "software"}}"#)
        #expect(try model.advance(json, at: 0).stage == "nurture")
    }

    @Test func advanceInoutRecordsTheNewStage() throws {
        let model = try SpecFixtures.model()
        var lead = qualifiedLead()
        let result = try model.advance(&lead, at: SpecFixtures.asOf)
        #expect(lead.stage == "mql")
        #expect(result.moves.count == 2)
        // Advancing again changes nothing.
        let again = try model.advance(&lead, at: SpecFixtures.asOf)
        #expect(again.moves.isEmpty)
        #expect(lead.stage == "mql")
    }

    // MARK: Chains

    @Test func chainsAcrossSeveralStages() throws {
        let model = try funnel(
            #"[{"id": "a"}, {"id": "b", "enter_when": \#(always)}, {"id": "c", "enter_when": \#(always)},"#
                + #" {"id": "d", "enter_when": \#(always)}, {"id": "e"}]"#,
            #"[{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "d"}, {"from": "d", "to": "e"}]"#)
        let result = try model.advance(Lead(id: "x"), at: 0)
        #expect(path(result) == ["a", "b", "c", "d"])
        #expect(result.moves.allSatisfy { $0.by == "auto" && $0.reason == nil && $0.at == 0 })
    }

    @Test func neverTheSameStageTwice() throws {
        let twoCycle = try funnel(
            #"[{"id": "a", "enter_when": \#(always)}, {"id": "b", "enter_when": \#(always)}]"#,
            #"[{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]"#)
        #expect(path(try twoCycle.advance(Lead(id: "x"), at: 0)) == ["a", "b"])
        let threeCycle = try funnel(
            #"[{"id": "a", "enter_when": \#(always)}, {"id": "b", "enter_when": \#(always)}, {"id": "c", "enter_when": \#(always)}]"#,
            #"[{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "a"}]"#)
        #expect(path(try threeCycle.advance(Lead(id: "x"), at: 0)) == ["a", "b", "c"])
        #expect(path(try threeCycle.advance(Lead(id: "x", stage: "b"), at: 0)) == ["b", "c", "a"])
    }

    @Test func cycleWithAnExitTakesTheExit() throws {
        // b leads back to a (already visited) and on to c.
        let model = try funnel(
            #"[{"id": "a", "enter_when": \#(always)}, {"id": "b", "enter_when": \#(always)}, {"id": "c", "enter_when": \#(always)}]"#,
            #"[{"from": "a", "to": "b"}, {"from": "b", "to": ["a", "c"]}]"#)
        #expect(path(try model.advance(Lead(id: "x"), at: 0)) == ["a", "b", "c"])
    }

    @Test func firstStageInListOrderWins() throws {
        let model = try funnel(
            #"[{"id": "a"}, {"id": "x", "enter_when": \#(always)}, {"id": "y", "enter_when": \#(always)}]"#,
            #"[{"from": "a", "to": "y"}, {"from": "a", "to": "x"}]"#)
        #expect(path(try model.advance(Lead(id: "l"), at: 0)) == ["a", "x"])
        let reversed = try funnel(
            #"[{"id": "a"}, {"id": "y", "enter_when": \#(always)}, {"id": "x", "enter_when": \#(always)}]"#,
            #"[{"from": "a", "to": ["x", "y"]}]"#)
        #expect(path(try reversed.advance(Lead(id: "l"), at: 0)) == ["a", "y"])
    }

    @Test func enterWhenAndRequiresMustBothHold() throws {
        let model = try funnel(
            """
            [{"id": "a"},
             {"id": "x", "enter_when": \(always), "requires": {"attr": "verified", "eq": true}},
             {"id": "y", "enter_when": {"attr": "budget", "gte": 100}},
             {"id": "z"}]
            """,
            #"[{"from": "a", "to": ["x", "y", "z"]}]"#)
        #expect(path(try model.advance(Lead(id: "l", attributes: ["verified": true]), at: 0)) == ["a", "x"])
        #expect(path(try model.advance(Lead(id: "l", attributes: ["verified": false, "budget": 100]), at: 0)) == ["a", "y"])
        #expect(path(try model.advance(Lead(id: "l", attributes: ["budget": 99]), at: 0)) == ["a"])
    }

    @Test func stagesWithoutEnterWhenAreNeverEnteredAutomatically() throws {
        let model = try funnel(#"[{"id": "a"}, {"id": "b"}]"#, #"[{"from": "a", "to": "b"}]"#)
        #expect(try model.advance(Lead(id: "l"), at: 0).moves.isEmpty)
    }

    // MARK: Disqualification

    static let disqualifiers = """
        [{"id": "never", "if": \(never)},
         {"id": "spam-domain", "if": {"attr": "tags", "contains": "spam"}},
         {"id": "bot", "if": {"attr": "tags", "contains": "bot"}}]
        """

    @Test func disqualifierComesFirst() throws {
        let model = try funnel(
            #"[{"id": "a"}, {"id": "b", "enter_when": \#(always)}, {"id": "out", "outcome": "disqualified"}]"#,
            #"[{"from": "a", "to": "b"}, {"from": "*", "to": "out", "reasons": ["no_budget"]}]"#,
            disqualify: Self.disqualifiers)
        let result = try model.advance(Lead(id: "l", attributes: ["tags": ["bot", "spam"]]), at: 7)
        #expect(result.stage == "out")
        // The first disqualifier in model order that holds, even though it is not in the reasons list.
        #expect(result.moves == [StageMove(from: "a", to: "out", at: 7, reason: "spam-domain", by: "auto")])
        #expect(result.json == #"{"id":"l","stage":"out","moves":[{"from":"a","to":"out","reason":"spam-domain","by":"auto"}]}"#)
        // Without a disqualifier the lead advances as usual.
        #expect(path(try model.advance(Lead(id: "l", attributes: ["tags": ["ok"]]), at: 7)) == ["a", "b"])
    }

    @Test func disqualifiedStageWhoseRequiresFailsIsSkipped() throws {
        let list = """
            [{"id": "a"}, {"id": "b", "enter_when": \(always)},
             {"id": "dq-verified", "outcome": "disqualified", "requires": {"attr": "verified", "eq": true}},
             {"id": "dq", "outcome": "disqualified"}]
            """
        let model = try funnel(list, #"[{"from": "a", "to": "b"}, {"from": "*", "to": ["dq", "dq-verified"]}]"#,
                               disqualify: Self.disqualifiers)
        let unverified = try model.advance(Lead(id: "l", attributes: ["tags": ["bot"], "verified": false]), at: 0)
        #expect(unverified.moves == [StageMove(from: "a", to: "dq", at: 0, reason: "bot", by: "auto")])
        let verified = try model.advance(Lead(id: "l", attributes: ["tags": ["bot"], "verified": true]), at: 0)
        #expect(verified.moves == [StageMove(from: "a", to: "dq-verified", at: 0, reason: "bot", by: "auto")])
    }

    @Test func noReachableDisqualifiedStageMeansNormalAdvance() throws {
        let list = """
            [{"id": "a"}, {"id": "b", "enter_when": \(always)},
             {"id": "dq", "outcome": "disqualified", "requires": {"attr": "verified", "eq": true}},
             {"id": "lost", "outcome": "lost"}]
            """
        let model = try funnel(list, #"[{"from": "a", "to": "b"}, {"from": "*", "to": ["dq", "lost"]}]"#,
                               disqualify: Self.disqualifiers)
        let result = try model.advance(Lead(id: "l", attributes: ["tags": ["spam"]]), at: 0)
        #expect(path(result) == ["a", "b"])
    }

    @Test func wildcardTransitionsLeaveOnlyStagesWithoutOutcome() throws {
        let list = """
            [{"id": "a"}, {"id": "mid"}, {"id": "won", "outcome": "won"}, {"id": "lost", "outcome": "lost"},
             {"id": "dq", "outcome": "disqualified"}]
            """
        let model = try funnel(list, #"[{"from": "a", "to": "mid"}, {"from": "*", "to": "dq"}]"#,
                               disqualify: Self.disqualifiers)
        let spam: [String: LeadValue] = ["tags": ["spam"]]
        #expect(path(try model.advance(Lead(id: "l", attributes: spam, stage: "mid"), at: 0)) == ["mid", "dq"])
        #expect(path(try model.advance(Lead(id: "l", attributes: spam), at: 0)) == ["a", "dq"])
        for outcome in ["won", "lost", "dq"] {
            let result = try model.advance(Lead(id: "l", attributes: spam, stage: outcome), at: 0)
            #expect(result.stage == outcome)
            #expect(result.moves.isEmpty, "left \(outcome)")
        }
    }

    @Test func wildcardToAnOrdinaryStage() throws {
        let list = """
            [{"id": "a"}, {"id": "won", "outcome": "won"}, {"id": "nurture", "enter_when": \(always)}]
            """
        let model = try funnel(list, #"[{"from": "*", "to": "nurture"}]"#)
        #expect(path(try model.advance(Lead(id: "l"), at: 0)) == ["a", "nurture"])
        #expect(try model.advance(Lead(id: "l", stage: "won"), at: 0).moves.isEmpty)
        // A wildcard does not make nurture lead to itself.
        #expect(try model.advance(Lead(id: "l", stage: "nurture"), at: 0).moves.isEmpty)
    }

    @Test func outcomeStageIsLeftOnlyWhenNamedInFrom() throws {
        let list = """
            [{"id": "a"}, {"id": "lost", "outcome": "lost"}, {"id": "won", "outcome": "won"},
             {"id": "nurture", "enter_when": \(always)}]
            """
        let model = try funnel(list, #"[{"from": "lost", "to": "nurture"}, {"from": "*", "to": "nurture"}]"#)
        #expect(path(try model.advance(Lead(id: "l", stage: "lost"), at: 0)) == ["lost", "nurture"])
        #expect(try model.advance(Lead(id: "l", stage: "won"), at: 0).moves.isEmpty)
    }

    // MARK: Errors

    @Test func unknownLeadStageIsAnError() throws {
        let model = try SpecFixtures.model()
        let lead = Lead(id: "l", stage: "limbo")
        #expect(throws: MoveError.invalidLead(LeadError(path: "stage", message: #"unknown stage "limbo""#))) {
            try model.advance(lead, at: 0)
        }
        var copy = lead
        #expect(throws: MoveError.self) { try model.advance(&copy, at: 0) }
        #expect(copy == lead)
        let json = try Lead(json: #"{"id": "l", "stage": "Limbo"}"#)
        do {
            _ = try model.advance(json, at: 0)
            Issue.record("unknown stage accepted")
        } catch {
            #expect(error.description.contains("Limbo"))
        }
    }

    @Test func modelWithoutStages() throws {
        let model = try Model(json: #"{"format": "funnel.model/1"}"#)
        #expect(throws: MoveError(.noStages)) { try model.advance(Lead(id: "l"), at: 0) }
        #expect(throws: MoveError(.noStages)) { try model.move(Lead(id: "l"), to: "a", by: "x", at: 0) }
        #expect(try LeadBatch(model: model, leads: [Lead(id: "l")]).advance(at: 0) == nil)
    }

    @Test func batchAdvanceAgreesWithOneLeadAdvance() throws {
        let model = try SpecFixtures.model()
        var leads = [qualifiedLead(), qualifiedLead(stage: "nurture"), Lead(id: "cold")]
        leads.append(Lead(id: "rival", attributes: ["tags": ["Competitor"]], stage: "sal"))
        leads.append(Lead(id: "won", attributes: ["tags": ["competitor"]], stage: "won"))
        let batch = try LeadBatch(model: model, leads: leads)
        let results = try #require(batch.advance(at: SpecFixtures.asOf, threads: 2))
        #expect(results == (try leads.map { try model.advance($0, at: SpecFixtures.asOf) }))
        #expect(results.map(\.stage) == ["mql", "mql", "new", "disqualified", "won"])
        #expect(results[3].moves.first?.reason == "competitor")
    }

    // MARK: Manual moves

    @Test func manualMoveRecordsEverything() throws {
        let model = try SpecFixtures.model()
        var lead = Lead(id: "L", attributes: ["industry": "software"], stage: "opportunity")
        let move = try model.move(&lead, to: "won", reason: "price", by: "alice", at: 1234.5)
        #expect(move == StageMove(from: "opportunity", to: "won", at: 1234.5, reason: "price", by: "alice"))
        #expect(lead.stage == "won")
        #expect(lead.attributes == ["industry": "software"])
        #expect(move.json == #"{"from":"opportunity","to":"won","reason":"price","by":"alice"}"#)
    }

    @Test func manualMoveWithoutReasonsList() throws {
        let model = try SpecFixtures.model()
        var lead = Lead(id: "L")
        let move = try model.move(&lead, to: "profiled", by: "bob", at: 1)
        #expect(move == StageMove(from: "new", to: "profiled", at: 1, reason: nil, by: "bob"))
        #expect(lead.stage == "profiled")
        // A reason may still be given where none is required.
        var other = Lead(id: "M", stage: "mql")
        let withReason = try model.move(&other, to: "sal", reason: "accepted by Ann", by: "ann", at: 2)
        #expect(withReason.reason == "accepted by Ann")
        #expect(other.stage == "sal")
    }

    @Test func manualMoveIgnoresEnterWhen() throws {
        // enter_when decides advancing, not manual moves: a cold lead may be moved to mql by hand.
        let model = try SpecFixtures.model()
        var lead = Lead(id: "L", stage: "profiled")
        try model.move(&lead, to: "mql", by: "ann", at: 0)
        #expect(lead.stage == "mql")
    }

    @Test func manualDisqualificationFromAnyOpenStage() throws {
        let model = try SpecFixtures.model()
        for stage in ["new", "profiled", "mql", "sal", "sql", "opportunity", "nurture"] {
            var lead = Lead(id: "L", stage: stage)
            let move = try model.move(&lead, to: "disqualified", reason: "no_budget", by: "bob", at: 0)
            #expect(move.from == stage)
            #expect(lead.stage == "disqualified")
        }
        for stage in ["won", "lost", "disqualified"] {
            #expect(refusal(model, Lead(id: "L", stage: stage), to: "disqualified", reason: "no_budget")
                == .transitionNotAllowed(from: stage, to: "disqualified"))
        }
    }

    @Test func unknownTargetStage() throws {
        let model = try SpecFixtures.model()
        #expect(refusal(model, qualifiedLead(stage: "mql"), to: "closed") == .unknownStage("closed"))
        #expect(refusal(model, qualifiedLead(stage: "mql"), to: "SAL") == .unknownStage("SAL"))
    }

    @Test func transitionNotAllowed() throws {
        let model = try SpecFixtures.model()
        #expect(refusal(model, Lead(id: "L"), to: "sql") == .transitionNotAllowed(from: "new", to: "sql"))
        #expect(refusal(model, Lead(id: "L", stage: "mql"), to: "profiled")
            == .transitionNotAllowed(from: "mql", to: "profiled"))
        #expect(refusal(model, Lead(id: "L", stage: "mql"), to: "mql") == .transitionNotAllowed(from: "mql", to: "mql"))
        #expect(refusal(model, Lead(id: "L", stage: "won"), to: "lost", reason: "price")
            == .transitionNotAllowed(from: "won", to: "lost"))
    }

    @Test func guardNotMetListsTheUnmetParts() throws {
        let model = try SpecFixtures.model()
        let lead = Lead(
            id: "L", attributes: ["budget": 5000, "decision_maker": true, "timeline_days": 30], stage: "sal")
        let kind = refusal(model, lead, to: "sql")
        #expect(kind == .guardNotMet(stage: "sql", unmet: ["budget >= 10000", "need exists"]))
        #expect(try #require(kind).description == #""sql" requires what the lead lacks: budget >= 10000; need exists"#)
        let nothing = refusal(model, Lead(id: "L", stage: "sal"), to: "sql")
        #expect(nothing == .guardNotMet(
            stage: "sql", unmet: ["budget >= 10000", "decision_maker = true", "need exists", "timeline_days <= 90"]))
    }

    @Test func guardMetAllowsTheMove() throws {
        let model = try SpecFixtures.model()
        var lead = Lead(
            id: "L", attributes: ["budget": 10000, "decision_maker": true, "need": "crm", "timeline_days": 90],
            stage: "sal")
        try model.move(&lead, to: "sql", by: "ann", at: 0)
        #expect(lead.stage == "sql")
    }

    @Test func reasonRequired() throws {
        let model = try SpecFixtures.model()
        let lead = Lead(id: "L", stage: "opportunity")
        #expect(refusal(model, lead, to: "won")
            == .reasonRequired(allowed: ["price", "competitor", "no_decision", "timing"]))
        #expect(refusal(model, Lead(id: "L", stage: "mql"), to: "disqualified")
            == .reasonRequired(allowed: ["no_budget", "no_authority", "competitor", "bad_data"]))
    }

    @Test func reasonNotInTheList() throws {
        let model = try SpecFixtures.model()
        let lead = Lead(id: "L", stage: "opportunity")
        #expect(refusal(model, lead, to: "lost", reason: "weather")
            == .reasonNotAllowed("weather", allowed: ["price", "competitor", "no_decision", "timing"]))
        #expect(refusal(model, Lead(id: "L", stage: "sal"), to: "disqualified", reason: "price")
            == .reasonNotAllowed("price", allowed: ["no_budget", "no_authority", "competitor", "bad_data"]))
    }

    @Test func reasonListsOfSeveralTransitionsAreMerged() throws {
        let model = try funnel(
            #"[{"id": "a"}, {"id": "b"}, {"id": "c"}]"#,
            """
            [{"from": "a", "to": "b", "reasons": ["x"]}, {"from": "*", "to": "b", "reasons": ["y", "x"]},
             {"from": "a", "to": "c", "reasons": ["p"]}, {"from": "a", "to": "c"}]
            """)
        var lead = Lead(id: "l")
        #expect(try model.move(lead, to: "b", reason: "y", by: "u", at: 0).reason == "y")
        #expect(try model.move(lead, to: "b", reason: "x", by: "u", at: 0).reason == "x")
        #expect(refusal(model, lead, to: "b", reason: "z") == .reasonNotAllowed("z", allowed: ["x", "y"]))
        #expect(refusal(model, lead, to: "b") == .reasonRequired(allowed: ["x", "y"]))
        // One of the transitions to c takes any reason, or none.
        try model.move(&lead, to: "c", reason: "anything", by: "u", at: 0)
        #expect(lead.stage == "c")
        var other = Lead(id: "m")
        try model.move(&other, to: "c", by: "u", at: 0)
        #expect(other.stage == "c")
    }

    @Test func invalidLeadOnManualMove() throws {
        let model = try SpecFixtures.model()
        let kind = refusal(model, Lead(id: "L", attributes: ["budget": "lots"], stage: "sal"), to: "nurture")
        #expect(kind == .invalidLead(LeadError(path: "attributes.budget", message: "expected a finite number, found a string")))
        #expect(refusal(model, Lead(id: "L", stage: "nowhere"), to: "nurture")
            == .invalidLead(LeadError(path: "stage", message: #"unknown stage "nowhere""#)))
    }

    @Test func nonInoutMoveDoesNotTouchTheLead() throws {
        let model = try SpecFixtures.model()
        let lead = Lead(id: "L", stage: "mql")
        let move = try model.move(lead, to: "nurture", by: "ann", at: 5)
        #expect(move == StageMove(from: "mql", to: "nurture", at: 5, reason: nil, by: "ann"))
        #expect(lead.stage == "mql")
    }
}
