import FoundationEssentials
import Testing

import FunnelTestSupport

@testable import Funnel

/// The Swift API as Swift developers use it: `Date` beside seconds, Codable
/// results and leads, errors compared through their static members, and the
/// parts of the house that every path shares (grades, the stage machine).
@Suite("Swift API")
struct SwiftAPITests {
    static let asOf = SpecFixtures.asOf

    static func lead() -> Lead {
        Lead(
            id: "L-1",
            attributes: ["industry": "Software", "employees": 120, "budget": 20000, "decision_maker": true,
                         "need": "crm", "timeline_days": 30, "tags": ["webinar"]],
            events: [Event("email.reply", at: asOf - 86_400 * 3), Event("call.completed", at: asOf - 3600,
                                                                          properties: ["minutes": 25])])
    }

    @Test func dateAndSecondsScoreAlike() throws {
        let model = try SpecFixtures.model()
        let date = Date(timeIntervalSince1970: Self.asOf)
        #expect(try model.score(Self.lead(), at: date) == model.score(Self.lead(), at: Self.asOf))
        #expect(try model.advance(Self.lead(), at: date) == model.advance(Self.lead(), at: Self.asOf))
        let batch = try LeadBatch(model: model, leads: [Self.lead()])
        #expect(batch.scores(at: date) == batch.scores(at: Self.asOf))
        #expect(batch.results(at: date) == batch.results(at: Self.asOf))
        #expect(Event("x", at: date).at == Self.asOf)
        var move = StageMove(from: "a", to: "b", at: 0, reason: nil, by: "x")
        move.date = date
        #expect(move.at == Self.asOf && move.date == date)
    }

    @Test func resultsAndLeadsRoundTripThroughCodable() throws {
        let model = try SpecFixtures.model()
        let result = try model.score(Self.lead(), at: Self.asOf)
        let encoded = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(ScoreResult.self, from: encoded) == result)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"disqualified_by\""))
        let advance = try model.advance(Self.lead(), at: Self.asOf)
        #expect(try JSONDecoder().decode(AdvanceResult.self, from: JSONEncoder().encode(advance)) == advance)
        let lead = Self.lead()
        let leadJSON = try JSONEncoder().encode(lead)
        #expect(try JSONDecoder().decode(Lead.self, from: leadJSON) == lead)
        // The coded lead is a SPEC §6 document that the library's own reader takes.
        #expect(try Lead(json: String(decoding: leadJSON, as: UTF8.self)) == lead)
    }

    @Test func moveErrorsCompareThroughTheirStaticMembers() throws {
        let model = try SpecFixtures.model()
        do {
            _ = try model.move(Lead(id: "L"), to: "closed", by: "ana", at: Self.asOf)
            Issue.record("moved to an unknown stage")
        } catch {
            #expect(error == .unknownStage("closed"))
            #expect(error.code == .unknownStage)
            #expect(error.stage == "closed")
            #expect(error.description == #"unknown stage "closed""#)
        }
        // A code the library does not know yet still describes itself.
        #expect(MoveError(MoveError.Code(rawValue: "future_refusal")).description == "move refused (future_refusal)")
    }

    @Test func theDefaultModelIsCompiledOnce() throws {
        #expect(try Model.default.compiled === Model.default.compiled)
    }

    @Test(arguments: [
        ([30.0, 20, 10], 25.0, Int32(1)), ([30.0, 20, 10], 5.0, -1), ([30.0, 20, 10], .nan, -1),
        ([10.0, 20, 30], 25.0, 0), ([10.0, 20, 30], 5.0, -1), ([10.0, 20, 30], .nan, -1),
        ([.nan, 20, 10], 25.0, 1), ([30.0, 30, 10], 30.0, 0),
    ])
    func gradeTableGivesTheFirstGradeReachedOnEveryPath(minimums: [Double], fit: Double, expected: Int32) {
        let table = GradeTable(minimums.enumerated().map { Grade("g\($0.offset)", min: $0.element) })
        #expect(table.index(fit) == expected)
        #expect(table.name(fit) == (expected >= 0 ? "g\(expected)" : nil))
        // The column path (pairs, then an odd last value): the fit in either
        // lane, beside minimums themselves, NaN, infinities and -0.
        let column = [fit, 25, -0.0, .nan, 30, fit, 10, .infinity, -.infinity, 20, fit]
        for count in [column.count, column.count - 1] {
            var out = [Int32](repeating: 7, count: count)
            column.withUnsafeBufferPointer { values in
                out.withUnsafeMutableBufferPointer {
                    table.indices(of: UnsafeBufferPointer(rebasing: values[0..<count]), into: $0)
                }
            }
            #expect(out == column[0..<count].map(table.index))
        }
    }

    @Test func aStageMachineAnswersFromAnyOracle() throws {
        // No scorer: an oracle that says every predicate holds and no disqualifier fires.
        struct Always: StageOracle {
            mutating func holds(_ root: Int32) -> Bool { true }
            mutating func firstDisqualifier() -> String? { nil }
            mutating func unmet(_ root: Int32, _ predicate: Funnel.Predicate) -> [String] { [] }
        }
        let model = try SpecFixtures.model()
        let stages = try #require(model.compiled.stages)
        var oracle = Always()
        let result = stages.advance("L", from: stages.start(-1), at: 7, &oracle)
        #expect(result.moves.first?.from == model.initialStage)
        #expect(result.moves.allSatisfy { $0.by == "auto" && $0.at == 7 })
        #expect(Set(result.moves.map(\.to)).count == result.moves.count)
    }
}
