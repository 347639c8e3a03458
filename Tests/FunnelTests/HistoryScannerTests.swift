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

@Suite("History scanner words")
struct HistoryScannerWordTests {
    /// The little-endian word of a text's bytes, as the scanner compares keys.
    static func word(_ text: String) -> UInt64 {
        var w: UInt64 = 0
        for (k, byte) in text.utf8.enumerated() { w |= UInt64(byte) << UInt64(8 * k) }
        return w
    }

    @Test func wordsSpellTheirNames() {
        typealias W = HistoryScanner.Word
        let expected: [(String, UInt64)] = [
            ("at", W.at), ("to", W.to), ("by", W.by), ("kind", W.kind), ("lead", W.lead), ("from", W.from),
            ("value", W.value), ("amount", W.amount), ("reason", W.reason), ("channel", W.channel),
            ("move", W.move), ("deal", W.deal), ("cost", W.cost),
        ]
        for (text, word) in expected { #expect(Self.word(text) == word, "\(text)") }
    }

    @Test func specialBytesFindTheFirstByteThatEndsPlainText() {
        // Every position and every kind of byte, with plain text before it and anything after it.
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A, 0x80, 0xFF, 0xC3]
        let fillers: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x61, 0x30]
        for position in 0..<8 {
            for special in specials {
                for after in specials + fillers {
                    var bytes = [UInt8](repeating: 0, count: 8)
                    for k in 0..<8 { bytes[k] = k < position ? fillers[k] : (k == position ? special : after) }
                    let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let flags = HistoryScanner.specialBytes(w)
                    #expect(flags.trailingZeroBitCount >> 3 == position, "\(bytes)")
                }
            }
        }
        let plain = [UInt8]("a-Z 9~!#".utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(HistoryScanner.specialBytes(plain) == 0)
    }
}

@Suite("Report replay order")
struct ReportReplayOrderTests {
    /// `sortByTime` is the (at, line order) sort the replay needs, for short and long runs, ties and -0.0.
    @Test(arguments: [0, 1, 2, 5, 32, 33, 200])
    func stableByTime(count: Int) {
        var random = SplitMix64(seed: UInt64(count) &+ 3)
        let times: [Double] = [0, -0.0, 1, 1, 2, 86_400, -5]
        var steps = (0..<(count + 6)).map { k in
            ReportBuilder.Step(at: random.pick(times), to: Int32(k), reason: -1)
        }
        let range = 3..<(3 + count)
        let expected = steps[range].enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element.to)
        let before = steps
        ReportBuilder.sortByTime(&steps, range)
        #expect(steps[range].map(\.to) == expected)
        #expect(steps[..<3].map(\.to) == before[..<3].map(\.to))
        #expect(steps[range.upperBound...].map(\.to) == before[range.upperBound...].map(\.to))
    }
}
