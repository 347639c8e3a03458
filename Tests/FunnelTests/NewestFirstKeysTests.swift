import Testing

@testable import Funnel
import FunnelTestSupport

/// `NewestFirstKeys` orders a lead's events exactly as a stable newest-first
/// comparison sort does, and the JSON Lines reader that sorts with it fills
/// the batch the reference path fills, whatever the times.
@Suite struct NewestFirstKeysTests {
    /// The places of `times` newest first, equal times in input order.
    static func stableOrder(_ times: [Double]) -> [Int] {
        times.indices.sorted { times[$0] != times[$1] ? times[$0] > times[$1] : $0 < $1 }
    }

    /// The places `NewestFirstKeys` sorts `times` into (every time keyed).
    static func keyedOrder(_ times: [Double]) -> [Int]? {
        let keys = times.enumerated().map { NewestFirstKeys.key(at: $0.element, index: $0.offset) }
        guard keys.allSatisfy({ $0 != nil }) else { return nil }
        let room = NewestFirstKeys.capacity(for: times.count)
        var buffer = [UInt64](repeating: 7, count: 2 * room)
        for (k, key) in keys.enumerated() { buffer[k] = key ?? 0 }
        buffer.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            NewestFirstKeys.sort(base, count: times.count, scratch: base + room)
        }
        return buffer.prefix(times.count).map(NewestFirstKeys.index)
    }

    @Test func keysSortAsTheStableComparisonSort() {
        var rng = SplitMix64(seed: 0x50_27ED)
        // Every count to past two merge levels, and a few long leads.
        for count in Array(0...70) + [127, 128, 129, 500] {
            for round in 0..<6 {
                // Few distinct times (many ties), many, in order, reversed.
                let spread = [1, 3, count, 1 << 30][round % 4]
                var times = (0..<count).map { _ in 1_790_000_000 + Double(Int.random(in: 0..<max(1, spread), using: &rng)) }
                if round == 4 { times.sort() }
                if round == 5 { times.sort(by: >) }
                #expect(Self.keyedOrder(times) == Self.stableOrder(times), "count \(count), round \(round)")
            }
        }
    }

    @Test func keysOfTheEdges() {
        #expect(NewestFirstKeys.key(at: 0, index: 0) != nil)
        // -0 is 0: equal times, so input order.
        #expect(Self.keyedOrder([0, -0.0, 0]) == [0, 1, 2])
        #expect(Self.keyedOrder([-0.0, 1, 0]) == [1, 0, 2])
        #expect(NewestFirstKeys.key(at: NewestFirstKeys.timeLimit - 1, index: NewestFirstKeys.eventLimit - 1) != nil)
        #expect(Self.keyedOrder([NewestFirstKeys.timeLimit - 1, 0, NewestFirstKeys.timeLimit - 2]) == [0, 2, 1])
        for at in [-1, 0.5, -0.5, 1_796_083_200.25, NewestFirstKeys.timeLimit, 1e300, .infinity, -.infinity, .nan] {
            #expect(NewestFirstKeys.key(at: at, index: 0) == nil, "\(at)")
        }
        #expect(NewestFirstKeys.capacity(for: 0) == 1)
        #expect(NewestFirstKeys.capacity(for: 1) == 9)
        #expect(NewestFirstKeys.capacity(for: 8) == 9)
        #expect(NewestFirstKeys.capacity(for: 9) == 17)
    }

    /// Leads whose events come in any order, with ties, times the keys take
    /// and times they do not (fractions, negatives, RFC 3339 with fractions,
    /// far futures), events before `behavior_since`, read by the fast reader
    /// and by the reference path: the same batch and the same results.
    @Test func leadsInAnyOrderReadAsTheReferenceReadsThem() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t", "attributes": {"employees": "number"},
                 "scoring": {
                   "fit": [{"id": "f", "if": {"attr": "employees", "gte": 10}, "points": 1}],
                   "behavior": [{"id": "r", "event": "email.reply", "points": 2, "cap": 9},
                                {"id": "w", "event": "web.*", "points": 0.25, "cap": 4},
                                {"id": "c", "event": "call", "if": {"prop": "minutes", "gte": 20}, "points": 5}],
                   "half_life_days": 30, "window_days": 90}}
                """#)
        var rng = SplitMix64(seed: 0x50_27EE)
        let types = ["email.reply", "web.visit", "web.page", "call", "other.thing"]
        var lines: [[UInt8]] = []
        for lead in 0..<200 {
            let count = [0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 70][lead % 11] + Int.random(in: 0...2, using: &rng)
            var events: [String] = []
            for _ in 0..<count {
                let type = types[Int.random(in: 0..<types.count, using: &rng)]
                let base = 1_796_000_000 + Int.random(in: -4_000_000...80_000, using: &rng) / [1, 1000, 1][lead % 3]
                let at: String
                switch Int.random(in: 0..<40, using: &rng) {
                case 0 where lead % 4 == 0: at = "\(base).5"
                case 1 where lead % 4 == 0: at = "\"2026-11-30T10:00:00.25Z\""
                case 2 where lead % 8 == 0: at = "-\(base)"
                case 3 where lead % 8 == 0: at = "1e15"
                default: at = "\(base)"
                }
                let props = type == "call" ? #","props":{"minutes":\#(Int.random(in: 0...40, using: &rng))}"# : ""
                events.append(#"{"type":"\#(type)","at":\#(at)\#(props)}"#)
            }
            let since = lead % 5 == 0 ? #","behavior_since":1795000000"# : ""
            lines.append(
                Array(
                    #"{"id":"L\#(lead)","attributes":{"employees":\#(lead)}\#(since),"events":[\#(events.joined(separator: ","))]}"#
                        .utf8))
        }
        #expect(LeadLineReaderTests.fastCount(lines, model) * 4 >= lines.count * 3)
        LeadLineReaderTests.compareIngest(lines, model, "any order")
        LeadLineReaderTests.compareResults(lines, model, "any order")
    }
}
