import Testing

@testable import Funnel
import FunnelTestSupport

/// The member keys of a JSON object, in order.
private func keys(_ json: String) throws -> [String] {
    guard case .object(let members) = try JSONParser.parse(json) else {
        Issue.record("not an object: \(json)")
        return []
    }
    return members.map(\.key)
}

@Suite("Score result output (SPEC §7)")
struct OutputTests {
    /// The SPEC §6 lead, with its reply exactly one half-life old so numbers are round.
    private func specResult() throws -> ScoreResult {
        let model = try SpecFixtures.model()
        let asOf = SpecFixtures.asOf
        let lead = try Lead(
            json: """
                {"id": "L-1001",
                 "attributes": {"industry": "Software", "employees": 120, "tags": ["webinar"]},
                 "events": [{"type": "email.reply", "at": \(asOf - 30 * day)},
                            {"type": "call.completed", "at": \(asOf - 60 * day), "props": {"minutes": 25}}]}
                """)
        return try model.score(lead, at: asOf)
    }

    @Test func specShapeKeysAndOrder() throws {
        let result = try specResult()
        let json = result.json
        let found = try keys(json)
        #expect(Array(found.prefix(8)) == [
            "id", "fit", "behavior", "total", "grade", "criteria", "disqualified_by", "contributions",
        ])
        // More fields may follow, never in front.
        #expect(Set(found).count == found.count)
    }

    @Test func specDocumentExactly() throws {
        let json = try specResult().json
        // reply: 2 * 2^-1 = 1; long call: 5 * 2^-2 = 1.25.
        let expected = #"{"id":"L-1001","fit":25,"behavior":2.25,"total":27.25,"grade":"A","#
            + #""criteria":{"icp":true,"bant":false},"disqualified_by":[],"#
            + #""contributions":[{"rule":"target-industry","points":15},{"rule":"mid-market","points":10},"#
            + #"{"rule":"reply","points":1},{"rule":"long-call","points":1.25}]"#
        #expect(json.hasPrefix(expected), "\(json)")
        #expect(json.hasSuffix("}"))
        // Compact: no white space between tokens.
        #expect(!json.contains(": "))
        #expect(!json.contains(", "))
        #expect(!json.contains("\n"))
    }

    @Test func documentParsesToTheSameValues() throws {
        let result = try specResult()
        let value = try JSONParser.parse(result.json)
        #expect(value["id"] == .string("L-1001"))
        #expect(value["fit"] == .number(25))
        #expect(value["behavior"] == .number(result.behavior))
        #expect(value["total"] == .number(result.total))
        #expect(value["grade"] == .string("A"))
        #expect(value["criteria"] == .object([JSONMember("icp", .bool(true)), JSONMember("bant", .bool(false))]))
        #expect(value["disqualified_by"] == .array([]))
        guard case .array(let contributions)? = value["contributions"] else {
            Issue.record("contributions is not an array")
            return
        }
        #expect(contributions.count == 4)
        for item in contributions {
            guard case .object(let members) = item else {
                Issue.record("contribution is not an object")
                continue
            }
            #expect(members.map(\.key) == ["rule", "points"])
        }
    }

    @Test func integralNumbersPrintWithoutAFraction() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1", "attributes": {"n": "number"},
                 "scoring": {"fit": [{"id": "f", "if": {"attr": "n", "exists": true}, "points": 25.0}],
                             "behavior": [{"id": "b", "event": "e", "points": -3}]}}
                """)
        let result = try model.score(Lead(id: "x", attributes: ["n": 1], events: [Event("e", at: 0)]), at: 0)
        let json = result.json
        #expect(json.contains(#""fit":25,"#))
        #expect(json.contains(#""behavior":-3,"#))
        #expect(json.contains(#""total":22,"#))
        #expect(json.contains(#"{"rule":"f","points":25}"#))
        #expect(json.contains(#"{"rule":"b","points":-3}"#))
        #expect(!json.contains(".0"))
    }

    @Test func zeroScoresPrintAsZero() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1",
                 "scoring": {"behavior": [{"id": "b", "event": "e", "points": -3, "cap": 1}],
                             "behavior_limits": {"min": 0}}}
                """)
        let result = try model.score(Lead(id: "x"), at: 0)
        #expect(result.json.hasPrefix(#"{"id":"x","fit":0,"behavior":0,"total":0,"grade":null,"criteria":{},"#
            + #""disqualified_by":[],"contributions":[]"#))
        let capped = try model.score(Lead(id: "x", events: [Event("e", at: 0)]), at: 0)
        #expect(capped.json.contains(#""behavior":0,"total":0,"#))
        #expect(capped.json.contains(#"{"rule":"b","points":-1}"#))
    }

    @Test func fractionalNumbersRoundTrip() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1",
                 "scoring": {"behavior": [{"id": "b", "event": "e", "points": 0.1}], "half_life_days": 7}}
                """)
        let result = try model.score(Lead(id: "x", events: [Event("e", at: 0), Event("e", at: 1000)]), at: 3 * day)
        let value = try JSONParser.parse(result.json)
        guard case .number(let behavior)? = value["behavior"] else {
            Issue.record("behavior is not a number")
            return
        }
        #expect(behavior == result.behavior)
        #expect(behavior > 0.1 && behavior < 0.2)
    }

    @Test func gradeNullWhenNoneHolds() throws {
        let model = try SpecFixtures.model()
        let result = try model.score(Lead(id: "nobody"), at: SpecFixtures.asOf)
        #expect(result.grade == nil)
        #expect(result.json.contains(#""grade":null,"#))
        #expect(result.json.hasPrefix(#"{"id":"nobody","fit":0,"behavior":0,"total":0,"grade":null,"#))
    }

    @Test func disqualifiedByAndStringEscapes() throws {
        let model = try Model(
            json: """
                {"format": "funnel.model/1", "attributes": {"tags": "strings"},
                 "criteria": {"say \\"hi\\"": {"attr": "tags", "contains": "x"}},
                 "disqualify": [{"id": "b\\\\ad", "if": {"attr": "tags", "contains": "x"}},
                                {"id": "ünï", "if": {"attr": "tags", "any_of": ["x"]}}]}
                """)
        let result = try model.score(Lead(id: "L\n1", attributes: ["tags": ["x"]]), at: 0)
        #expect(result.disqualifiedBy == [#"b\ad"#, "ünï"])
        let json = result.json
        #expect(json.hasPrefix(#"{"id":"L\n1","#))
        #expect(json.contains(#""criteria":{"say \"hi\"":true}"#))
        #expect(json.contains(#""disqualified_by":["b\\ad","ünï"]"#))
        let value = try JSONParser.parse(json)
        #expect(value["id"] == .string("L\n1"))
    }

    @Test func stageMoveJSON() {
        let move = StageMove(from: "mql", to: "disqualified", at: 99, reason: "no_budget", by: "auto")
        #expect(move.json == #"{"from":"mql","to":"disqualified","reason":"no_budget","by":"auto"}"#)
        let plain = StageMove(from: "new", to: "profiled", at: 0, reason: nil, by: "ann")
        #expect(plain.json == #"{"from":"new","to":"profiled","reason":null,"by":"ann"}"#)
    }
}
