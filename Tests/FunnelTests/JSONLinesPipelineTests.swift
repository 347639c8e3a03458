import Testing

@testable import Funnel
import FunnelTestSupport

/// ``JSONLinesResults/Pipeline`` (`funnel score` and `funnel advance` on a
/// stream): a text cut into many small blocks, some blocks kept pending
/// while the next go in, gives the bytes, lead count and error (with its
/// line number) that ``JSONLinesResults/results(of:model:kind:asOf:threads:firstLine:chunkBytes:)``
/// gives for the whole text at once.
@Suite struct JSONLinesPipelineTests {
    static let asOf = 1_796_083_200.0

    /// `text` (whole lines) through a pipeline in blocks ending at the
    /// newlines after `cuts`, at most `ahead` pending, stopping at the
    /// first error as `funnel score` does; each block's results recycled
    /// once taken.
    static func stream(
        _ text: [UInt8], cuts: [Int], model: Model, kind: JSONLinesResults.Kind, threads: Int, ahead: Int,
        chunkBytes: Int
    ) -> JSONLinesResults.Output? {
        guard var pipeline = JSONLinesResults.Pipeline(
            model: model, kind: kind, asOf: asOf, threads: threads, firstLine: 3, chunkBytes: chunkBytes)
        else { return nil }
        var ends: [Int] = []
        for cut in cuts.sorted() where cut < text.count {
            guard let newline = text[cut...].firstIndex(of: 0x0A), newline + 1 > (ends.last ?? 0) else { continue }
            ends.append(newline + 1)
        }
        if ends.last != text.count { ends.append(text.count) }
        var all = JSONLinesResults.Output(pieces: [], leads: 0, lines: 0)
        var start = 0
        var blocks = ends[...]
        while true {
            while pipeline.pending < ahead, let end = blocks.popFirst() {
                // Each block in a buffer of its own, padded on both sides as `LineReader`'s are.
                var bytes: [UInt8] = [0x0A, 0x7B]
                bytes += text[start..<end]
                bytes.append(0x7D)
                pipeline.submit(bytes, range: 2..<(2 + end - start))
                start = end
            }
            guard let (output, _) = pipeline.next() else { break }
            // Its memory goes back to the workers, to be written into again:
            // here copied first, or kept as it is (then it must not be reused).
            if chunkBytes % 2 == 0 {
                all.pieces.append(.init(output.bytes))
            } else {
                all.pieces += output.pieces
            }
            all.leads += output.leads
            all.lines += output.lines
            all.error = output.error
            pipeline.recycle(consume output)
            if all.error != nil { break }
        }
        return all
    }

    static func check(_ lines: [[UInt8]], _ model: Model, _ random: inout RandomCases, _ context: String) {
        var text: [UInt8] = []
        for (k, line) in lines.enumerated() {
            if k % 4 == 1 { text += Array(" \t\n\n".utf8) }
            text += line
            text += k % 3 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        var kinds: [JSONLinesResults.Kind] = [.score, .advance, .scorePickle]
        if let named = ResultPickleClass(module: Array("funnel.results".utf8), name: Array("ScoreResult".utf8)) {
            kinds.append(.scorePickleAs(named))
        }
        #expect(kinds.count == 4)
        for kind in kinds {
            let whole = text.withUnsafeBytes {
                JSONLinesResults.results(of: $0, model: model, kind: kind, asOf: asOf, threads: 1, firstLine: 3)
            }
            for (threads, ahead, chunkBytes) in [(1, 1, 1 << 16), (1, 2, 40), (2, 2, 1), (3, 3, 300), (2, 1, 90)] {
                let cuts = (0..<random.int(0...8)).map { _ in random.int(0...max(0, text.count - 1)) }
                let streamed = stream(
                    text, cuts: cuts, model: model, kind: kind, threads: threads, ahead: ahead, chunkBytes: chunkBytes)
                let where_ = "\(context), \(kind), \(threads) threads, \(ahead) ahead, cuts \(cuts.sorted())"
                guard let whole, let streamed else {
                    #expect((whole == nil) == (streamed == nil), "\(where_)")
                    continue
                }
                // Pickled pieces each write their memo afresh, so their bytes change with the cuts.
                if !kind.pickles { #expect(streamed.bytes == whole.bytes, "\(where_)") }
                #expect(streamed.leads == whole.leads, "\(where_)")
                #expect(streamed.error?.line == whole.error?.line, "\(where_)")
                #expect(streamed.error?.message == whole.error?.message, "\(where_)")
                if whole.error == nil { #expect(streamed.lines == whole.lines, "\(where_)") }
            }
        }
    }

    @Test func resultClassNamesAreDottedASCII() {
        let ok: [(String, String)] = [("funnel.results", "ScoreResult"), ("m", "C"), ("_a.b_9", "Outer.Inner")]
        for (module, name) in ok {
            #expect(ResultPickleClass(module: Array(module.utf8), name: Array(name.utf8)) != nil, "\(module) \(name)")
        }
        let long = String(repeating: "a", count: 255)
        #expect(ResultPickleClass(module: Array(long.utf8), name: Array(long.utf8)) != nil)
        let bad: [(String, String)] = [("", "C"), ("m", ""), (long + "a", "C"), ("m", long + "a"), ("os system", "C"),
                                       ("m", "a\nb"), ("m\u{0}", "C"), ("é", "C"), ("m", "a-b"), ("m", "a b")]
        for (module, name) in bad {
            #expect(ResultPickleClass(module: Array(module.utf8), name: Array(name.utf8)) == nil, "\(module) \(name)")
        }
    }

    @Test func blocksGiveTheResultsOfTheWholeText() throws {
        var random = RandomCases(seed: 0x5EED_0010)
        var failing = 0
        for round in 0..<60 {
            let definition = random.model()
            guard let model = try? Model(definition) else { continue }
            var lines: [[UInt8]] = []
            for i in 0..<random.int(0...40) {
                lines.append(Array(random.lead(i, definition, asOf: Self.asOf).json.utf8))
            }
            if round % 3 == 2 && !lines.isEmpty {
                // A line that fails, somewhere: nothing after it may come out.
                lines.insert(Array(#"{"id":"bad","events":[{"type":"x","at":"soon"}]}"#.utf8), at: random.int(0...lines.count))
                failing += 1
            }
            Self.check(lines, model, &random, "round \(round)")
        }
        #expect(failing > 5)
    }

    /// Dropped with blocks pending and workers busy (a failing line early
    /// on): its workers stop, nothing hangs.
    @Test func droppedWithBlocksPending() throws {
        let model = try Model(
            json: #"""
                {"format": "funnel.model/1", "name": "t", "attributes": {"industry": "string"},
                 "scoring": {"fit": [{"id": "f", "if": {"attr": "industry", "eq": "software"}, "points": 10}]}}
                """#)
        let good = Array(#"{"id":"a","attributes":{"industry":"software"}}"#.utf8) + [0x0A]
        for threads in 1...3 {
            guard var pipeline = JSONLinesResults.Pipeline(
                model: model, kind: .score, asOf: Self.asOf, threads: threads, chunkBytes: 64)
            else {
                Issue.record("no pipeline")
                return
            }
            var text = Array(repeating: good, count: 2000).joined().map { $0 }
            text.insert(contentsOf: Array("{\n".utf8), at: good.count * 3)
            for _ in 0..<5 { pipeline.submit(text, range: text.indices) }
            guard let first = pipeline.next() else {
                Issue.record("no results")
                return
            }
            #expect(first.output.leads == 3)
            #expect(first.output.error?.line == 4)
            #expect(pipeline.pending == 4)
        }
    }
}
