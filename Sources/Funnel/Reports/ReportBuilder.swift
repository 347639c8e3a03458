/// Computes a ``FunnelReport`` from a ``HistoryLog`` for one period (SPEC §12).
///
/// Only facts with `at < to` count. Each cohort lead is replayed once: it starts
/// in the initial stage at its capture and is, after each move (ordered by `at`,
/// then line order), in that move's `to`.
///
/// Where SPEC §12 is silent:
/// - a move dated before its lead's capture still counts; the stay it ends lasts
///   0 days (stays and times to close are never negative);
/// - "later" in the path means later in path order, so a lead that jumps from the
///   first path stage to the fourth has reached the second and third too;
/// - the latest deal is the one with the greatest `at` before `to`, then the last in line order;
/// - a model without stages has an empty funnel and stages table and every cohort
///   lead counts as open.
struct ReportBuilder {
    let log: HistoryLog
    let from: Double?
    let to: Double?

    private static let secondsPerDay = 86_400.0

    func build() -> FunnelReport {
        let start = from ?? -.infinity
        let end = to ?? .infinity
        let model = log.model
        let stages = model.compiled.stages
        let definitions = model.definition.stages?.list ?? []
        let path = stages?.path ?? []
        let stageCount = stages?.ids.count ?? 0
        var pathPosition = [Int](repeating: -1, count: stageCount)
        for (p, stage) in path.enumerated() { pathPosition[Int(stage)] = p }
        let leadCount = log.leadCount
        let channelCount = log.channels.count

        // Capture and cohort.
        var inCohort = [Bool](repeating: false, count: leadCount)
        var captured = [Double](repeating: 0, count: leadCount)
        var channelOf = [Int32](repeating: -1, count: leadCount)
        var cohort = 0
        for l in 0..<leadCount {
            let lead = log.leads[l]
            if lead.captureAt < end {
                captured[l] = lead.captureAt
                channelOf[l] = lead.captureChannel
            } else if lead.firstAt < end {
                captured[l] = lead.firstAt
                channelOf[l] = -1
            } else {
                continue
            }
            if captured[l] >= start {
                inCohort[l] = true
                cohort += 1
            }
        }

        // The cohort's moves before `to`, grouped by lead in line order (each
        // lead's sorted by `at` below, stably, so ties stay in line order).
        var moveStart = [Int](repeating: 0, count: leadCount + 1)
        for move in log.moves where move.at < end && inCohort[Int(move.lead)] { moveStart[Int(move.lead) + 1] += 1 }
        for l in 0..<leadCount { moveStart[l + 1] += moveStart[l] }
        var fill = moveStart
        var ordered = [Step](repeating: Step(at: 0, to: 0, reason: -1), count: moveStart[leadCount])
        for move in log.moves where move.at < end && inCohort[Int(move.lead)] {
            ordered[fill[Int(move.lead)]] = Step(at: move.at, to: move.to, reason: move.reason)
            fill[Int(move.lead)] += 1
        }
        fill = []

        // The latest deal before `to`, per lead.
        var dealAt = [Double](repeating: -.infinity, count: leadCount)
        var dealSeq = [Int](repeating: -1, count: leadCount)
        var dealValue = [Double?](repeating: nil, count: leadCount)
        for deal in log.deals where deal.at < end && inCohort[Int(deal.lead)] {
            let l = Int(deal.lead)
            if deal.at > dealAt[l] || (deal.at == dealAt[l] && deal.seq > dealSeq[l]) {
                dealAt[l] = deal.at
                dealSeq[l] = deal.seq
                dealValue[l] = deal.value
            }
        }

        // Replay every cohort lead.
        var reached = [Int](repeating: 0, count: path.count)
        var stays = [Int](repeating: 0, count: stageCount)
        var open = [Int](repeating: 0, count: stageCount)
        var durations = [[Double]](repeating: [], count: stageCount)
        var reasonCounts: [Int64: Int] = [:]
        var outcomes = FunnelReport.Outcomes()
        var revenue = 0.0
        var deals = 0
        var timesToClose: [Double] = []
        // Per channel (index channelCount is the null channel).
        var channelLeads = [Int](repeating: 0, count: channelCount + 1)
        var channelReached = [[Int]](repeating: [Int](repeating: 0, count: path.count), count: channelCount + 1)
        var channelWon = [Int](repeating: 0, count: channelCount + 1)
        var channelRevenue = [Double](repeating: 0, count: channelCount + 1)
        var channelCost = [Double](repeating: 0, count: channelCount + 1)
        var channelSeen = [Bool](repeating: false, count: channelCount + 1)

        for l in 0..<leadCount where inCohort[l] {
            let channel = channelOf[l] < 0 ? channelCount : Int(channelOf[l])
            channelSeen[channel] = true
            channelLeads[channel] += 1
            guard let stages else {
                outcomes.open += 1
                continue
            }
            Self.sortByTime(&ordered, moveStart[l]..<moveStart[l + 1])
            var stage = Int(stages.initial)
            var since = captured[l]
            var furthest = pathPosition[stage]
            var lastWon: Double?
            for move in ordered[moveStart[l]..<moveStart[l + 1]] {
                stays[stage] += 1
                durations[stage].append(max(0, move.at - since) / Self.secondsPerDay)
                let target = Int(move.to)
                if let outcome = stages.outcomes[target] {
                    reasonCounts[Int64(target) << 32 | Int64(move.reason + 1), default: 0] += 1
                    if outcome == .won { lastWon = move.at }
                }
                stage = target
                since = move.at
                furthest = max(furthest, pathPosition[stage])
            }
            stays[stage] += 1
            open[stage] += 1
            if furthest >= 0 {
                for p in 0...furthest {
                    reached[p] += 1
                    channelReached[channel][p] += 1
                }
            }
            switch stages.outcomes[stage] {
            case .won?:
                outcomes.won += 1
                channelWon[channel] += 1
                if let value = dealValue[l] {
                    revenue += value
                    deals += 1
                    channelRevenue[channel] += value
                }
                if let lastWon { timesToClose.append(max(0, lastWon - captured[l]) / Self.secondsPerDay) }
            case .lost?: outcomes.lost += 1
            case .disqualified?: outcomes.disqualified += 1
            case nil: outcomes.open += 1
            }
        }

        var cost = 0.0
        for record in log.costs where record.at >= start && record.at < end {
            let channel = record.channel < 0 ? channelCount : Int(record.channel)
            cost += record.amount
            channelCost[channel] += record.amount
            channelSeen[channel] = true
        }

        // Tables.
        let ids = stages?.ids ?? []
        var funnel: [FunnelReport.FunnelRow] = []
        for (p, stage) in path.enumerated() {
            let s = Int(stage)
            funnel.append(
                FunnelReport.FunnelRow(
                    stage: ids[s], label: definitions.indices.contains(s) ? definitions[s].label : nil,
                    reached: reached[p], rate: p == 0 ? nil : ratio(reached[p], reached[p - 1]),
                    cumulative: ratio(reached[p], reached[0]), benchmark: stages?.benchmarks[p]))
        }
        var stageRows: [FunnelReport.StageRow] = []
        for s in 0..<stageCount {
            var values = durations[s]
            durations[s] = []  // sorted in place, not copied
            DurationSort.sort(&values)
            let summary = Self.summary(values)
            stageRows.append(
                FunnelReport.StageRow(
                    stage: ids[s], stays: stays[s], open: open[s], medianDays: summary.median,
                    p90Days: Self.quantile(values, 9, 10), meanDays: summary.mean))
        }
        var reasonRows = reasonCounts.map { key, count in
            (stage: Int(key >> 32), reason: Int32(truncatingIfNeeded: key & 0xFFFF_FFFF) - 1, count: count)
        }
        reasonRows.sort { a, b in
            if a.stage != b.stage { return a.stage < b.stage }
            if a.count != b.count { return a.count > b.count }
            if a.reason < 0 || b.reason < 0 { return a.reason < 0 && b.reason >= 0 }
            return Self.codePointOrder(log.reasons[Int(a.reason)], log.reasons[Int(b.reason)])
        }
        DurationSort.sort(&timesToClose)

        var channelOrder = (0..<channelCount).filter { channelSeen[$0] }
        channelOrder.sort { Self.codePointOrder(log.channels[$0], log.channels[$1]) }
        if channelSeen[channelCount] { channelOrder.append(channelCount) }
        let channelRows = channelOrder.map { c in
            FunnelReport.ChannelRow(
                channel: c == channelCount ? nil : log.channels[c], leads: channelLeads[c], cost: channelCost[c],
                costPerLead: ratio(channelCost[c], channelLeads[c]),
                reached: path.enumerated().map { p, stage in
                    FunnelReport.StageCount(stage: ids[Int(stage)], count: channelReached[c][p])
                },
                won: channelWon[c], closeRate: ratio(Double(channelWon[c]), channelLeads[c]),
                revenue: channelRevenue[c], costPerWon: ratio(channelCost[c], channelWon[c]))
        }

        return FunnelReport(
            from: from, to: to, leads: cohort, cost: cost, costPerLead: ratio(cost, cohort), funnel: funnel,
            stages: stageRows,
            reasons: reasonRows.map {
                FunnelReport.ReasonRow(
                    to: ids[$0.stage], reason: $0.reason < 0 ? nil : log.reasons[Int($0.reason)], count: $0.count)
            },
            outcomes: outcomes, closeRate: ratio(Double(outcomes.won), cohort),
            winRate: ratio(Double(outcomes.won), outcomes.won + outcomes.lost), revenue: revenue,
            averageDealValue: ratio(revenue, deals), timeToCloseDays: Self.summary(timesToClose),
            channels: channelRows)
    }

    /// A move of one lead as the replay needs it (16 bytes: the sort moves less).
    struct Step {
        var at: Double
        var to: Int32
        var reason: Int32
    }

    /// Sorts `steps[range]` by `at`, stably: equal times keep their (line) order.
    /// Insertion sort for the few moves a lead has; by (at, position) beyond that.
    static func sortByTime(_ steps: inout [Step], _ range: Range<Int>) {
        if range.count <= 32 {
            steps.withUnsafeMutableBufferPointer { s in
                guard range.count > 1 else { return }
                for i in (range.lowerBound + 1)..<range.upperBound {
                    let step = s[i]
                    var j = i
                    while j > range.lowerBound && step.at < s[j - 1].at {
                        s[j] = s[j - 1]
                        j -= 1
                    }
                    s[j] = step
                }
            }
            return
        }
        var order = Array(range)
        order.sort { (steps[$0].at, $0) < (steps[$1].at, $1) }
        let sorted = order.map { steps[$0] }
        steps.replaceSubrange(range, with: sorted)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double? { ratio(Double(a), b) }
    private func ratio(_ a: Double, _ b: Int) -> Double? { b == 0 ? nil : a / Double(b) }

    /// The q-quantile of sorted values, q = `numerator / denominator`: the value at
    /// index ⌈q·n⌉ − 1 (SPEC §12), in integer arithmetic so that 0.9 · 10 is exactly 9.
    static func quantile(_ sorted: [Double], _ numerator: Int, _ denominator: Int) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = (numerator * sorted.count + denominator - 1) / denominator
        return sorted[max(rank, 1) - 1]
    }

    /// The median (0.5-quantile) and the mean of sorted values.
    static func summary(_ sorted: [Double]) -> FunnelReport.Summary {
        guard !sorted.isEmpty else { return FunnelReport.Summary(median: nil, mean: nil) }
        var sum = 0.0
        for x in sorted { sum += x }
        return FunnelReport.Summary(median: quantile(sorted, 1, 2), mean: sum / Double(sorted.count))
    }

    /// Orders strings by Unicode code point (UTF-8 byte order is the same order).
    static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
