import Funnel

/// `funnel demo`: the embedded default model on the built-in sample.
struct DemoCommand {
    let arguments: Arguments

    func run() throws(CLIError) {
        try arguments.check(options: ["--count", "--top", "--threads", "--svg"], flags: ["--all"], maxFiles: 0)
        let count = try arguments.positiveInt("--count", default: 300)
        let threads = try arguments.threads()
        let model: Model
        do {
            model = try Model.default
        } catch {
            throw CLIError.usage("the embedded model does not load: \(error)")
        }
        let asOf = SampleLeads.demoAsOf
        let leads = SampleLeads.generate(count: count, asOf: asOf)
        let batch: LeadBatch
        do {
            batch = try LeadBatch(model: model, leads: leads)
        } catch {
            throw CLIError.input("sample lead does not fit the default model: \(error)")
        }
        let results = batch.results(at: asOf, threads: threads)
        let advances = batch.advance(at: asOf, threads: threads) ?? []
        let top = arguments.flags.contains("--all") ? count : try arguments.positiveInt("--top", default: 25)

        // Highest total first; ties by id so the table is the same everywhere.
        let ranked = results.indices.sorted { a, b in
            results[a].total != results[b].total ? results[a].total > results[b].total : results[a].id < results[b].id
        }
        var out = Output.standardOutput
        out.write("Funnel demo: model \"\(model.name ?? "")\", \(count) sample leads, as of 2026-11-01T00:00:00Z\n\n")
        let header = ["rank", "id", "grade", "priority", "fit", "behavior", "total", "stage"]
        var rows: [[String]] = []
        for (rank, i) in ranked.prefix(top).enumerated() {
            let r = results[i]
            rows.append([
                String(rank + 1), r.id, r.grade ?? "-", r.priority ?? "-", fixed(r.fit), fixed(r.behavior),
                fixed(r.total), advances[i].stage,
            ])
        }
        out.write(table(header, rows, rightAligned: [0, 4, 5, 6]))

        out.write("\nLeads by stage after advance:\n")
        var perStage: [String: Int] = [:]
        for advance in advances { perStage[advance.stage, default: 0] += 1 }
        var stageRows: [[String]] = []
        for stage in model.stageIDs {
            let n = perStage[stage, default: 0]
            let share = count > 0 ? Double(n) * 100 / Double(count) : 0
            stageRows.append([stage, String(n), fixed(share, digits: 1) + " %"])
        }
        out.write(table(["stage", "leads", "share"], stageRows, rightAligned: [1, 2]))
        var grades: [String: Int] = [:]
        for r in results { grades[r.grade ?? "-", default: 0] += 1 }
        let gradeLine = model.definition.scoring.grades.map { "\($0.grade) \(grades[$0.grade, default: 0])" }
        out.write("\nGrades: " + gradeLine.joined(separator: ", ") + "\n")
        out.write(priorityMatrix(model, results))
        out.write(
            try winTable(
                model, leads: leads, ranked: Array(ranked.prefix(top)), stages: advances.map(\.stage), asOf: asOf,
                threads: threads))
        out.write(try routeQualified(model, leads, advances, asOf: asOf))
        out.write(try DemoConversion.report(model: model, leads: leads, stages: advances.map(\.stage), asOf: asOf))
        try writeReport(model: model, leads: leads, advances: advances, asOf: asOf, to: &out)
        try out.flush()
    }
}

/// The fit × engagement matrix (SPEC §13): leads per grade (rows) and
/// engagement level (columns), the grid teams route and prioritise by.
func priorityMatrix(_ model: Model, _ results: [ScoreResult]) -> String {
    let levels = model.definition.scoring.engagement.map(\.level)
    guard !levels.isEmpty else { return "" }
    var counts: [String: Int] = [:]
    for r in results { if let priority = r.priority { counts[priority, default: 0] += 1 } }
    let rows = model.definition.scoring.grades.map { grade in
        [grade.grade] + levels.map { String(counts[grade.grade + $0, default: 0]) }
    }
    return "\nPriority (grade × engagement, leads):\n"
        + table(["grade"] + levels.map { "engagement \($0)" }, rows, rightAligned: Set(1...levels.count))
}

/// `x` with `digits` decimals, for tables (half away from zero).
func fixed(_ x: Double, digits: Int = 2) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var text = String(whole)
    if digits > 0 {
        let f = String(fraction)
        text += "." + String(repeating: "0", count: digits - f.count) + f
    }
    return (x < 0 && scaled != 0 ? "-" : "") + text
}

/// A plain-text table with a header rule.
func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return rightAligned.contains(i) ? pad + cell : cell + pad
        }.joined(separator: "  ") + "\n"
    }
    return line(header) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
}
