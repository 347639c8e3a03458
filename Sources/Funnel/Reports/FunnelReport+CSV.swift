extension FunnelReport {
    /// The report's tables as CSV (RFC 4180), one after another, each with its own
    /// header row and a blank line between tables, always in this order:
    ///
    /// 1. `stage,label,reached,rate,cumulative,benchmark` — a row per path stage;
    /// 2. `stage,stays,open,median_days,p90_days,mean_days` — a row per model stage;
    /// 3. `to,reason,count` — the reasons;
    /// 4. `channel,leads,cost,cost_per_lead,won,close_rate,revenue,cost_per_won,reached_<stage>…`
    ///    — a row per channel, one `reached_` column per path stage;
    /// 5. `metric,value` — `from`, `to`, `leads`, `cost`, `cost_per_lead`, `won`, `lost`,
    ///    `disqualified`, `open`, `close_rate`, `win_rate`, `revenue`, `average_deal_value`,
    ///    `time_to_close_median_days`, `time_to_close_mean_days`.
    ///
    /// A null is an empty field (so is the null channel: channels are never empty
    /// text); numbers are written as in the JSON document. Lines end with `\n`.
    public var csv: String {
        var out = ""
        func row(_ fields: [String]) {
            out += fields.map(Self.csvField).joined(separator: ",")
            out += "\n"
        }
        row(["stage", "label", "reached", "rate", "cumulative", "benchmark"])
        for r in funnel {
            row([r.stage, r.label ?? "", Self.number(r.reached), Self.number(r.rate), Self.number(r.cumulative),
                 Self.number(r.benchmark)])
        }
        out += "\n"
        row(["stage", "stays", "open", "median_days", "p90_days", "mean_days"])
        for r in stages {
            row([r.stage, Self.number(r.stays), Self.number(r.open), Self.number(r.medianDays),
                 Self.number(r.p90Days), Self.number(r.meanDays)])
        }
        out += "\n"
        row(["to", "reason", "count"])
        for r in reasons { row([r.to, r.reason ?? "", Self.number(r.count)]) }
        out += "\n"
        row(["channel", "leads", "cost", "cost_per_lead", "won", "close_rate", "revenue", "cost_per_won"]
            + funnel.map { "reached_" + $0.stage })
        for r in channels {
            row([r.channel ?? "", Self.number(r.leads), Self.number(r.cost), Self.number(r.costPerLead),
                 Self.number(r.won), Self.number(r.closeRate), Self.number(r.revenue), Self.number(r.costPerWon)]
                + r.reached.map { Self.number($0.count) })
        }
        out += "\n"
        row(["metric", "value"])
        let metrics: [(String, Double?)] = [
            ("from", from), ("to", to), ("leads", Double(leads)), ("cost", cost), ("cost_per_lead", costPerLead),
            ("won", Double(outcomes.won)), ("lost", Double(outcomes.lost)),
            ("disqualified", Double(outcomes.disqualified)), ("open", Double(outcomes.open)),
            ("close_rate", closeRate), ("win_rate", winRate), ("revenue", revenue),
            ("average_deal_value", averageDealValue), ("time_to_close_median_days", timeToCloseDays.median),
            ("time_to_close_mean_days", timeToCloseDays.mean),
        ]
        for (name, value) in metrics { row([name, Self.number(value)]) }
        return out
    }

    /// A number as the JSON document writes it; `nil` is the empty field.
    static func number(_ x: Double?) -> String {
        guard let x else { return "" }
        var w = JSONWriter(reservingCapacity: 24)
        w.writeNumber(x)
        return w.string
    }

    static func number(_ n: Int) -> String { String(n) }

    /// RFC 4180 quoting, only where needed.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for c in text {
            if c == "\"" { quoted += "\"\"" } else { quoted.append(c) }
        }
        return quoted + "\""
    }
}
