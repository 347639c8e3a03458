import Testing

@testable import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file of the shared report fixture (Tests/fixtures/report).
private func fixture(_ name: String) throws -> String {
    var path = #filePath
    while let last = path.last, last != "/" { path.removeLast() }  // …/Tests/FunnelTests/
    path.removeLast()
    while let last = path.last, last != "/" { path.removeLast() }  // …/Tests/
    path += "fixtures/report/" + name
    guard let file = fopen(path, "rb") else { throw FixtureMissing(path: path) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, file) }
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

private struct FixtureMissing: Error { var path: String }

@Suite("Funnel report output: the shared fixture, CSV, SVG, history lines")
struct ReportOutputTests {
    private func fixtureReport(from: Double? = 0, to: Double? = 20 * 86_400) throws -> FunnelReport {
        let model = try Model(json: try fixture("model.json"))
        return try model.report(history: try fixture("history.jsonl"), from: from, to: to)
    }

    /// Swift gives exactly the document the CLI, C and Python give.
    @Test func sharedFixture() throws {
        let expected = try fixture("expected.json")
        #expect(try fixtureReport().json + "\n" == expected)
    }

    @Test func csvTables() throws {
        let csv = try fixtureReport().csv
        let tables = csv.split(separator: "\n\n", omittingEmptySubsequences: false).map {
            $0.split(separator: "\n").map(String.init)
        }
        #expect(tables.count == 5)
        #expect(tables.map { $0.first ?? "" } == [
            "stage,label,reached,rate,cumulative,benchmark",
            "stage,stays,open,median_days,p90_days,mean_days",
            "to,reason,count",
            "channel,leads,cost,cost_per_lead,won,close_rate,revenue,cost_per_won,reached_new,reached_mql,reached_sql,reached_won",
            "metric,value",
        ])
        #expect(tables[0][1] == "new,New & <unqualified>,3,,1,")
        #expect(tables[1][1] == "new,3,1,1,2,1.5")
        #expect(tables[2].dropFirst() == ["won,,1", "dq,spam,1"])
        #expect(tables[3].last == ",1,0,0,0,0,0,,1,0,0,0")
        #expect(tables[4].contains("cost_per_lead,33.333333333333336"))
        #expect(tables[4].contains("average_deal_value,900"))
        #expect(csv.hasSuffix("time_to_close_mean_days,10\n"))
        #expect(FunnelReport.csvField("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }

    @Test func svgPicture() throws {
        let svg = try fixtureReport().svg()
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""))
        #expect(svg.hasSuffix("</svg>\n"))
        // One bar per path stage, lengths proportional to reached (3, 1, 1, 1 of 420).
        #expect(svg.components("class=\"bar\"") == 4)
        #expect(svg.contains("width=\"420\" height=\"40\""))
        #expect(svg.components("width=\"140\" height=\"40\"") == 3)
        // Benchmarks on mql and won; labels escaped.
        #expect(svg.components("class=\"benchmark\"") == 2)
        #expect(svg.contains(">New &amp; &lt;unqualified&gt;</text>"))
        #expect(svg.contains(">1 lead · 33.3 % of previous · benchmark 60 %</text>"))
        #expect(svg.contains("1970-01-01T00:00:00Z to 1970-01-21T00:00:00Z"))
        #expect(!svg.contains("<leads>"))
        // A title with markup and control characters stays well-formed.
        #expect(try fixtureReport().svg(title: "a<b & \"c\"\u{1}").contains("a&lt;b &amp; &quot;c&quot;\u{FFFD}"))
        // An empty funnel still draws a document, with a sentence instead of bars.
        let bare = try Model(json: #"{"format": "funnel.model/1"}"#).report(history: "")
        #expect(bare.svg().contains("The model has no funnel path."))
        #expect(FunnelReport.percent(0.625) == "62.5 %")
        #expect(FunnelReport.percent(1) == "100 %")
        #expect(FunnelReport.percent(0.0004) == "0 %")
    }

    @Test func historyLineJSON() throws {
        let lines: [HistoryLine] = [
            .lead(lead: "L\"1", at: 1.5, channel: nil),
            .move(lead: "L1", from: "new", to: "mql", at: 2, reason: nil, by: "auto"),
            .deal(lead: "L1", value: 10, at: 3),
            .cost(channel: "web", amount: 0.25, at: 4),
        ]
        #expect(lines.map(\.json) == [
            #"{"kind":"lead","lead":"L\"1","at":1.5,"channel":null}"#,
            #"{"kind":"move","lead":"L1","from":"new","to":"mql","at":2,"reason":null,"by":"auto"}"#,
            #"{"kind":"deal","lead":"L1","value":10,"at":3}"#,
            #"{"kind":"cost","channel":"web","amount":0.25,"at":4}"#,
        ])
        // Written lines read back as the same facts.
        var log = HistoryLog(model: try Model(json: try fixture("model.json")))
        for line in lines { try log.add(line: line.json) }
        #expect(log.report().leads == 2)  // "L\"1" and "L1"
        let advance = AdvanceResult(
            id: "L9", stage: "mql", moves: [StageMove(from: "new", to: "mql", at: 7, reason: nil, by: "auto")])
        #expect(advance.historyLines == [.move(lead: "L9", from: "new", to: "mql", at: 7, reason: nil, by: "auto")])
    }
}

extension String {
    /// How many times `part` occurs.
    fileprivate func components(_ part: String) -> Int {
        var count = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: part) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
