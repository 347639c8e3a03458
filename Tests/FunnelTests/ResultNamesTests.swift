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
        let names = ResultNames(Array(repeating: [], count: 9))
        let view = names.view
        #expect(view.end == 0)
        #expect(view.criterionCount == 0 && view.disqualifierCount == 0 && view.fitRuleCount == 0)
        #expect(view.behaviorRuleCount == 0 && view.groupCount == 0)
        #expect(view.descriptions == 0)
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
            [Array("15".utf8), Array("-2.5".utf8)],
            [Array("industry is software".utf8)],
        ]
        let names = ResultNames(groups)
        let view = names.view
        let starts = [
            view.fitRules, view.behaviorRules, view.groups, view.criteria, view.disqualifiers, view.grades,
            view.engagement, view.fitPoints, view.descriptions,
        ]
        for (g, group) in groups.enumerated() {
            for (i, expected) in group.enumerated() {
                #expect(Self.name(view, starts[g] + i) == expected, "group \(g) name \(i)")
            }
        }
        #expect(view.end == groups.reduce(0) { $0 + $1.count })
        #expect(view.fitRuleCount == 2 && view.behaviorRuleCount == 1 && view.groupCount == 0)
        #expect(view.criterionCount == 3 && view.disqualifierCount == 1)
        // Written between quotes, and as they are.
        var w = ByteWriter(capacity: 1)
        w.quoted(view, view.behaviorRules)
        w.name(view, view.fitPoints + 1)
        w.quoted(view, view.fitRules + 1)
        #expect(w.bytes == Array("\"b\\\"q\"-2.5\"\"".utf8))
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
