import Funnel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DemoCommand {
    /// The demo's history log (SPEC §12), built in memory: each sample lead's
    /// capture (at its first event, through its `source`), the moves the advance
    /// made, a simulated sales follow-up of the leads that reached SQL (to
    /// opportunity a week later, then every other one won with a deal, the rest lost
    /// on price), and a month of costs per channel.
    static func history(leads: [Lead], advances: [AdvanceResult], asOf: Double) -> [HistoryLine] {
        let day = 86_400.0
        var lines: [HistoryLine] = []
        var channels: [String] = []
        for (i, lead) in leads.enumerated() {
            let channel: String?
            if case .string(let source)? = lead.attributes["source"], !source.isEmpty { channel = source } else { channel = nil }
            if let channel, !channels.contains(channel) { channels.append(channel) }
            let captured = lead.events.map(\.at).min() ?? asOf - 30 * day
            lines.append(.lead(lead: lead.id, at: captured, channel: channel))
            lines += advances[i].historyLines
        }
        var closing = 0
        for (i, advance) in advances.enumerated() where advance.stage == "sql" {
            let id = advance.id
            lines.append(.move(lead: id, from: "sql", to: "opportunity", at: asOf + 7 * day, reason: nil, by: "sales"))
            closing += 1
            if closing % 2 == 1 {
                var value = 12_000.0
                if case .number(let budget)? = leads[i].attributes["budget"], budget > 0 { value = budget }
                lines.append(.deal(lead: id, value: value, at: asOf + 14 * day))
                lines.append(.move(lead: id, from: "opportunity", to: "won", at: asOf + 21 * day, reason: nil, by: "sales"))
            } else {
                lines.append(.move(lead: id, from: "opportunity", to: "lost", at: asOf + 21 * day, reason: "price", by: "sales"))
            }
        }
        for (k, channel) in channels.sorted().enumerated() {
            lines.append(.cost(channel: channel, amount: Double(500 + 250 * k), at: asOf - 15 * day))
        }
        return lines
    }

    /// Prints the report's funnel table for the demo's history and writes the SVG;
    /// says where on standard output.
    func writeReport(
        model: Model, leads: [Lead], advances: [AdvanceResult], asOf: Double, to out: inout Output
    ) throws(CLIError) {
        // The published averages of SPEC §1 as benchmarks: 60 % of MQLs accepted, 50 % of those qualified.
        var definition = model.definition
        definition.stages?.benchmarks = ["sal": 0.60, "sql": 0.50]
        let reportModel: Model
        do {
            reportModel = try Model(definition)
        } catch {
            throw CLIError.usage("the embedded model does not take benchmarks: \(error)")
        }
        var log = HistoryLog(model: reportModel)
        for line in Self.history(leads: leads, advances: advances, asOf: asOf) {
            do {
                try log.add(line)
            } catch {
                throw CLIError.input("the demo's history does not fit the model: \(error)")
            }
        }
        let end = asOf + 30 * 86_400
        let report = log.report(to: end)
        out.write("\nFunnel report until 2026-12-01T00:00:00Z (history: captures by source, the advance's moves, ")
        out.write("a simulated sales follow-up, costs):\n")
        let rows = report.funnel.map { row in
            [row.label ?? row.stage, String(row.reached), row.rate.map { fixed($0 * 100, digits: 1) + " %" } ?? "-",
             row.cumulative.map { fixed($0 * 100, digits: 1) + " %" } ?? "-",
             row.benchmark.map { fixed($0 * 100, digits: 1) + " %" } ?? "-"]
        }
        out.write(table(["stage", "reached", "rate", "cumulative", "benchmark"], rows, rightAligned: [1, 2, 3, 4]))
        let won = report.outcomes.won
        out.write("Won \(won), revenue \(fixed(report.revenue, digits: 0)), cost \(fixed(report.cost, digits: 0))")
        out.write(", cost per lead \(report.costPerLead.map { fixed($0) } ?? "-")\n")
        let path = arguments.options["--svg"] ?? Self.defaultSVGPath
        let svg = report.svg(title: "Funnel demo: \(report.leads) sample leads until 2026-12-01")
        try out.flush()
        try FileOutput.replaceAtomically(path, with: Array(svg.utf8))
        out.write("Funnel picture (SVG) written to \(path)\n")
    }

    /// `$TMPDIR/funnel-demo.svg`, else `/tmp/funnel-demo.svg`.
    static var defaultSVGPath: String {
        var directory = "/tmp"
        if let value = getenv("TMPDIR"), let text = String(validatingCString: value), !text.isEmpty {
            directory = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        return directory + "/funnel-demo.svg"
    }
}
