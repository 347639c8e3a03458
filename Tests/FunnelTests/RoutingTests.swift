import FoundationEssentials
import Testing

@testable import Funnel

/// The model routing tests compile against: attributes, a criterion that
/// reads an attribute, and scores (fit 10 for big companies, 5 a reply, no decay).
private let routingModelJSON = """
    {"format": "funnel.model/1",
     "attributes": {"country": "string", "employees": "number", "language": "string", "tags": "strings"},
     "criteria": {"big": {"attr": "employees", "gte": 1000}},
     "scoring": {"fit": [{"id": "big", "if": {"criterion": "big"}, "points": 10}],
                 "behavior": [{"id": "reply", "event": "email.reply", "points": 5}]}}
    """

private func routingModel() throws -> Model { try Model(json: routingModelJSON) }

private let t0 = 1_795_000_000.0
private let day = 86_400.0

private func router(_ routingJSON: String) throws -> Router {
    try Router(model: routingModel(), routingJSON: routingJSON)
}

private func lead(_ id: String, _ attributes: [String: LeadValue] = [:], events: [Event] = [], owner: String? = nil)
    -> Lead
{
    Lead(id: id, attributes: attributes, events: events, owner: owner)
}

/// Routes `n` plain leads at `t`, `t + 1`, … and returns their owners ("-" for none).
private func owners(_ router: inout Router, _ n: Int, from t: Double = t0) throws -> [String] {
    try (0..<n).map { i in try router.route(lead("L\(i)"), at: t + Double(i)).owner ?? "-" }
}

private func team(_ strategy: String, _ members: String, if condition: String? = nil, id: String = "t") -> String {
    let test = condition.map { #", "if": \#($0)"# } ?? ""
    return #"{"id": "\#(id)", "strategy": "\#(strategy)"\#(test), "members": \#(members)}"#
}

private func routing(_ teams: String..., window: Double = 30, otherwise: String = "null") -> String {
    #"{"format": "funnel.routing/1", "capacity_window_days": \#(formatNumber(window)), "teams": [\#(teams.joined(separator: ","))], "otherwise": \#(otherwise)}"#
}

/// The faults' "path: message" lines of a routing document that must not load.
private func faults(_ routingJSON: String) throws -> [String] {
    do {
        _ = try router(routingJSON)
        Issue.record("the routing document loaded")
        return []
    } catch let error as RoutingError {
        return error.faults.map(\.description)
    }
}

@Suite("Routing (SPEC §10)")
struct RoutingTests {
    // MARK: Strategies

    @Test func roundRobinRotatesAndSkipsAnUnavailableMemberUntilBack() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}, {"id": "b"}, {"id": "c"}]"#)))
        #expect(try owners(&r, 4) == ["a", "b", "c", "a"])
        try r.setAvailable("b", false)
        #expect(try owners(&r, 3, from: t0 + 10) == ["c", "a", "c"])
        try r.setAvailable("b", true)
        // Last was c: the first eligible after it wraps to a, then b is back in turn.
        #expect(try owners(&r, 3, from: t0 + 20) == ["a", "b", "c"])
    }

    @Test func roundRobinIsTheDefaultStrategy() throws {
        var r = try router(#"{"format": "funnel.routing/1", "teams": [{"id": "t", "members": [{"id": "x"}, {"id": "y"}]}]}"#)
        #expect(r.definition.teams[0].strategy == .roundRobin)
        #expect(r.definition.capacityWindowDays == 30)
        #expect(try owners(&r, 3) == ["x", "y", "x"])
    }

    @Test func weightedWithWeightThreeIsSmoothAndTiesGoToTheFirst() throws {
        var r = try router(routing(team("weighted", #"[{"id": "eva", "weight": 3}, {"id": "tom"}]"#)))
        // current: (3,1)→eva (−1,1); (2,2) tie→eva (−2,2); (1,3)→tom (1,−1); (4,0)→eva (0,0).
        #expect(try owners(&r, 8) == ["eva", "eva", "tom", "eva", "eva", "eva", "tom", "eva"])
    }

    @Test func weightedWithWeightOneHalf() throws {
        var r = try router(routing(team("weighted", #"[{"id": "x", "weight": 0.5}, {"id": "y"}]"#)))
        // (0.5,1)→y (0.5,−0.5); (1,0.5)→x (−0.5,0.5); (0,1.5)→y (0,0).
        #expect(try owners(&r, 6) == ["y", "x", "y", "y", "x", "y"])
    }

    @Test func weightedLeavesMembersOutsideTheEligibleAlone() throws {
        var r = try router(routing(team("weighted", #"[{"id": "a"}, {"id": "b"}, {"id": "c"}]"#)))
        #expect(try owners(&r, 1) == ["a"])  // (1,1,1)→a: (−2,1,1)
        try r.setAvailable("c", false)
        // Without c: (−1,2)→b (−1,0); (0,1)→b (0,−1); c stays at 1.
        #expect(try owners(&r, 2, from: t0 + 1) == ["b", "b"])
        #expect(r.stateJSON.contains(#""current":{"a":0,"b":-1,"c":1}"#))
    }

    @Test func leastLoadedDividesLoadByWeightAndTakesTheFirstOnTies() throws {
        var r = try router(routing(team("least_loaded", #"[{"id": "ana"}, {"id": "luis", "weight": 2}]"#)))
        // loads ÷ weight: (0,0)→ana; (1,0)→luis; (1,0.5)→luis; (1,1)→ana.
        #expect(try owners(&r, 4) == ["ana", "luis", "luis", "ana"])
        #expect(r.load(of: "ana", at: t0 + 3) == 2)
        #expect(r.load(of: "luis", at: t0 + 3) == 2)
    }

    @Test func loadCountsAssignmentsOverAllTeams() throws {
        var r = try router(routing(
            team("round_robin", #"[{"id": "ana"}]"#, if: #"{"attr": "country", "eq": "es"}"#, id: "spain"),
            team("least_loaded", #"[{"id": "ana"}, {"id": "bo"}]"#, id: "all")))
        _ = try r.route(lead("1", ["country": "es"]), at: t0)
        _ = try r.route(lead("2", ["country": "es"]), at: t0 + 1)
        // ana has 2 (from "spain"), bo 0: least loaded picks bo twice, then ana on the tie.
        #expect(try owners(&r, 3, from: t0 + 2) == ["bo", "bo", "ana"])
    }

    // MARK: Capacity and the window

    @Test func anAssignmentExactlyOneWindowOldNoLongerCounts() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a", "capacity": 1}]"#), window: 1, otherwise: #""wait""#))
        #expect(try r.route(lead("1"), at: t0).owner == "a")
        let full = try r.route(lead("2"), at: t0 + day - 1)
        #expect(full.owner == nil && full.queue == "wait")
        #expect(full.skipped == [SkippedTeam(team: "t", members: [SkippedMember("a", .atCapacity)])])
        #expect(r.load(of: "a", at: t0 + day - 1) == 1)
        #expect(r.load(of: "a", at: t0 + day) == 0)
        #expect(try r.route(lead("3"), at: t0 + day).owner == "a")
        #expect(r.load(of: "a", at: t0 + day) == 1)
    }

    @Test func capacityZeroNeverTakesALead() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a", "capacity": 0}, {"id": "b"}]"#)))
        #expect(try owners(&r, 3) == ["b", "b", "b"])
    }

    // MARK: Skipped teams and otherwise

    @Test func skippedListsEachMembersFirstFailingConditionInOrder() throws {
        var r = try router(routing(
            team("round_robin", #"""
                [{"id": "u", "capacity": 0, "if": {"attr": "country", "eq": "fr"}},
                 {"id": "n", "capacity": 0, "if": {"attr": "country", "eq": "fr"}},
                 {"id": "c", "capacity": 0}]
                """#, id: "first"),
            team("round_robin", #"[{"id": "z"}]"#, if: #"{"attr": "country", "eq": "fr"}"#, id: "passed"),
            team("round_robin", #"[{"id": "w"}]"#, id: "last")))
        try r.setAvailable("u", false)
        let result = try r.route(lead("L-1", ["country": "es"]), at: t0)
        #expect(result.team == "last" && result.owner == "w" && result.queue == nil && !result.kept)
        // "passed" does not hold, so it is passed over without being listed.
        #expect(result.skipped == [
            SkippedTeam(team: "first", members: [
                SkippedMember("u", .unavailable), SkippedMember("n", .noMatch), SkippedMember("c", .atCapacity),
            ])
        ])
        #expect(result.json == #"{"id":"L-1","team":"last","owner":"w","queue":null,"kept":false,"skipped":[{"team":"first","members":{"u":"unavailable","n":"no match","c":"at capacity"}}]}"#)
    }

    @Test func routeResultsAreCodableAndDatesWork() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a", "capacity": 0}]"#), otherwise: #""q""#))
        let result = try r.route(lead("1"), at: Date(timeIntervalSince1970: t0))
        #expect(result.skipped == [SkippedTeam(team: "t", members: [SkippedMember("a", .atCapacity)])])
        #expect(try JSONDecoder().decode(RouteResult.self, from: JSONEncoder().encode(result)) == result)
        #expect(r.lastRoutedDate == Date(timeIntervalSince1970: t0))
        #expect(r.load(of: "a", at: Date(timeIntervalSince1970: t0)) == 0)
    }

    @Test func noTeamTakesTheLeadSoItGoesToOtherwise() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}]"#, if: #"{"attr": "country", "eq": "es"}"#),
                                   otherwise: #""nurture""#))
        let result = try r.route(lead("L-2"), at: t0)
        #expect(result.json == #"{"id":"L-2","team":null,"owner":null,"queue":"nurture","kept":false,"skipped":[]}"#)
        var plain = try router(routing(team("round_robin", #"[{"id": "a"}]"#, if: #"{"attr": "country", "eq": "es"}"#)))
        #expect(try plain.route(lead("L-3"), at: t0).queue == nil)
    }

    // MARK: Kept owners, reassigning, instants

    @Test func aLeadWithAnOwnerKeepsItAndNothingChanges() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}, {"id": "b"}]"#)))
        _ = try r.route(lead("1"), at: t0)
        let before = r.stateJSON
        let kept = try r.route(try Lead(json: #"{"id": "K", "owner": "zed"}"#), at: t0 + 5)
        #expect(kept.json == #"{"id":"K","team":null,"owner":"zed","queue":null,"kept":true,"skipped":[]}"#)
        #expect(r.stateJSON == before)
        #expect(r.lastRoutedAt == t0)
        // Reassigning routes it as if it had no owner: b is next.
        let moved = try r.route(lead("K", owner: "zed"), at: t0 + 5, reassign: true)
        #expect(moved.owner == "b" && moved.team == "t" && !moved.kept)
        #expect(try r.route(lead("2", owner: nil), at: t0 + 6).owner == "a")
    }

    @Test func ownerFieldIsReadStrictlyWhenRouting() throws {
        #expect(try Lead(json: #"{"id": "x", "owner": null}"#).owner == nil)
        #expect(try Lead(json: #"{"id": "x", "owner": "ana"}"#).owner == "ana")
        // Scoring ignores an owner of another shape (a host's own record) ...
        #expect(try Lead(json: #"{"id": "x", "owner": {"name": "ana"}}"#).owner == nil)
        // ... routing refuses it, rather than take the lead from its owner.
        var r = try router(routing(team("round_robin", #"[{"id": "a"}]"#)))
        for bad in [#"{"id": "x", "owner": 3}"#, #"{"id": "x", "owner": ""}"#, #"{"id": "x", "owner": {"name": "a"}}"#] {
            var out: [UInt8] = []
            let failure = r.routeLines([Array(bad.utf8)], numbers: [7], at: t0, reassign: false, into: &out)
            #expect(failure?.description == "line 7: owner: expected a person id (a non-empty string) or null")
            #expect(out.isEmpty)
        }
        var out: [UInt8] = []
        #expect(r.routeLines([Array(#"{"id": "x", "owner": null}"#.utf8)], numbers: [1], at: t0, reassign: false,
                             into: &out) == nil)
        #expect(String(decoding: out, as: UTF8.self).contains(#""owner":"a""#))
    }

    @Test func aBackwardsInstantIsRefusedAndChangesNothing() throws {
        var r = try router(routing(team("weighted", #"[{"id": "a", "weight": 2}, {"id": "b"}]"#)))
        _ = try owners(&r, 3, from: t0 + 100)
        let before = r.stateJSON
        #expect(throws: RouteError.self) { try r.route(lead("late"), at: t0 + 101) }
        #expect(throws: RouteError.self) { try r.route(lead("nan"), at: .nan) }
        #expect(throws: RouteError.self) { try r.route(lead("kept-late", owner: "q"), at: t0) }
        // A lead that does not fit the model: refused too.
        #expect(throws: RouteError.self) { try r.route(lead("bad", ["employees": "many"]), at: t0 + 500) }
        #expect(r.stateJSON == before)
        // The same instant as the last is fine.
        #expect(try r.route(lead("same"), at: t0 + 102).owner != nil)
        do {
            _ = try r.route(lead("late"), at: t0)
        } catch {
            #expect(error.code == .badInstant)
            #expect(error.message.contains("backwards"))
        }
    }

    @Test func aFailedListRoutesNothing() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}, {"id": "b"}]"#)))
        let before = r.stateJSON
        #expect(throws: RouteError.self) { try r.route([lead("1"), lead("2", ["employees": "x"])], at: t0) }
        #expect(r.stateJSON == before)
        let leads = try Router.Leads([lead("1"), lead("2"), lead("3")], for: r)
        do {
            _ = try r.route(leads, at: [t0, t0 + 2, t0 + 1])
            Issue.record("a backwards instant in a list was accepted")
        } catch {
            #expect(error.index == 2)
        }
        #expect(r.stateJSON == before)
        #expect(try r.route(leads, at: [t0, t0 + 2, t0 + 2]).map { $0.owner ?? "-" } == ["a", "b", "a"])
    }

    @Test func setAvailableRefusesAnUnknownPerson() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}]"#)))
        #expect(throws: RouteError.self) { try r.setAvailable("nobody", false) }
        #expect(r.isAvailable("a") == true)
        try r.setAvailable("a", false)
        #expect(r.isAvailable("a") == false)
        #expect(r.isAvailable("nobody") == nil)
    }

    // MARK: Conditions on attributes, criteria and scores

    @Test func teamAndMemberConditionsReadAttributesCriteriaAndScores() throws {
        var r = try router(routing(
            team("round_robin", #"[{"id": "closer", "if": {"score": "total", "gte": 15}}, {"id": "junior"}]"#,
                 if: #"{"criterion": "big"}"#, id: "enterprise"),
            team("round_robin", #"[{"id": "joao", "if": {"attr": "language", "eq": "pt"}}, {"id": "maria"}]"#,
                 if: #"{"attr": "country", "in": ["es", "pt"]}"#, id: "iberia"),
            otherwise: #""nurture""#))
        // Big and a reply: total 15, so the closer takes it.
        let hot = try r.route(lead("1", ["employees": 5000], events: [Event("email.reply", at: t0 - day)]), at: t0)
        #expect(hot.team == "enterprise" && hot.owner == "closer")
        // Big without a reply: total 10; round robin after closer is junior anyway; again: closer does not match.
        #expect(try r.route(lead("2", ["employees": 5000]), at: t0 + 1).owner == "junior")
        #expect(try r.route(lead("3", ["employees": 5000]), at: t0 + 2).owner == "junior")
        // Iberia: joao only for Portuguese speakers (letter case and spaces ignored).
        #expect(try r.route(lead("4", ["country": " PT ", "language": "pt"]), at: t0 + 3).owner == "joao")
        #expect(try r.route(lead("5", ["country": "es", "language": "es"]), at: t0 + 4).owner == "maria")
        #expect(try r.route(lead("6", ["country": "es"]), at: t0 + 5).owner == "maria")
        let elsewhere = try r.route(lead("7", ["country": "us"]), at: t0 + 6)
        #expect(elsewhere.queue == "nurture" && elsewhere.skipped.isEmpty)
    }

    @Test func definitionsBuiltInSwiftRouteLikeTheirJSON() throws {
        let definition = RoutingDefinition(
            capacityWindowDays: 7,
            teams: [
                RoutingTeam("big", if: .criterion("big"), strategy: .leastLoaded,
                            members: [RoutingMember("ana", capacity: 2), RoutingMember("luis", weight: 2)]),
                RoutingTeam("rest", members: [RoutingMember("eva", if: .score(.total, .atLeast(5)))]),
            ], otherwise: "nurture")
        var built = try Router(model: routingModel(), routing: definition)
        var read = try router(#"""
            {"format": "funnel.routing/1", "capacity_window_days": 7,
             "teams": [{"id": "big", "if": {"criterion": "big"}, "strategy": "least_loaded",
                        "members": [{"id": "ana", "capacity": 2}, {"id": "luis", "weight": 2}]},
                       {"id": "rest", "members": [{"id": "eva", "if": {"score": "total", "gte": 5}}]}],
             "otherwise": "nurture"}
            """#)
        #expect(read.definition == definition)
        let leads = (0..<12).map { i in
            lead("L\(i)", ["employees": i % 2 == 0 ? 2000 : 10],
                 events: i % 3 == 0 ? [Event("email.reply", at: t0)] : [])
        }
        for (i, l) in leads.enumerated() {
            #expect(try built.route(l, at: t0 + Double(i)) == read.route(l, at: t0 + Double(i)))
        }
    }

    // MARK: Faults

    @Test func everyFaultOfARoutingDocumentIsReportedAtItsPath() throws {
        let found = try faults(#"""
            {"format": "funnel.routing/1", "capacity_window_days": 0,
             "teams": [
               {"id": "a", "strategy": "random", "members": [{"id": "x", "weight": 0}, {"id": "x", "capacity": 1.5}]},
               {"id": "a", "members": []},
               {"id": "b", "if": {"attr": "size", "gt": 1},
                "members": [{"id": "y", "capacity": -1, "if": {"criterion": "nope"}},
                            {"id": "z", "if": {"prop": "minutes", "gt": 1}, "weight": -2}]}
             ]}
            """#)
        #expect(found.contains(#"teams[0].strategy: unknown strategy "random" (expected round_robin, weighted or least_loaded)"#))
        #expect(found.contains("teams[0].members[1].capacity: expected a whole number from 0 to 2147483647, found 1.5"))
        #expect(found.contains("teams[2].members[0].capacity: expected a whole number from 0 to 2147483647, found -1"))

        let semantic = try faults(#"""
            {"format": "funnel.routing/1", "capacity_window_days": 0,
             "teams": [
               {"id": "a", "members": [{"id": "x", "weight": 0}, {"id": "x"}]},
               {"id": "a", "members": []},
               {"id": "b", "if": {"attr": "size", "gt": 1},
                "members": [{"id": "y", "if": {"criterion": "nope"}},
                            {"id": "z", "if": {"prop": "minutes", "gt": 1}, "weight": -2}]}
             ]}
            """#)
        #expect(semantic == [
            "capacity_window_days: expected a finite number > 0",
            "teams[0].members[0].weight: expected a finite number > 0",
            #"teams[0].members[1].id: duplicate id "x""#,
            #"teams[1].id: duplicate id "a""#,
            "teams[1].members: expected at least one member",
            #"teams[2].if.attr: unknown attribute "size""#,
            #"teams[2].members[0].if.criterion: unknown criterion "nope""#,
            "teams[2].members[1].if.prop: prop may be used only in a behaviour rule's if, not in a routing condition",
            "teams[2].members[1].weight: expected a finite number > 0",
        ])
        #expect(try faults(#"{"format": "funnel.routing/1", "teams": []}"#) == ["teams: expected at least one team"])
        #expect(try faults(#"{"format": "funnel.routing/2", "teams": [{"id": "a", "members": [{"id": "x"}]}], "extra": 1}"#)
            == [#"format: expected "funnel.routing/1", found "funnel.routing/2""#, "extra: unknown field"])
        #expect(try faults(#"{"teams": [{"id": "a", "members": [{"id": "x", "weight": "heavy"}]}]}"#)
            == ["format: required field is missing", "teams[0].members[0].weight: expected a number, found a string"])
        #expect(try faults("{") .count == 1)
        #expect(throws: RoutingError.self) {
            try Router(model: routingModel(), routing: RoutingDefinition(
                teams: [RoutingTeam("t", members: [RoutingMember("a", capacity: -1)])]))
        }
    }

    // MARK: State

    @Test func stateIsWrittenAndReadBack() throws {
        let text = routing(
            team("weighted", #"[{"id": "eva", "weight": 3}, {"id": "tom"}]"#, id: "inside"),
            team("round_robin", #"[{"id": "ana", "capacity": 5}]"#, id: "spare"), window: 2)
        var r = try router(text)
        try r.setAvailable("tom", false)
        _ = try owners(&r, 3)
        try r.setAvailable("tom", true)
        _ = try r.route(lead("late"), at: t0 + 3 * day)  // the first three leave the window
        try r.setAvailable("ana", false)
        let saved = r.stateJSON
        #expect(saved == #"{"format":"funnel.roster/1","last_at":1795259200,"people":{"eva":{"available":true,"assigned":[1795259200]},"tom":{"available":true,"assigned":[]},"ana":{"available":false,"assigned":[]}},"teams":{"inside":{"last":"eva","current":{"eva":-1,"tom":1}},"spare":{"last":null,"current":{"ana":0}}}}"#)
        var back = try Router(model: routingModel(), routing: RoutingDefinition(json: text), stateJSON: saved)
        #expect(back.stateJSON == saved)
        #expect(back.isAvailable("ana") == false)
        #expect(back.lastRoutedAt == t0 + 3 * day)
        #expect(throws: RouteError.self) { try back.route(lead("early"), at: t0) }
        for i in 0..<5 {
            #expect(try back.route(lead("n\(i)"), at: t0 + 4 * day) == r.route(lead("n\(i)"), at: t0 + 4 * day))
        }
    }

    @Test func stateIgnoresUnknownNamesAndRefusesMalformedDocuments() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}, {"id": "b"}]"#)))
        try r.restoreState(json: #"""
            {"format": "funnel.roster/1",
             "people": {"ghost": {"available": false, "assigned": [1]}, "b": {"assigned": ["2026-11-01T00:00:00Z"]}},
             "teams": {"gone": {"last": "a"}, "t": {"last": "a", "current": {"a": 2, "ghost": 5}}}}
            """#)
        #expect(r.lastRoutedAt == 1_793_491_200)
        #expect(r.load(of: "b", at: 1_793_491_200) == 1)
        #expect(try r.route(lead("1"), at: 1_793_491_200).owner == "b")  // last was a
        let before = r.stateJSON
        func refused(_ text: String) -> [String] {
            do {
                try r.restoreState(json: text)
                Issue.record("state accepted: \(text)")
                return []
            } catch {
                return error.faults.map(\.description)
            }
        }
        #expect(refused(#"{"format": "funnel.model/1"}"#) == [#"format: expected "funnel.roster/1", found "funnel.model/1""#])
        #expect(refused(#"{"people": {"a": {"available": "yes", "assigned": [1, "soon"]}}, "teams": {"t": {"current": {"a": "x"}, "next": 1}}}"#) == [
            "format: required field is missing",
            "people.a.available: expected true or false, found a string",
            #"people.a.assigned[1]: expected RFC 3339 date-time with a zone, found "soon""#,
            "teams.t.current.a: expected a number, found a string",
            "teams.t.next: unknown field",
        ])
        #expect(refused("[]") == ["expected an object, found an array"])
        #expect(r.stateJSON == before)
    }

    /// Over random routing documents, leads and availability changes, routing
    /// a list in one go equals routing it in two goes with the state written
    /// (as JSON text) and read back in between.
    @Test func oneGoEqualsTwoGoesWithTheStateWrittenAndReadBack() throws {
        let model = try routingModel()
        var random = SplitMix64(seed: 2026)
        let people = ["ana", "bo", "cy", "dee", "eli", "fay"]
        let countries: [LeadValue] = ["es", "pt", "us", .null]
        let strategies = RoutingStrategy.allCases
        for round in 0..<150 {
            var teams: [RoutingTeam] = []
            for t in 0..<(1 + random.below(4)) {
                var members: [RoutingMember] = []
                for person in people where random.chance(0.5) {
                    members.append(RoutingMember(
                        person,
                        if: random.chance(0.2) ? .attr("country", .isIn([.string(random.pick(["es", "pt"]))])) : nil,
                        weight: random.pick([0.5, 1, 2, 3]),
                        capacity: random.chance(0.4) ? random.below(4) : nil))
                }
                if members.isEmpty { members.append(RoutingMember(random.pick(people))) }
                teams.append(RoutingTeam(
                    "team\(t)", if: random.chance(0.3) ? .criterion("big") : nil,
                    strategy: random.pick(strategies), members: members))
            }
            let definition = RoutingDefinition(
                capacityWindowDays: random.pick([0.5, 1, 3]), teams: teams, otherwise: random.chance(0.5) ? "q" : nil)
            enum Step { case route(Lead, Double, Bool), available(String, Bool) }
            var steps: [Step] = []
            var t = t0
            for i in 0..<(10 + random.below(60)) {
                if random.chance(0.1) {
                    steps.append(.available(random.pick(people.filter { p in teams.contains { $0.members.contains { $0.id == p } } }), random.chance(0.5)))
                    continue
                }
                t += random.pick([0, 600, 3600, 20_000, 43_200])
                let l = lead(
                    "L\(i)", ["country": random.pick(countries), "employees": .number(random.pick([10, 5000]))],
                    owner: random.chance(0.1) ? "someone" : nil)
                steps.append(.route(l, t, random.chance(0.1)))
            }
            func run(_ router: inout Router, _ steps: ArraySlice<Step>) throws -> [RouteResult] {
                var results: [RouteResult] = []
                for step in steps {
                    switch step {
                    case .route(let l, let at, let reassign): results.append(try router.route(l, at: at, reassign: reassign))
                    case .available(let person, let flag): try router.setAvailable(person, flag)
                    }
                }
                return results
            }
            var oneGo = try Router(model: model, routing: definition)
            let all = try run(&oneGo, steps[...])
            let cut = random.below(steps.count + 1)
            var first = try Router(model: model, routing: definition)
            var results = try run(&first, steps[..<cut])
            var second = try Router(model: model, routing: definition, stateJSON: first.stateJSON)
            #expect(second.stateJSON == first.stateJSON, "round \(round)")
            results += try run(&second, steps[cut...])
            #expect(results == all, "round \(round), cut at \(cut)")
            #expect(second.stateJSON == oneGo.stateJSON, "round \(round)")
            // The property has teeth: some rounds route leads to owners and skip teams.
            if round == 0 { #expect(all.contains { $0.owner != nil && !$0.kept }) }
        }
    }

    /// Mangled routing and state documents load or fail with faults; they never trap.
    @Test func mangledDocumentsNeverTrap() throws {
        let model = try Model.default
        let routingBytes = Array(RoutingDefinition.sampleJSON.utf8)
        var sample = try Router(model: model, routing: RoutingDefinition.sample)
        _ = try sample.route(SampleLeads.generate(count: 40), at: SampleLeads.demoAsOf)
        let stateBytes = Array(sample.stateJSON.utf8)
        var random = SplitMix64(seed: 99)
        let replacements = Array(#"{}[]",:-0123456789.eE truefalsnul"#.utf8)
        var loaded = 0
        for _ in 0..<600 {
            var routingText = routingBytes
            var stateText = stateBytes
            for _ in 0..<(1 + random.below(3)) {
                routingText[random.below(routingText.count)] = random.pick(replacements)
                stateText[random.below(stateText.count)] = random.pick(replacements)
            }
            guard var router = try? Router(model: model, routingJSONBytes: routingText) else { continue }
            loaded += 1
            try? router.restoreState(jsonBytes: stateText)
            _ = try? router.route(SampleLeads.generate(count: 5), at: SampleLeads.demoAsOf + 1)
            _ = router.stateJSON
        }
        #expect(loaded > 0)
    }

    // MARK: JSON Lines (what funnel route and the C ABI use)

    @Test func jsonLinesRouteEachLineAtItsOwnInstantAndStopAtABadLine() throws {
        var r = try router(routing(team("round_robin", #"[{"id": "a"}, {"id": "b"}]"#)))
        let lines = [
            #"{"id": "1", "at": 1795000000}"#, #"{"id": "2"}"#, #"{"id": "3", "at": "2026-11-20T00:00:00Z"}"#,
            #"{"id": "4", "at": 1}"#, #"{"id": "5"}"#,
        ].map { Array($0.utf8) }
        var out: [UInt8] = []
        let failure = r.routeLines(lines, numbers: [1, 2, 4, 5, 6], at: t0 + 10, reassign: false, into: &out)
        #expect(failure?.error.line == 5)
        #expect(failure?.refused == true)
        #expect(failure?.error.message.hasPrefix("at: routing instants never go backwards") == true)
        let written = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(written.count == 3)
        #expect(written[0].hasPrefix(#"{"id":"1","team":"t","owner":"a""#))
        #expect(written[2].hasPrefix(#"{"id":"3","team":"t","owner":"a""#))
        #expect(r.lastRoutedAt == Timestamp.parseRFC3339("2026-11-20T00:00:00Z"))
        out = []
        let bad = r.routeLines([Array(#"{"id": "6", "attributes": {"employees": "x"}}"#.utf8)], numbers: [1],
                               at: 1_800_000_000, reassign: false, into: &out)
        #expect(bad?.description == "line 1: attributes.employees: expected a finite number, found a string")
        #expect(out.isEmpty)
    }
}
