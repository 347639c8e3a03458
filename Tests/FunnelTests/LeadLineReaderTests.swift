import Testing

@testable import Funnel
import FunnelTestSupport

/// The JSON Lines fast reader against the reference path (`JSONParser`,
/// `Lead(jsonValue:)`, `LeadBatch.append`): on random and hostile lines both
/// must give the same batch (ids, scores, result documents to the byte) or
/// the same error (line, kind and message).
@Suite struct LeadLineReaderTests {
    static let asOf = 1_796_083_200.0

    /// Ingests `lines` both ways and records every difference.
    static func compareIngest(_ lines: [[UInt8]], _ model: Model, _ context: String) {
        let numbers = Array(1...max(1, lines.count)).prefix(lines.count).map { $0 * 2 }
        let (fast, fastError) = LeadBatch.ingest(lines: lines, numbers: Array(numbers), model: model, threads: 1)
        let (reference, referenceError) = LeadBatch.referenceIngest(
            lines: lines, numbers: Array(numbers), model: model, threads: 1)
        #expect(fastError?.line == referenceError?.line, "\(context)")
        #expect(fastError?.isParseError == referenceError?.isParseError, "\(context)")
        #expect(fastError?.message == referenceError?.message, "\(context)")
        #expect(fast.count == reference.count, "\(context)")
        #expect(fast.ids == reference.ids, "\(context)")
        guard fast.count == reference.count else { return }
        for asOf in [asOf, asOf - 86_400 * 200, 0] {
            #expect(fast.scoreLines(at: asOf, threads: 1) == reference.scoreLines(at: asOf, threads: 1), "\(context)")
            let (a, b) = (fast.scores(at: asOf, threads: 1), reference.scores(at: asOf, threads: 1))
            #expect(a.fit.map(\.bitPattern) == b.fit.map(\.bitPattern), "\(context)")
            #expect(a.behavior.map(\.bitPattern) == b.behavior.map(\.bitPattern), "\(context)")
            #expect(fast.advanceLines(at: asOf, threads: 1) == reference.advanceLines(at: asOf, threads: 1), "\(context)")
        }
    }

    /// `lines` as one JSON Lines text (blank lines between, `\r\n` and
    /// `\n` ends, with and without a last newline) through
    /// ``JSONLinesResults`` in one chunk and cut into many, on one thread
    /// and on several: the bytes `referenceIngest` + `scoreLines`/`advanceLines`
    /// give, and the same error with its line number.
    static func compareResults(_ lines: [[UInt8]], _ model: Model, _ context: String) {
        var text: [UInt8] = []
        var numbers: [Int] = []
        for (k, line) in lines.enumerated() {
            if k % 3 == 1 { text += Array(" \t\n".utf8) }
            text += line
            numbers.append(text.count(where: { $0 == 0x0A }) + 1)
            text += k % 2 == 0 ? [0x0A] : [0x0D, 0x0A]
        }
        let (reference, referenceError) = LeadBatch.referenceIngest(
            lines: lines, numbers: numbers, model: model, threads: 1)
        for kind in [JSONLinesResults.Kind.score, .advance] {
            let expected = kind == .score
                ? reference.scoreLines(at: asOf, threads: 1) : reference.advanceLines(at: asOf, threads: 1)
            for (threads, chunkBytes) in [(1, 1 << 16), (1, 7), (2, 1), (3, 50)] {
                for unterminated in [false, true] {
                    let input = unterminated && text.last == 0x0A ? Array(text.dropLast()) : text
                    let output = input.withUnsafeBytes {
                        JSONLinesResults.results(
                            of: $0, model: model, kind: kind, asOf: asOf, threads: threads, firstLine: 5,
                            chunkBytes: chunkBytes)
                    }
                    let where_ = "\(context), \(kind), \(threads) threads, unterminated \(unterminated)"
                    guard let expected else {
                        #expect(output == nil, "\(where_)")
                        continue
                    }
                    guard let output else {
                        Issue.record("\(where_): no output")
                        continue
                    }
                    #expect(output.bytes == expected, "\(where_)")
                    #expect(output.leads == reference.count, "\(where_)")
                    #expect(output.error?.line == referenceError.map { $0.line + 4 }, "\(where_)")
                    #expect(output.error?.isParseError == referenceError?.isParseError, "\(where_)")
                    #expect(output.error?.message == referenceError?.message, "\(where_)")
                    if referenceError == nil { #expect(output.lines == numbers.last ?? 0, "\(where_)") }
                }
            }
        }
    }

    /// One lead at a time (`funnel_score_json`'s fast path): the bytes of
    /// the reference result document, or `nil` where the reference fails.
    /// Each line also goes, twice over, through one ``OneLeadScratch`` kept
    /// from line to line (as the C ABI keeps one per model handle): it must
    /// give the same bytes whatever went through it before.
    static func compareOneLead(_ lines: [[UInt8]], _ model: Model, _ context: String) {
        let scratch = OneLeadScratch(model: model)
        for line in lines + lines {
            let fast = line.withUnsafeBufferPointer { model.scoreResultJSON($0, at: asOf) }
            let reused = line.withUnsafeBufferPointer { document -> [UInt8]? in
                scratch.scoreResultJSON(document, at: asOf) ? scratch.withResult { Array($0) } : nil
            }
            #expect(reused == fast, "\(context): scratch: \(String(decoding: line, as: UTF8.self))")
            guard let fast else { continue }
            do {
                let lead = try line.withUnsafeBytes { raw throws(LeadError) in try Lead(jsonBytes: raw) }
                let reference = Array(try model.score(lead, at: asOf).json.utf8)
                #expect(fast == reference, "\(context): \(String(decoding: line, as: UTF8.self))")
            } catch {
                Issue.record("\(context): read fast, but the reference fails: \(error)")
            }
        }
    }

    /// How many of `lines` the fast reader reads itself.
    static func fastCount(_ lines: [[UInt8]], _ model: Model) -> Int {
        var reader = LeadLineReader(model: model.compiled)
        var arena = LeadLineArena()
        var record = LeadLineRecord()
        return lines.filter { line in line.withUnsafeBufferPointer { reader.read($0, into: &record, arena: &arena) } }
            .count
    }

    @Test func randomLeadsReadAsTheReferenceReadsThem() throws {
        var random = RandomCases(seed: 0x5EED_0001)
        var fastLines = 0
        var allLines = 0
        for round in 0..<150 {
            let definition = random.model()
            guard let model = try? Model(definition) else { continue }
            var lines: [[UInt8]] = []
            for i in 0..<random.int(1...12) {
                lines.append(Array(random.lead(i, definition, asOf: Self.asOf).json.utf8))
            }
            fastLines += Self.fastCount(lines, model)
            allLines += lines.count
            Self.compareIngest(lines, model, "round \(round)")
            Self.compareOneLead(lines, model, "round \(round)")
            Self.compareResults(lines, model, "round \(round)")
        }
        // Many random leads hold an escape (their words are padded with tabs
        // and newlines) or a type mismatch, which take the reference path;
        // the rest, accented strings included, must take the fast one.
        #expect(fastLines * 5 >= allLines, "only \(fastLines) of \(allLines) lines read fast")
    }

    @Test func hostileLinesFailOrReadAsTheReferenceDoes() throws {
        var random = RandomCases(seed: 0x5EED_0002)
        var mutator = LineMutator(seed: 0x5EED_0003)
        for round in 0..<300 {
            let definition = random.model()
            guard let model = try? Model(definition) else { continue }
            var lines: [[UInt8]] = []
            for i in 0..<random.int(1...6) {
                var line = Array(random.lead(i, definition, asOf: Self.asOf).json.utf8)
                for _ in 0..<mutator.int(0...3) { line = mutator.mutate(line) }
                if !JSONLines.isBlank(line) && !line.contains(0x0A) { lines.append(line) }
            }
            Self.compareIngest(lines, model, "round \(round): \(lines.map { String(decoding: $0, as: UTF8.self) })")
            Self.compareOneLead(lines, model, "round \(round)")
            Self.compareResults(lines, model, "round \(round)")
        }
    }

    @Test func shapesTheReaderLeavesOrTakes() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t",
                 "attributes": {"industry": "string", "employees": "number", "dm": "bool", "tags": "strings"},
                 "scoring": {
                   "fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 10},
                           {"id": "g", "if": {"attr": "tags", "contains": "trial"}, "points": 1.5}],
                   "behavior": [{"id": "b", "event": "email.reply", "points": 2, "cap": 9},
                                {"id": "w", "event": "web.*", "points": 0.25},
                                {"id": "c", "event": "call", "if": {"prop": "minutes", "gte": 20}, "points": 5},
                                {"id": "t", "event": "call", "if": {"prop": "tags", "contains": "x"}, "points": 1}],
                   "half_life_days": 30},
                 "stages": {"initial": "new", "list": [{"id": "new"}, {"id": "mql"}],
                            "transitions": [{"from": "new", "to": "mql"}]}}
                """#)
        let lines: [String] = [
            #"{"id":"a","attributes":{"industry":" SoftWare ","employees":12.5e1,"dm":true,"tags":["Trial","x"]},"events":[{"type":"email.reply","at":1796000000},{"type":"web.visit","at":"2026-11-30T10:00:00.5+02:00"}]}"#,
            #"  {"id":"b","events":[{"type":"call","at":1.7e9,"props":{"minutes":25,"tags":["X"],"other":{"a":[1,{"b":null}]}}}]}  "#,
            #"{"id":"c","stage":"mql","behavior_since":1795000000,"owner":{"x":1},"account":"acme","events":[{"type":"email.reply","at":1794000000},{"type":"email.reply","at":1796000000}]}"#,
            #"{"id":"d","attributes":null,"events":null,"extra":"tab\there \u00e9","n":-0.0,"m":[1e300]}"#,
            #"{"id":"e","attributes":{"industry":"caf\u00e9"}}"#,
            #"{"id":"f","attributes":{"industry":"software","industry":"x"}}"#,
            #"{"id":"g","attributes":{"employees":"12"}}"#,
            #"{"id":"h","stage":"nowhere"}"#,
            #"{"id":"","attributes":{}}"#,
            #"{"id":"i","events":[{"type":"call","at":1796000000,"props":{"minutes":[1,"a"]}}]}"#,
            #"{"id":"j","events":[{"type":"call","at":"yesterday"}]}"#,
            #"{"id":"k","events":[{"type":"call"}]}"#,
            #"{"id":"l","extra":{"a":1,"a":2}}"#,
            #"{"id":"m","employees":01}"#,
            #"{"id":"n","attributes":{"employees":123456789012345678901234567890}}"#,
            #"{"id":"o","attributes":{"employees":0.1,"tags":[]}}"#,
            "{\"id\":\"p\",\"attributes\":{\"industry\":\"\u{00C9}cole  \"}}",
            #"{"id":"q","behavior_since":"2026-11-01T00:00:00Z","events":[{"type":"email.reply","at":1790000000}]}"#,
            #"["not an object"]"#,
            #"{"id":"r"} x"#,
            #"{"id":"s","attributes":{"employees":1e400}}"#,
            #"{"id":"\u0075\n\"","attributes":{"industry":"\tSOFT\u0077are\r\n","tags":["tri\u0061l","\ud83d\ude00"]},"events":[{"type":"email.r\u0065ply","at":"2026-11-30T10:00:00\u005a"},{"type":"web\/x","at":1796000000},{"type":"call","at":1796000000,"props":{"tags":["\u0000x"],"minutes":20}}]}"#,
            #"{"id":"u","attributes":{"industry":"\ud83d"}}"#,
            #"{"id":"v","attributes":{"industry":"\ude00"}}"#,
            #"{"id":"w","attributes":{"industry":"\ud83d\u0041"}}"#,
            #"{"id":"x","attributes":{"industry":"\x"}}"#,
            #"{"id":"y","stage":"\u006dql","attributes":{"industry":"caf\u00c9"}}"#,
            #"{"id":"t","attributes":{"industry":"software","dm":false,"tags":null},"owner":"ann","events":[]}"#,
        ]
        let bytes = lines.map { Array($0.utf8) }
        // The first lines take the fast path; the unusual ones (escapes, a
        // duplicate key, a type mismatch…) are left to the reference path.
        #expect(Self.fastCount(Array(bytes.prefix(4)), model) == 4)
        #expect(Self.fastCount([bytes[4]], model) == 1)  // an escape in a value is decoded
        #expect(Self.fastCount([bytes[5], bytes[6], bytes[7]], model) == 0)
        Self.compareOneLead(bytes, model, "shapes")
        Self.compareResults(bytes, model, "shapes")
        for k in bytes.indices {
            Self.compareIngest(Array(bytes[...k]), model, "first \(k + 1) lines")
            Self.compareIngest([bytes[k]], model, "line \(k)")
        }
    }
}

/// Breaks JSON text the ways hostile input does: bytes dropped, doubled or
/// replaced, escapes, duplicate keys, odd numbers and times.
struct LineMutator {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    static let fragments: [String] = [
        "\\u00e9", "\\n", "\\\"", "\\ud83d\\ude00", "\\ud83d", "\u{00E9}", "\u{FEFF}", " ", "\t", ",", ":", "{", "}",
        "[", "]", "\"", "null", "true", "1e999", "-0", "0.1", "1E+2", "01", "-", "\"id\":\"dup\",", "\"at\":1,",
        "\"attributes\":{},", "\"events\":[],", "\"props\":{\"minutes\":30},", "\"stage\":\"s0\",",
        "\"behavior_since\":1796000000,", "\"type\":\"email.reply\",", "\"2026-11-30T10:00:00Z\"", "\"x\":{\"y\":[1,2]},",
    ]
    static let bad: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x00], [0x1F]]

    mutating func mutate(_ line: [UInt8]) -> [UInt8] {
        guard !line.isEmpty else { return Array("{}".utf8) }
        var out = line
        let at = int(0...(out.count - 1))
        switch int(0...7) {
        case 0: out.remove(at: at)
        case 1: out.insert(out[at], at: at)
        case 2: out.insert(contentsOf: Array(Self.fragments[int(0...(Self.fragments.count - 1))].utf8), at: at)
        case 3: out.insert(contentsOf: Self.bad[int(0...(Self.bad.count - 1))], at: at)
        case 4: out = Array(out.prefix(at))
        case 5:
            // A key repeated: the first key's text again after the opening brace.
            if let quote = out.firstIndex(of: UInt8(ascii: "\"")), let colon = out[quote...].firstIndex(of: UInt8(ascii: ":")),
                let brace = out.firstIndex(of: UInt8(ascii: "{"))
            {
                out.insert(contentsOf: Array(out[quote...colon]) + Array("null,".utf8), at: brace + 1)
            }
        case 6:
            // An insertion right after a structural byte, where a fragment is most likely to parse.
            if let k = out.indices.dropFirst(at).first(where: { out[$0] == UInt8(ascii: ",") || out[$0] == UInt8(ascii: "{") }) {
                out.insert(contentsOf: Array(Self.fragments[int(0...(Self.fragments.count - 1))].utf8), at: k + 1)
            }
        default:
            out[at] = UInt8(truncatingIfNeeded: int(0x20...0x7E))
        }
        return out
    }
}
