import Testing

@testable import Funnel

private let day = 86_400.0

/// A small funnel: default path new → mql → sql → won (lost, nurture and dq are off it).
private func reportModel(path: String? = nil, benchmarks: String? = nil) throws -> Model {
    let extra = (path.map { #", "path": \#($0)"# } ?? "") + (benchmarks.map { #", "benchmarks": \#($0)"# } ?? "")
    return try Model(
        json: """
            {"format": "funnel.model/1",
             "stages": {"initial": "new",
               "list": [{"id": "new", "label": "New"}, {"id": "mql", "label": "MQL"}, {"id": "sql"},
                        {"id": "won", "outcome": "won"}, {"id": "lost", "outcome": "lost"},
                        {"id": "nurture"}, {"id": "dq", "outcome": "disqualified"}],
               "transitions": [{"from": "new", "to": "mql"}, {"from": "mql", "to": ["sql", "nurture"]},
                               {"from": "sql", "to": ["won", "lost"]}, {"from": "*", "to": "dq"}]\(extra)}}
            """)
}

/// Lines of the hand-worked history, deliberately out of order. Times are in days.
private let handWorked = [
    #"{"kind": "move", "lead": "L1", "from": "sql", "to": "won", "at": \#(15 * day), "reason": null, "by": "ana"}"#,
    #"{"kind": "cost", "channel": "web", "amount": 100, "at": 0}"#,
    #"{"kind": "move", "lead": "L1", "from": "new", "to": "mql", "at": \#(2 * day), "reason": null, "by": "auto"}"#,
    #"{"kind": "lead", "lead": "L1", "at": "1970-01-01T00:00:00Z", "channel": "web"}"#,
    #"{"kind": "move", "lead": "L1", "from": "mql", "to": "sql", "at": \#(5 * day), "reason": null, "by": "auto"}"#,
    #"{"kind": "deal", "lead": "L1", "value": 1200, "at": \#(14 * day)}"#,
    #"{"kind": "deal", "lead": "L1", "value": 1000, "at": \#(10 * day)}"#,
    #"{"kind": "move", "lead": "L1", "from": "won", "to": "lost", "at": \#(21 * day), "reason": "late"}"#,
    #"{"kind": "lead", "lead": "L2", "at": \#(1 * day), "channel": "ads"}"#,
    #"{"kind": "move", "lead": "L2", "from": "new", "to": "mql", "at": \#(3 * day), "reason": null, "by": "auto"}"#,
    #"{"kind": "move", "lead": "L2", "from": "sql", "to": "lost", "at": \#(10 * day), "reason": "price", "by": "bo"}"#,
    #"{"kind": "move", "lead": "L2", "from": "mql", "to": "sql", "at": \#(4 * day), "reason": null, "by": "auto"}"#,
    #"{"kind": "cost", "channel": "ads", "amount": 50, "at": \#(1 * day)}"#,
    #"{"kind": "lead", "lead": "L3", "at": \#(2 * day), "channel": null}"#,
    #"{"kind": "move", "lead": "L3", "from": "new", "to": "dq", "at": \#(3 * day), "reason": "bad_data", "by": "auto"}"#,
    "",
    #"{"kind": "lead", "lead": "L4", "at": \#(3 * day), "channel": "web"}"#,
    #"{"kind": "lead", "lead": "L5", "at": \#(20 * day), "channel": "web"}"#,
    #"{"kind": "cost", "channel": "tv", "amount": 40, "at": \#(2 * day)}"#,
    #"{"kind": "cost", "channel": null, "amount": 10, "at": \#(5 * day)}"#,
    #"{"kind": "cost", "channel": "web", "amount": 30, "at": \#(25 * day)}"#,
]

private func log(_ lines: [String], model: Model? = nil) throws -> HistoryLog {
    var log = HistoryLog(model: try model ?? reportModel())
    for line in lines { try log.add(line: line) }
    return log
}

private func error(_ line: String, model: Model? = nil) throws -> HistoryError? {
    var log = HistoryLog(model: try model ?? reportModel())
    do {
        try log.add(line: line)
    } catch {
        return error
    }
    return nil
}

@Suite("Funnel report (SPEC §12)")
struct ReportTests {
    /// Every field of the hand-worked report for [day 0, day 20).
    @Test func handWorkedReport() throws {
        let report = try log(handWorked).report(from: 0, to: 20 * day)
        // Cohort: L1 (day 0), L2 (1), L3 (2), L4 (3); L5 is captured at `to` itself, so not.
        #expect(report.leads == 4)
        // Costs in [0, 20): web 100 + ads 50 + tv 40 + null 10; web's 30 at day 25 is after `to`.
        #expect(report.cost == 200)
        #expect(report.costPerLead == 50)
        // Funnel: all four start in new; L1 and L2 reach mql and sql; L1 reaches won.
        // L1's move won → lost at day 21 is after `to` and ignored.
        #expect(report.funnel == [
            .init(stage: "new", label: "New", reached: 4, rate: nil, cumulative: 1, benchmark: nil),
            .init(stage: "mql", label: "MQL", reached: 2, rate: 0.5, cumulative: 0.5, benchmark: nil),
            .init(stage: "sql", label: nil, reached: 2, rate: 1, cumulative: 0.5, benchmark: nil),
            .init(stage: "won", label: nil, reached: 1, rate: 0.5, cumulative: 0.25, benchmark: nil),
        ])
        // new: L1 0→2 (2 d), L2 1→3 (2 d), L3 2→3 (1 d), L4 open. Sorted [1, 2, 2]:
        //   median index ⌈1.5⌉−1 = 1 → 2; p90 index ⌈2.7⌉−1 = 2 → 2; mean 5/3.
        // mql: L1 2→5 (3 d), L2 3→4 (1 d). [1, 3]: median index 0 → 1, p90 index 1 → 3, mean 2.
        // sql: L1 5→15 (10 d), L2 4→10 (6 d). [6, 10]: median 6, p90 10, mean 8.
        // won: L1 open; lost: L2 open; nurture: none; dq: L3 open.
        #expect(report.stages == [
            .init(stage: "new", stays: 4, open: 1, medianDays: 2, p90Days: 2, meanDays: 5.0 / 3),
            .init(stage: "mql", stays: 2, open: 0, medianDays: 1, p90Days: 3, meanDays: 2),
            .init(stage: "sql", stays: 2, open: 0, medianDays: 6, p90Days: 10, meanDays: 8),
            .init(stage: "won", stays: 1, open: 1, medianDays: nil, p90Days: nil, meanDays: nil),
            .init(stage: "lost", stays: 1, open: 1, medianDays: nil, p90Days: nil, meanDays: nil),
            .init(stage: "nurture", stays: 0, open: 0, medianDays: nil, p90Days: nil, meanDays: nil),
            .init(stage: "dq", stays: 1, open: 1, medianDays: nil, p90Days: nil, meanDays: nil),
        ])
        // Moves into outcome stages, by list position of `to`.
        #expect(report.reasons == [
            .init(to: "won", reason: nil, count: 1), .init(to: "lost", reason: "price", count: 1),
            .init(to: "dq", reason: "bad_data", count: 1),
        ])
        #expect(report.outcomes == .init(won: 1, lost: 1, disqualified: 1, open: 1))
        #expect(report.closeRate == 0.25)  // 1 won ÷ 4
        #expect(report.winRate == 0.5)  // 1 ÷ (1 + 1)
        // L1's latest deal before `to` is 1200 (day 14), not 1000 (day 10), though it comes first.
        #expect(report.revenue == 1200)
        #expect(report.averageDealValue == 1200)
        // L1: captured day 0, into won day 15.
        #expect(report.timeToCloseDays == .init(median: 15, mean: 15))
        // Channels by code point, null last; tv has costs and no leads.
        #expect(report.channels.map(\.channel) == ["ads", "tv", "web", nil])
        func reached(_ counts: [Int]) -> [FunnelReport.StageCount] {
            zip(["new", "mql", "sql", "won"], counts).map { .init(stage: $0, count: $1) }
        }
        #expect(report.channels[0] == .init(
            channel: "ads", leads: 1, cost: 50, costPerLead: 50, reached: reached([1, 1, 1, 0]), won: 0,
            closeRate: 0, revenue: 0, costPerWon: nil))
        #expect(report.channels[1] == .init(
            channel: "tv", leads: 0, cost: 40, costPerLead: nil, reached: reached([0, 0, 0, 0]), won: 0,
            closeRate: nil, revenue: 0, costPerWon: nil))
        #expect(report.channels[2] == .init(
            channel: "web", leads: 2, cost: 100, costPerLead: 50, reached: reached([2, 1, 1, 1]), won: 1,
            closeRate: 0.5, revenue: 1200, costPerWon: 100))
        #expect(report.channels[3] == .init(
            channel: nil, leads: 1, cost: 10, costPerLead: 10, reached: reached([1, 0, 0, 0]), won: 0,
            closeRate: 0, revenue: 0, costPerWon: nil))
    }

    @Test func handWorkedDocument() throws {
        let report = try log(handWorked).report(from: 0, to: 20 * day)
        let json = report.json
        #expect(json.hasPrefix(#"{"format":"funnel.report/1","from":0,"to":1728000,"leads":4,"cost":200,"cost_per_lead":50,"funnel":[{"stage":"new","label":"New","reached":4,"rate":null,"cumulative":1,"benchmark":null},"#))
        #expect(json.contains(#"{"stage":"new","stays":4,"open":1,"median_days":2,"p90_days":2,"mean_days":1.6666666666666667}"#))
        #expect(json.contains(#""reasons":[{"to":"won","reason":null,"count":1},{"to":"lost","reason":"price","count":1},{"to":"dq","reason":"bad_data","count":1}],"outcomes":{"won":1,"lost":1,"disqualified":1,"open":1},"close_rate":0.25,"win_rate":0.5,"revenue":1200,"average_deal_value":1200,"time_to_close_days":{"median":15,"mean":15},"channels":[{"channel":"ads","leads":1,"cost":50,"cost_per_lead":50,"reached":{"new":1,"mql":1,"sql":1,"won":0},"won":0,"close_rate":0,"revenue":0,"cost_per_won":null},"#))
        #expect(json.hasSuffix(#"{"channel":null,"leads":1,"cost":10,"cost_per_lead":10,"reached":{"new":1,"mql":0,"sql":0,"won":0},"won":0,"close_rate":0,"revenue":0,"cost_per_won":null}]}"#))
        guard case .object(let members) = try JSONParser.parse(json) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == [
            "format", "from", "to", "leads", "cost", "cost_per_lead", "funnel", "stages", "reasons", "outcomes",
            "close_rate", "win_rate", "revenue", "average_deal_value", "time_to_close_days", "channels",
        ])
        // Open ends are null; the same lines in any order give the same document.
        #expect(try log(handWorked).report().json.hasPrefix(#"{"format":"funnel.report/1","from":null,"to":null,"leads":5,"#))
        #expect(try log(handWorked.reversed()).report(from: 0, to: 20 * day) == report)
    }

    /// A period that ends while stays are open, and one that starts after some captures.
    @Test func periodsCutStaysAndCohort() throws {
        let log = try log(handWorked)
        // At day 12: L1 sits in sql since day 5 (open), L2 was lost at day 10, L3 in dq, L4 in new.
        let cut = log.report(from: 0, to: 12 * day)
        #expect(cut.leads == 4)
        #expect(cut.stages[2] == .init(stage: "sql", stays: 2, open: 1, medianDays: 6, p90Days: 6, meanDays: 6))
        #expect(cut.funnel.map(\.reached) == [4, 2, 2, 0])
        #expect(cut.outcomes == .init(won: 0, lost: 1, disqualified: 1, open: 2))
        #expect(cut.revenue == 0)
        #expect(cut.averageDealValue == nil)
        #expect(cut.timeToCloseDays == .init(median: nil, mean: nil))
        #expect(cut.winRate == 0)
        // From day 2: the cohort is L3 and L4; costs are tv 40 and null 10.
        let late = log.report(from: 2 * day, to: 20 * day)
        #expect(late.leads == 2)
        #expect(late.cost == 50)
        #expect(late.costPerLead == 25)
        #expect(late.funnel.map(\.reached) == [2, 0, 0, 0])
        #expect(late.funnel[1].rate == 0)
        #expect(late.funnel[2].rate == nil)  // reached at mql is 0
        #expect(late.channels.map(\.channel) == ["tv", "web", nil])
        #expect(late.closeRate == 0)
        #expect(late.winRate == nil)
        // A period with nothing in it.
        let empty = log.report(from: 100 * day, to: 200 * day)
        #expect(empty.leads == 0 && empty.cost == 0 && empty.costPerLead == nil && empty.closeRate == nil)
        #expect(empty.funnel.map(\.cumulative) == [nil, nil, nil, nil])
        #expect(empty.channels.isEmpty)
    }

    /// Capture rules: the earliest `lead` line, else the earliest line with channel null.
    @Test func captureRules() throws {
        let lines = [
            #"{"kind": "lead", "lead": "A", "at": 500, "channel": "late"}"#,
            #"{"kind": "lead", "lead": "A", "at": 100, "channel": "first"}"#,
            #"{"kind": "lead", "lead": "A", "at": 100, "channel": "second"}"#,
            #"{"kind": "move", "lead": "B", "from": "new", "to": "mql", "at": 300}"#,
            #"{"kind": "deal", "lead": "B", "value": 5, "at": 200}"#,
            #"{"kind": "lead", "lead": "B", "at": 900, "channel": "x"}"#,
        ]
        let log = try log(lines)
        // Up to 1000: A by "first" at 100 (first in line order of the two at 100); B by "x" at 900.
        #expect(log.report(to: 1000).channels.map(\.channel) == ["first", "x"])
        // Up to 800: B's lead line does not count yet, so B is captured by its deal at 200, channel null.
        let early = log.report(to: 800)
        #expect(early.channels.map(\.channel) == ["first", nil])
        #expect(early.stages[0].medianDays == 100.0 / day)  // B: new from 200 to 300
        // From 150: only B (captured at 200) is in the cohort.
        #expect(log.report(from: 150, to: 800).leads == 1)
        // A lead whose only lines are at or after `to` does not exist yet.
        #expect(log.report(to: 150).leads == 1)
    }

    /// A move before the capture ends a stay of 0 days, never a negative one.
    @Test func moveBeforeCapture() throws {
        let report = try log([
            #"{"kind": "lead", "lead": "A", "at": 1000}"#,
            #"{"kind": "move", "lead": "A", "from": "new", "to": "mql", "at": 400}"#,
        ]).report()
        #expect(report.stages[0].medianDays == 0)
        #expect(report.stages[1].open == 1)
    }

    @Test func quantiles() {
        #expect(ReportBuilder.quantile([7], 1, 2) == 7)
        #expect(ReportBuilder.quantile([7], 9, 10) == 7)
        #expect(ReportBuilder.quantile([1, 2], 1, 2) == 1)  // ⌈1⌉−1 = 0
        #expect(ReportBuilder.quantile([1, 2], 9, 10) == 2)  // ⌈1.8⌉−1 = 1
        let ten = (1...10).map(Double.init)
        #expect(ReportBuilder.quantile(ten, 1, 2) == 5)  // ⌈5⌉−1 = 4
        #expect(ReportBuilder.quantile(ten, 9, 10) == 9)  // ⌈9⌉−1 = 8
        #expect(ReportBuilder.quantile([], 1, 2) == nil)
    }

    /// Ten stays in new of 1…10 days, through the report, in shuffled line order.
    @Test func tenStays() throws {
        var lines: [String] = []
        for i in 1...10 {
            lines.append(#"{"kind": "move", "lead": "L\#(i)", "from": "new", "to": "mql", "at": \#(Double(i) * day)}"#)
            lines.append(#"{"kind": "lead", "lead": "L\#(i)", "at": 0}"#)
        }
        let report = try log(lines.reversed()).report()
        #expect(report.stages[0] == .init(stage: "new", stays: 10, open: 0, medianDays: 5, p90Days: 9, meanDays: 5.5))
        #expect(report.stages[1] == .init(stage: "mql", stays: 10, open: 10, medianDays: nil, p90Days: nil, meanDays: nil))
    }

    /// Moves at the same time keep line order; a move into a stage repeated makes a new stay.
    @Test func sameTimeMovesKeepLineOrder() throws {
        let report = try log([
            #"{"kind": "lead", "lead": "A", "at": 0}"#,
            #"{"kind": "move", "lead": "A", "from": "new", "to": "mql", "at": 100}"#,
            #"{"kind": "move", "lead": "A", "from": "mql", "to": "nurture", "at": 100}"#,
            #"{"kind": "move", "lead": "A", "from": "nurture", "to": "mql", "at": 200}"#,
        ]).report()
        #expect(report.stages[1].stays == 2 && report.stages[1].open == 1)
        #expect(report.stages[5].stays == 1 && report.stages[5].open == 0)
        #expect(report.funnel.map(\.reached) == [1, 1, 0, 0])
    }

    @Test func explicitPathAndBenchmarks() throws {
        let model = try reportModel(path: #"["new", "sql", "won"]"#, benchmarks: #"{"sql": 0.6, "won": 0.25}"#)
        let report = try log(handWorked, model: model).report(from: 0, to: 20 * day)
        #expect(report.funnel == [
            .init(stage: "new", label: "New", reached: 4, rate: nil, cumulative: 1, benchmark: nil),
            .init(stage: "sql", label: nil, reached: 2, rate: 0.5, cumulative: 0.5, benchmark: 0.6),
            .init(stage: "won", label: nil, reached: 1, rate: 0.5, cumulative: 0.25, benchmark: 0.25),
        ])
        #expect(report.channels[2].reached.map(\.stage) == ["new", "sql", "won"])
        // A path may include stages off the default line: nurture counts as after sql here.
        let odd = try reportModel(path: #"["new", "nurture", "dq"]"#)
        #expect(try log(handWorked, model: odd).report(from: 0, to: 20 * day).funnel.map(\.reached) == [4, 1, 1])
    }

    @Test func defaultPath() throws {
        // Without a won stage, the path is every stage but lost and disqualified ones.
        let model = try Model(
            json: """
                {"format": "funnel.model/1", "stages": {"initial": "a", "list": [
                  {"id": "a"}, {"id": "x", "outcome": "lost"}, {"id": "b"}, {"id": "y", "outcome": "disqualified"}]}}
                """)
        #expect(try model.report(history: "").funnel.map(\.stage) == ["a", "b"])
        #expect(try reportModel().report(history: "").funnel.map(\.stage) == ["new", "mql", "sql", "won"])
    }

    @Test func pathAndBenchmarkFaults() {
        func faults(_ path: String?, _ benchmarks: String?) -> [String] {
            do {
                _ = try reportModel(path: path, benchmarks: benchmarks)
                return []
            } catch let error as ModelError {
                return error.faults.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        #expect(faults(#"["new", "mql", "sqll"]"#, nil) == [#"stages.path[2]: unknown stage "sqll""#])
        #expect(faults(#"["new", "new"]"#, nil) == [#"stages.path[1]: stage "new" repeats in the path"#])
        #expect(faults("[]", nil) == ["stages.path: expected at least one stage"])
        #expect(faults(#"["new", 3]"#, nil) == ["stages.path[1]: expected a string, found a number"])
        #expect(faults(#""new""#, nil) == ["stages.path: expected an array, found a string"])
        #expect(faults(nil, #"{"sal": 0.5}"#) == [#"stages.benchmarks.sal: unknown stage "sal""#])
        #expect(faults(nil, #"{"lost": 0.5}"#) == [#"stages.benchmarks.lost: stage "lost" is not in the funnel's path"#])
        #expect(faults(nil, #"{"mql": 1.5}"#) == ["stages.benchmarks.mql: expected a rate between 0 and 1, found 1.5"])
        #expect(faults(nil, #"{"mql": -0.1}"#) == ["stages.benchmarks.mql: expected a rate between 0 and 1, found -0.1"])
        #expect(faults(nil, #"{"mql": "high"}"#) == ["stages.benchmarks.mql: expected a number, found a string"])
        #expect(faults(nil, #"{"new": 0.5}"#).first?.hasPrefix("stages.benchmarks.new: the first stage") == true)
        #expect(faults(nil, #"[0.5]"#) == ["stages.benchmarks: expected an object, found an array"])
        #expect(faults(#"["new", "sql"]"#, #"{"sql": 0, "won": 1}"#)
            == [#"stages.benchmarks.won: stage "won" is not in the funnel's path"#])
        // The same checks hold for a definition built in Swift.
        var definition = ModelDefinition()
        definition.stages = Stages(
            initial: "a", list: [Stage("a"), Stage("b")], transitions: [], path: ["a", "c"],
            benchmarks: ["b": .nan])
        #expect(throws: ModelError.self) { try Model(definition) }
    }

    /// Reasons: by the stage's list position, then count (larger first), then reason (null first, code points).
    @Test func reasonsOrdering() throws {
        var lines: [String] = []
        func move(_ lead: String, _ to: String, _ reason: String?) {
            let r = reason.map { "\"\($0)\"" } ?? "null"
            lines.append(#"{"kind": "move", "lead": "\#(lead)", "from": "new", "to": "\#(to)", "at": 10, "reason": \#(r)}"#)
        }
        move("a", "dq", "b_reason")
        move("b", "dq", "a_reason")
        move("c", "dq", "Zeta")
        move("d", "dq", nil)
        move("e", "dq", "zz")
        move("f", "dq", "zz")
        move("g", "lost", "price")
        move("h", "won", "é")
        move("i", "won", "z")
        move("j", "mql", "ignored")  // not an outcome stage
        let report = try log(lines).report()
        #expect(report.reasons == [
            .init(to: "won", reason: "z", count: 1), .init(to: "won", reason: "é", count: 1),
            .init(to: "lost", reason: "price", count: 1),
            .init(to: "dq", reason: "zz", count: 2), .init(to: "dq", reason: nil, count: 1),
            .init(to: "dq", reason: "Zeta", count: 1), .init(to: "dq", reason: "a_reason", count: 1),
            .init(to: "dq", reason: "b_reason", count: 1),
        ])
    }

    @Test func lineErrorsNameLineAndField() throws {
        func message(_ line: String) throws -> String? { try error(line)?.description }
        #expect(try message(#"{"kind": "visit", "lead": "a", "at": 1}"#)
            == #"line 1: kind: unknown kind "visit" (expected lead, move, deal or cost)"#)
        #expect(try message(#"{"lead": "a", "at": 1}"#) == "line 1: kind: required field is missing")
        #expect(try message(#"{"kind": 3}"#) == "line 1: kind: expected a string, found a number")
        #expect(try message(#"{"kind": "move", "lead": "a", "from": "new", "to": "sqll", "at": 1}"#)
            == #"line 1: to: unknown stage "sqll""#)
        #expect(try message(#"{"kind": "move", "lead": "a", "from": "nu", "to": "mql", "at": 1}"#)
            == #"line 1: from: unknown stage "nu""#)
        #expect(try message(#"{"kind": "move", "lead": "a", "from": "new", "at": 1}"#)
            == "line 1: to: required field is missing")
        #expect(try message(#"{"kind": "lead", "lead": "a", "at": "2026-11-01T10:00:00"}"#)
            == #"line 1: at: expected RFC 3339 date-time with a zone, found "2026-11-01T10:00:00""#)
        #expect(try message(#"{"kind": "lead", "lead": "a", "at": true}"#)
            == "line 1: at: expected RFC 3339 text or seconds since the epoch, found a boolean")
        #expect(try message(#"{"kind": "lead", "lead": "a"}"#) == "line 1: at: required field is missing")
        #expect(try message(#"{"kind": "lead", "lead": 7, "at": 1}"#)
            == "line 1: lead: expected a non-empty string, found a number")
        #expect(try message(#"{"kind": "lead", "lead": "", "at": 1}"#)
            == "line 1: lead: expected a non-empty string, found a string")
        #expect(try message(#"{"kind": "lead", "lead": "a", "at": 1, "chanel": "x"}"#)
            == "line 1: chanel: unknown field for a lead line")
        #expect(try message(#"{"kind": "lead", "lead": "a", "at": 1, "channel": 5}"#)
            == "line 1: channel: expected a non-empty string or null, found a number")
        #expect(try message(#"{"kind": "deal", "lead": "a", "value": "10", "at": 1}"#)
            == "line 1: value: expected a number, found a string")
        #expect(try message(#"{"kind": "deal", "lead": "a", "value": -1, "at": 1}"#)
            == "line 1: value: expected a number of at least 0, found -1.0")
        #expect(try message(#"{"kind": "cost", "channel": "x", "at": 1}"#) == "line 1: amount: required field is missing")
        #expect(try message(#"{"kind": "cost", "lead": "a", "channel": "x", "amount": 1, "at": 1}"#)
            == "line 1: lead: unknown field for a cost line")
        #expect(try message(#"[1]"#) == "line 1: expected an object, found an array")
        #expect(try message(#"{"kind": "lead""#)?.hasPrefix("line 1: malformed JSON") == true)
        #expect(try message(#"{"kind": "move", "lead": "a", "from": "new", "to": "mql", "at": 1, "reason": 3}"#)
            == "line 1: reason: expected a non-empty string or null, found a number")
        // A model without stages takes no moves.
        let bare = try Model(json: #"{"format": "funnel.model/1"}"#)
        #expect(try error(#"{"kind": "move", "lead": "a", "from": "new", "to": "mql", "at": 1}"#, model: bare)?
            .description == "line 1: kind: a move needs a model with a stages section")
        // Line numbers count blank lines; a failing line leaves the log unchanged.
        var log = HistoryLog(model: try reportModel())
        try log.add(line: #"{"kind": "lead", "lead": "a", "at": 1}"#)
        try log.add(line: "  ")
        do {
            try log.add(line: #"{"kind": "move", "lead": "b", "from": "new", "to": "x", "at": 1}"#)
            Issue.record("accepted a bad line")
        } catch {
            #expect(error == HistoryError(line: 3, field: "to", message: #"unknown stage "x""#))
        }
        #expect(log.report().leads == 1)
        do {
            try log.add(jsonLines: "{\"kind\": \"lead\", \"lead\": \"c\", \"at\": 1}\r\n\n{\"kind\": \"cost\"}\n")
            Issue.record("accepted a bad line")
        } catch {
            #expect(error.line == 6 && error.field == "channel" || error.line == 6 && error.field == "amount")
        }
    }

    @Test func valuesAndModelWithoutStages() throws {
        var log = HistoryLog(model: try Model(json: #"{"format": "funnel.model/1"}"#))
        try log.add(.lead(lead: "a", at: 10, channel: "web"))
        try log.add(.deal(lead: "a", value: 5, at: 11))
        try log.add(.cost(channel: "web", amount: 20, at: 12))
        #expect(throws: HistoryError(line: 4, field: "amount", message: "expected a number of at least 0, found nan")) {
            try log.add(.cost(channel: "web", amount: .nan, at: 12))
        }
        #expect(throws: HistoryError.self) { try log.add(.lead(lead: "", at: 1, channel: nil)) }
        let report = log.report()
        #expect(report.leads == 1 && report.funnel.isEmpty && report.stages.isEmpty)
        #expect(report.outcomes == .init(open: 1))
        #expect(report.channels.map(\.costPerLead) == [20])
        // Swift values and JSON lines give the same report.
        var values = HistoryLog(model: try reportModel())
        var text = HistoryLog(model: try reportModel())
        try values.add(.lead(lead: "a", at: 0, channel: nil))
        try values.add(.move(lead: "a", from: "new", to: "dq", at: day, reason: "spam", by: "auto"))
        try text.add(jsonLines: """
            {"kind":"lead","lead":"a","at":0,"channel":null}
            {"kind":"move","lead":"a","from":"new","to":"dq","at":86400,"reason":"spam","by":"auto"}
            """)
        #expect(values.report() == text.report())
    }

    /// Hostile lines are errors naming the line, never crashes.
    @Test func hostileLines() throws {
        var log = HistoryLog(model: try reportModel())
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: HistoryError.self) { try log.add(line: deep) }
        let deepObject = #"{"kind": "lead", "lead": "a", "at": 1, "channel": "# + String(repeating: "{\"a\":", count: 50_000)
        #expect(throws: HistoryError.self) { try log.add(line: deepObject) }
        #expect(throws: HistoryError.self) { try log.add(line: [0x7B, 0x00, 0x7D]) }
        #expect(throws: HistoryError.self) { try log.add(line: [0x22, 0xFF, 0x22]) }
        let huge = String(repeating: "x", count: 1 << 20)
        try log.add(line: #"{"kind": "lead", "lead": "\#(huge)", "at": 1, "channel": "\#(huge)"}"#)
        #expect(log.lineCount == 5)
        #expect(log.report().channels.first?.channel?.utf8.count == 1 << 20)
    }
}
