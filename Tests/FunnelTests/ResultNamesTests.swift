import Testing

@testable import Funnel
import FunnelTestSupport

/// ``ResultNames``: the model's names in one block of bytes, read by
/// ``Scorer/writeResult(lead:to:)``; its results must stay the bytes of
/// `ScoreResult.jsonLines` (the `String` path) on random models.
@Suite struct ResultNamesTests {
    static let asOf = 1_796_083_200.0

    /// The bytes of name `k`.
    private static func name(_ view: ResultNames.View, _ k: Int) -> [UInt8] {
        let (start, count) = view.name(k)
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    @Test func everyGroupEmpty() {
        let names = ResultNames(Array(repeating: [], count: 8), fitPoints: [])
        let starts = names.view.starts
        #expect(starts.end == 0 && names.view.fitPoints == 0)
        #expect(starts.criterionCount == 0 && starts.disqualifierCount == 0 && starts.fitRuleCount == 0)
        #expect(starts.behaviorRuleCount == 0 && starts.groupCount == 0 && starts.engagementCount == 0)
        #expect(starts.descriptions == 0)
    }

    @Test func namesComeBackByGroupAndIndex() {
        let groups: [[[UInt8]]] = [
            [Array("fit-a".utf8), []],  // fit rules, one empty name
            [Array("b\\\"q".utf8)],  // behaviour rules: escaped text is kept as it is
            [],  // groups
            [Array("icp".utf8), Array("bant".utf8), Array(String(repeating: "x", count: 40).utf8)],
            [Array("spam".utf8)],
            [Array("A".utf8), Array("B".utf8)],
            [Array("hot".utf8)],
            [Array("industry is software".utf8)],
        ]
        let fitPoints = [Array("15".utf8), Array("-2.5".utf8)]
        let names = ResultNames(groups, fitPoints: fitPoints)
        let view = names.view
        let s = view.starts
        let starts = [s.fitRules, s.behaviorRules, s.groups, s.criteria, s.disqualifiers, s.grades, s.engagement, s.descriptions]
        for (g, group) in (groups + [fitPoints]).enumerated() {
            for (i, expected) in group.enumerated() {
                let start = g < starts.count ? starts[g] : view.fitPoints
                #expect(Self.name(view, start + i) == expected, "group \(g) name \(i)")
            }
        }
        #expect(s.end == groups.reduce(0) { $0 + $1.count } && view.fitPoints == s.end)
        #expect(s.fitRuleCount == 2 && s.behaviorRuleCount == 1 && s.groupCount == 0)
        #expect(s.criterionCount == 3 && s.disqualifierCount == 1 && s.engagementCount == 1)
        // Written between quotes, and as they are.
        var w = ByteWriter(capacity: 1)
        w.quoted(view, s.behaviorRules)
        w.name(view, view.fitPoints + 1)
        w.quoted(view, s.fitRules + 1)
        #expect(w.bytes == Array("\"b\\\"q\"-2.5\"\"".utf8))
    }

    /// The pickle's table numbers the same groups after its keys: each start
    /// is the JSON table's plus the keys' count.
    @Test func groupStartsFromAFirstIndex() {
        let counts = [2, 1, 0, 3, 1, 2, 1, 4]
        let json = ResultGroupStarts(first: 0, counts: counts)
        let pickle = ResultGroupStarts(first: 15, counts: counts)
        let a = [json.fitRules, json.behaviorRules, json.groups, json.criteria, json.disqualifiers, json.grades,
                 json.engagement, json.descriptions, json.end]
        let b = [pickle.fitRules, pickle.behaviorRules, pickle.groups, pickle.criteria, pickle.disqualifiers,
                 pickle.grades, pickle.engagement, pickle.descriptions, pickle.end]
        #expect(a == [0, 2, 3, 3, 6, 7, 9, 10, 14])
        #expect(b == a.map { $0 + 15 })
        #expect(pickle.engagementCount == 1 && pickle.criterionCount == 3 && pickle.groupCount == 0)
        // Fewer counts than groups: the rest are empty.
        let short = ResultGroupStarts(first: 4, counts: [1])
        #expect(short.behaviorRules == 5 && short.descriptions == 5 && short.end == 5)
    }

    /// Random models (names with escapes and accents among them): the
    /// written results are the `String` path's bytes.
    @Test func writtenResultsAreTheStringPathsBytes() throws {
        var random = RandomCases(seed: 0x5EED_0A17)
        var compared = 0
        for round in 0..<120 {
            let definition = random.model()
            guard let model = try? Model(definition) else { continue }
            var lines: [[UInt8]] = []
            for i in 0..<random.int(1...10) {
                lines.append(Array(random.lead(i, definition, asOf: Self.asOf).json.utf8))
            }
            let (batch, _) = LeadBatch.referenceIngest(
                lines: lines, numbers: Array(1...lines.count), model: model, threads: 1)
            guard batch.count > 0 else { continue }
            for asOf in [Self.asOf, Self.asOf - 86_400 * 90] {
                let written = batch.scoreLines(at: asOf, threads: 1)
                let expected = ScoreResult.jsonLines(batch.results(at: asOf, threads: 1))
                #expect(written == expected, "round \(round)")
                compared += 1
            }
        }
        #expect(compared > 100)
    }
}
