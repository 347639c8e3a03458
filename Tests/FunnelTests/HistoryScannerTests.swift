import Testing

@testable import Funnel

/// The fast path (`HistoryScanner`) must accept only lines the strict reader
/// accepts, and read them the same way.
@Suite("History line fast path agrees with the strict reader")
struct HistoryScannerTests {
    /// Checks one line; returns whether the fast path took it.
    @discardableResult
    private func agree(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var copy = text
        return copy.withUTF8 { buffer -> Bool in
            let bytes = UnsafeRawBufferPointer(buffer)
            guard let fast = HistoryScanner.scan(bytes) else { return false }
            let strict: HistoryLine
            do {
                strict = try HistoryReader.read(bytes, line: 1)
            } catch {
                Issue.record("fast path accepted what the strict reader refuses (\(error)): \(text)", sourceLocation: sourceLocation)
                return true
            }
            func string(_ t: HistoryScanner.Text?) -> String? {
                t.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0.start..<($0.start + $0.count)]), as: UTF8.self) }
            }
            let same: Bool
            switch (fast.kind, strict) {
            case (.lead, .lead(let lead, let at, let channel)):
                same = string(fast.lead) == lead && fast.at.bitPattern == at.bitPattern && string(fast.channel) == channel
            case (.move, .move(let lead, let from, let to, let at, let reason, _)):
                same = string(fast.lead) == lead && string(fast.from) == from && string(fast.to) == to
                    && fast.at.bitPattern == at.bitPattern && string(fast.reason) == reason
            case (.deal, .deal(let lead, let value, let at)):
                same = string(fast.lead) == lead && fast.number.bitPattern == value.bitPattern
                    && fast.at.bitPattern == at.bitPattern
            case (.cost, .cost(let channel, let amount, let at)):
                same = string(fast.channel) == channel && fast.number.bitPattern == amount.bitPattern
                    && fast.at.bitPattern == at.bitPattern
            default:
                same = false
            }
            #expect(same, "fast \(fast) vs strict \(strict): \(text)", sourceLocation: sourceLocation)
            return true
        }
    }

    @Test func commonLinesTakeTheFastPath() {
        #expect(agree(#"{"kind":"lead","lead":"L-1","at":1793491200,"channel":"web"}"#))
        #expect(agree(#"{"kind": "lead", "lead": "L-1", "at": "2026-11-01T10:00:00.250+02:00", "channel": null}"#))
        #expect(agree(#"{"kind":"lead","lead":"L-1","at":-0}"#))
        #expect(agree(#" { "at" : 1.5 , "lead" : "x" , "kind" : "lead" } "#))
        #expect(agree(#"{"kind":"move","lead":"L-1","from":"new","to":"mql","at":1793491200.123456,"reason":null,"by":"auto"}"#))
        #expect(agree(#"{"kind":"move","lead":"L-1","from":"new","to":"mql","at":1e9}"#))
        #expect(agree(#"{"kind":"move","lead":"L-1","from":"a","to":"b","at":12345678901234567890.5,"reason":"x","by":null}"#))
        #expect(agree(#"{"kind":"deal","lead":"L-1","value":0.1,"at":1E+2}"#))
        #expect(agree(#"{"kind":"deal","lead":"L-1","value":123456789012345678,"at":0.000000000000000000000001}"#))
        #expect(agree(#"{"kind":"cost","channel":"web","amount":500,"at":1}"#))
        #expect(agree(#"{"kind":"cost","amount":0,"at":1,"channel":null}"#))
    }

    @Test func unusualOrWrongLinesGoToTheStrictReader() {
        let lines = [
            #"{"kind":"lead","lead":"L\u00e9","at":1}"#, #"{"kind":"lead","lead":"Lé","at":1}"#,
            #"{"kind":"lead","lead":"L","at":1,"lead":"M"}"#, #"{"kind":"lead","lead":"L","at":1,"x":1}"#,
            #"{"kind":"lead","lead":"","at":1}"#, #"{"kind":"lead","lead":"L"}"#, #"{"kind":"lead","at":1}"#,
            #"{"kind":"lead","lead":"L","at":true}"#, #"{"kind":"lead","lead":"L","at":"2026-11-01T10:00:00"}"#,
            #"{"kind":"lead","lead":"L","at":null}"#, #"{"kind":"lead","lead":"L","at":1e999}"#,
            #"{"kind":"lead","lead":"L","at":01}"#, #"{"kind":"lead","lead":"L","at":1.}"#, #"{"kind":"lead","lead":"L","at":-}"#,
            #"{"kind":"lead","lead":"L","at":1}x"#, #"{"kind":"lead","lead":"L","at":1,}"#, #"{"kind":"visit","lead":"L","at":1}"#,
            #"{"kind":"lead","lead":"L","at":1,"channel":""}"#, #"{"kind":"lead","lead":"L","at":1,"channel":5}"#,
            #"{"kind":"move","lead":"L","from":"a","to":"b","at":1,"by":""}"#, #"{"kind":"move","lead":"L","from":"a","at":1}"#,
            #"{"kind":"move","lead":"L","from":"a","to":null,"at":1}"#, #"{"kind":"deal","lead":"L","value":-1,"at":1}"#,
            #"{"kind":"deal","lead":"L","value":"1","at":1}"#, #"{"kind":"cost","amount":1,"at":1,"lead":"L"}"#,
            #"{"kind":"cost","channel":{"a":1},"amount":1,"at":1}"#, "{}", "[]", "", "nul", #"{"kind":"lead""#,
            "{\"kind\":\"lead\",\"lead\":\"L\u{1}\",\"at\":1}", #"{"kind":"lead","lead":"L","at":"1"}"#,
        ]
        for line in lines { #expect(!agree(line), "took the fast path: \(line)") }
    }

    /// Random lines and random one-byte edits of them: whatever the fast path takes, the strict reader reads the same.
    @Test func randomLinesAndEdits() {
        var random = SplitMix64(seed: 7)
        let keys = ["kind", "lead", "at", "channel", "from", "to", "reason", "by", "value", "amount", "x"]
        let values = [
            #""lead""#, #""move""#, #""deal""#, #""cost""#, #""L-1""#, #""new""#, #""""#, "null", "true", "0", "-0",
            "12", "1.25", "-3", "1e3", "1793491200.987654", "99999999999999999999", #""2026-11-01T10:00:00Z""#,
            #""2026-02-30T10:00:00Z""#, #""a\"b""#, #""é""#, "[1]", "{}", "0.1e-2", "5E+1",
        ]
        var fast = 0
        let mutations: [UInt8] = Array(#"{}[]:,"\ -.0123456789eEnulx"#.utf8)
        for _ in 0..<4000 {
            var members: [String] = []
            let kind = ["lead", "move", "deal", "cost"][random.below(4)]
            members.append(#""kind":"\#(kind)""#)
            for _ in 0..<random.below(7) {
                members.append("\"\(random.pick(keys))\": \(random.pick(values))")
            }
            if random.chance(0.7) {
                switch kind {
                case "lead": members += [#""lead":"L-\#(random.below(100))""#, #""at":\#(random.below(1_000_000))"#]
                case "move": members += [#""lead":"L","from":"new","to":"mql""#, #""at":\#(random.pick(values))"#]
                case "deal": members += [#""lead":"L","value":\#(random.pick(values))"#, #""at":1"#]
                default: members += [#""amount":\#(random.pick(values))"#, #""at":"2026-11-01T10:00:00Z""#]
                }
            }
            for k in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(k, random.below(k + 1)) }
            let line = "{" + members.joined(separator: random.chance(0.5) ? "," : " , ") + "}"
            if agree(line) { fast += 1 }
            var bytes = Array(line.utf8)
            let at = random.below(bytes.count)
            switch random.below(3) {
            case 0: bytes.remove(at: at)
            case 1: bytes.insert(random.pick(mutations), at: at)
            default: bytes[at] = random.pick(mutations)
            }
            agree(String(decoding: bytes, as: UTF8.self))
        }
        #expect(fast > 100)  // the generator does reach the fast path
    }
}
