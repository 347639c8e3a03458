extension FunnelReport {
    /// The format tag of the report document.
    public static let format = "funnel.report/1"

    /// The `funnel.report/1` document (SPEC §12), compact, members in the spec's order.
    ///
    /// `from` and `to` are seconds since the epoch, `null` for an open end. Each
    /// funnel row also carries the stage's `label` (`null` when it has none).
    public var json: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// ``json`` as UTF-8 bytes.
    public var jsonBytes: [UInt8] {
        var w = JSONWriter(reservingCapacity: 1024)
        w.writeRaw("{\"format\":")
        w.writeString(Self.format)
        w.writeRaw(",\"from\":")
        w.write(from)
        w.writeRaw(",\"to\":")
        w.write(to)
        w.writeRaw(",\"leads\":")
        w.writeNumber(Double(leads))
        w.writeRaw(",\"cost\":")
        w.writeNumber(cost)
        w.writeRaw(",\"cost_per_lead\":")
        w.write(costPerLead)
        w.writeRaw(",\"funnel\":[")
        for (i, row) in funnel.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"stage\":")
            w.writeString(row.stage)
            w.writeRaw(",\"label\":")
            w.write(row.label)
            w.writeRaw(",\"reached\":")
            w.writeNumber(Double(row.reached))
            w.writeRaw(",\"rate\":")
            w.write(row.rate)
            w.writeRaw(",\"cumulative\":")
            w.write(row.cumulative)
            w.writeRaw(",\"benchmark\":")
            w.write(row.benchmark)
            w.writeRaw("}")
        }
        w.writeRaw("],\"stages\":[")
        for (i, row) in stages.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"stage\":")
            w.writeString(row.stage)
            w.writeRaw(",\"stays\":")
            w.writeNumber(Double(row.stays))
            w.writeRaw(",\"open\":")
            w.writeNumber(Double(row.open))
            w.writeRaw(",\"median_days\":")
            w.write(row.medianDays)
            w.writeRaw(",\"p90_days\":")
            w.write(row.p90Days)
            w.writeRaw(",\"mean_days\":")
            w.write(row.meanDays)
            w.writeRaw("}")
        }
        w.writeRaw("],\"reasons\":[")
        for (i, row) in reasons.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"to\":")
            w.writeString(row.to)
            w.writeRaw(",\"reason\":")
            w.write(row.reason)
            w.writeRaw(",\"count\":")
            w.writeNumber(Double(row.count))
            w.writeRaw("}")
        }
        w.writeRaw("],\"outcomes\":{\"won\":")
        w.writeNumber(Double(outcomes.won))
        w.writeRaw(",\"lost\":")
        w.writeNumber(Double(outcomes.lost))
        w.writeRaw(",\"disqualified\":")
        w.writeNumber(Double(outcomes.disqualified))
        w.writeRaw(",\"open\":")
        w.writeNumber(Double(outcomes.open))
        w.writeRaw("},\"close_rate\":")
        w.write(closeRate)
        w.writeRaw(",\"win_rate\":")
        w.write(winRate)
        w.writeRaw(",\"revenue\":")
        w.writeNumber(revenue)
        w.writeRaw(",\"average_deal_value\":")
        w.write(averageDealValue)
        w.writeRaw(",\"time_to_close_days\":{\"median\":")
        w.write(timeToCloseDays.median)
        w.writeRaw(",\"mean\":")
        w.write(timeToCloseDays.mean)
        w.writeRaw("},\"channels\":[")
        for (i, row) in channels.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeRaw("{\"channel\":")
            w.write(row.channel)
            w.writeRaw(",\"leads\":")
            w.writeNumber(Double(row.leads))
            w.writeRaw(",\"cost\":")
            w.writeNumber(row.cost)
            w.writeRaw(",\"cost_per_lead\":")
            w.write(row.costPerLead)
            w.writeRaw(",\"reached\":{")
            for (j, entry) in row.reached.enumerated() {
                if j > 0 { w.writeRaw(",") }
                w.writeString(entry.stage)
                w.writeRaw(":")
                w.writeNumber(Double(entry.count))
            }
            w.writeRaw("},\"won\":")
            w.writeNumber(Double(row.won))
            w.writeRaw(",\"close_rate\":")
            w.write(row.closeRate)
            w.writeRaw(",\"revenue\":")
            w.writeNumber(row.revenue)
            w.writeRaw(",\"cost_per_won\":")
            w.write(row.costPerWon)
            w.writeRaw("}")
        }
        w.writeRaw("]}")
        return w.bytes
    }
}

extension JSONWriter {
    /// A number, or `null` for `nil`.
    fileprivate mutating func write(_ x: Double?) {
        if let x { writeNumber(x) } else { writeNull() }
    }

    /// A string, or `null` for `nil`.
    fileprivate mutating func write(_ s: String?) {
        if let s { writeString(s) } else { writeNull() }
    }
}
