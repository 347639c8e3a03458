/// The funnel report for a period `[from, to)` (SPEC §12): the state at `to` of the
/// leads captured in the period (the **cohort**), and the period's costs.
///
/// Build one with ``HistoryLog/report(from:to:)``; write it with ``json``,
/// ``csv`` or ``svg(title:)``. Rates are fractions (0.6, not 60); times are days.
public struct FunnelReport: Sendable, Hashable {
    /// The period's start, seconds since the epoch; `nil` when open.
    public var from: Double?
    /// The period's end (excluded); `nil` when open.
    public var to: Double?
    /// Leads captured in the period: the cohort.
    public var leads: Int
    /// The sum of cost lines with `at` in the period.
    public var cost: Double
    /// `cost ÷ leads`; `nil` when no leads.
    public var costPerLead: Double?
    /// A row per stage of the funnel's path, in path order.
    public var funnel: [FunnelRow]
    /// A row per stage of the model, in `list` order.
    public var stages: [StageRow]
    /// Moves into stages with an outcome, by stage and reason, in report order.
    public var reasons: [ReasonRow]
    /// Cohort leads by their stage's outcome at `to`.
    public var outcomes: Outcomes
    /// won ÷ cohort; `nil` when the cohort is empty.
    public var closeRate: Double?
    /// won ÷ (won + lost); `nil` when both are 0.
    public var winRate: Double?
    /// The sum of the latest deal value of each won lead that has one.
    public var revenue: Double
    /// The mean of those deal values; `nil` when no won lead has a deal.
    public var averageDealValue: Double?
    /// Days from capture to the last move into a won stage, over won leads.
    public var timeToCloseDays: Summary
    /// A row per channel of the cohort's captures or the period's costs, by
    /// channel (code point order), the null channel last.
    public var channels: [ChannelRow]

    /// One path stage of the funnel table.
    public struct FunnelRow: Sendable, Hashable {
        /// The stage id.
        public var stage: String
        /// The stage's `label`, if it has one.
        public var label: String?
        /// Cohort leads that were at some time in this path stage or a later one.
        public var reached: Int
        /// reached here ÷ reached at the previous path stage; `nil` for the first or when that is 0.
        public var rate: Double?
        /// reached here ÷ reached at the first path stage; `nil` when that is 0.
        public var cumulative: Double?
        /// The model's expected `rate`; `nil` when not given.
        public var benchmark: Double?

        /// A row with every field given.
        public init(stage: String, label: String?, reached: Int, rate: Double?, cumulative: Double?, benchmark: Double?) {
            self.stage = stage
            self.label = label
            self.reached = reached
            self.rate = rate
            self.cumulative = cumulative
            self.benchmark = benchmark
        }
    }

    /// Time in one stage of the model.
    public struct StageRow: Sendable, Hashable {
        /// The stage id.
        public var stage: String
        /// Stays in the stage: one from the capture for the initial stage, one per move in.
        public var stays: Int
        /// Stays not ended before `to`.
        public var open: Int
        /// Over the ended stays, in days (`nil` when none): the 0.5-quantile.
        public var medianDays: Double?
        /// The 0.9-quantile.
        public var p90Days: Double?
        /// The mean.
        public var meanDays: Double?

        /// A row with every field given.
        public init(stage: String, stays: Int, open: Int, medianDays: Double?, p90Days: Double?, meanDays: Double?) {
            self.stage = stage
            self.stays = stays
            self.open = open
            self.medianDays = medianDays
            self.p90Days = p90Days
            self.meanDays = meanDays
        }
    }

    /// How many moves went into an outcome stage for one reason.
    public struct ReasonRow: Sendable, Hashable {
        /// The stage moved into (one with an outcome).
        public var to: String
        /// The reason named; `nil` for moves without one.
        public var reason: String?
        /// How many such moves.
        public var count: Int

        /// A row with every field given.
        public init(to: String, reason: String?, count: Int) {
            self.to = to
            self.reason = reason
            self.count = count
        }
    }

    /// Cohort leads by the outcome of their stage at `to`.
    public struct Outcomes: Sendable, Hashable {
        /// Leads in a stage with outcome `won`.
        public var won: Int
        /// Leads in a stage with outcome `lost`.
        public var lost: Int
        /// Leads in a stage with outcome `disqualified`.
        public var disqualified: Int
        /// Leads in a stage without an outcome.
        public var open: Int

        /// Counts with every field given (0 by default).
        public init(won: Int = 0, lost: Int = 0, disqualified: Int = 0, open: Int = 0) {
            self.won = won
            self.lost = lost
            self.disqualified = disqualified
            self.open = open
        }
    }

    /// A median and a mean; both `nil` over no values.
    public struct Summary: Sendable, Hashable {
        /// The 0.5-quantile: the value at index ⌈n/2⌉ − 1 of the sorted values.
        public var median: Double?
        /// The arithmetic mean.
        public var mean: Double?

        /// A summary with both fields given.
        public init(median: Double?, mean: Double?) {
            self.median = median
            self.mean = mean
        }
    }

    /// How many cohort leads reached one path stage.
    public struct StageCount: Sendable, Hashable {
        /// The path stage's id.
        public var stage: String
        /// How many leads reached it (or a later path stage).
        public var count: Int

        /// A count with both fields given.
        public init(stage: String, count: Int) {
            self.stage = stage
            self.count = count
        }
    }

    /// The cohort and the period's costs of one channel.
    public struct ChannelRow: Sendable, Hashable {
        /// The channel; `nil` for leads captured through no known channel and costs on none.
        public var channel: String?
        /// Cohort leads captured through it.
        public var leads: Int
        /// Its costs in the period.
        public var cost: Double
        /// `cost ÷ leads`; `nil` when no leads.
        public var costPerLead: Double?
        /// Per path stage, in path order, how many of its leads reached it.
        public var reached: [StageCount]
        /// Its leads won at `to`.
        public var won: Int
        /// won ÷ leads; `nil` when no leads.
        public var closeRate: Double?
        /// The latest deal values of its won leads, summed.
        public var revenue: Double
        /// `cost ÷ won`; `nil` when no lead was won.
        public var costPerWon: Double?

        /// A row with every field given.
        public init(
            channel: String?, leads: Int, cost: Double, costPerLead: Double?, reached: [StageCount], won: Int,
            closeRate: Double?, revenue: Double, costPerWon: Double?
        ) {
            self.channel = channel
            self.leads = leads
            self.cost = cost
            self.costPerLead = costPerLead
            self.reached = reached
            self.won = won
            self.closeRate = closeRate
            self.revenue = revenue
            self.costPerWon = costPerWon
        }
    }
}

extension Model {
    /// The report of a history log (JSON Lines text) for `[from, to)` (SPEC §12).
    ///
    /// - Throws: ``HistoryError`` for the first bad line, naming it and the field.
    public func report(history jsonLines: String, from: Double? = nil, to: Double? = nil) throws(HistoryError)
        -> FunnelReport
    {
        var log = HistoryLog(model: self)
        try log.add(jsonLines: jsonLines)
        return log.report(from: from, to: to)
    }
}
