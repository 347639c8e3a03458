import FoundationEssentials

// Funnel keeps instants as seconds since the Unix epoch (a `Double`), as its
// documents and the C ABI do; everywhere the Swift API takes or gives an
// instant it also speaks `Date`, which converts exactly to those seconds.

extension Model {
    /// Scores one lead at `date`, explained: ``score(_:at:)-(_,Double)`` with a `Date`
    /// (`funnel_score_json`).
    public func score(_ lead: Lead, at date: Date) throws(LeadError) -> ScoreResult {
        try score(lead, at: date.timeIntervalSince1970)
    }

    /// Scores many leads at `date` on every core, explained, in order
    /// (`funnel_score_jsonl`).
    public func score(_ leads: [Lead], at date: Date, threads: Int = defaultThreadCount) throws(LeadBatchError)
        -> [ScoreResult]
    {
        try score(leads, at: date.timeIntervalSince1970, threads: threads)
    }

    /// Advances one lead at `date` (SPEC §5); `funnel_advance_json`.
    public func advance(_ lead: Lead, at date: Date) throws(MoveError) -> AdvanceResult {
        try advance(lead, at: date.timeIntervalSince1970)
    }

    /// Advances `lead` at `date` and records where it ends.
    @discardableResult
    public func advance(_ lead: inout Lead, at date: Date) throws(MoveError) -> AdvanceResult {
        try advance(&lead, at: date.timeIntervalSince1970)
    }

    /// Checks a manual move of `lead` to `stage` at `date`; `funnel_move_json`.
    public func move(
        _ lead: Lead, to stage: String, reason: String? = nil, by actor: String, at date: Date
    ) throws(MoveError) -> StageMove {
        try move(lead, to: stage, reason: reason, by: actor, at: date.timeIntervalSince1970)
    }

    /// Moves `lead` to `stage` at `date`; on any refusal `lead` is left as it was.
    @discardableResult
    public func move(
        _ lead: inout Lead, to stage: String, reason: String? = nil, by actor: String, at date: Date
    ) throws(MoveError) -> StageMove {
        try move(&lead, to: stage, reason: reason, by: actor, at: date.timeIntervalSince1970)
    }
}

extension LeadBatch {
    /// Every lead's scores at `date`, as columns; `funnel_batch_score`.
    public func scores(at date: Date, threads: Int = defaultThreadCount) -> BatchScores {
        scores(at: date.timeIntervalSince1970, threads: threads)
    }

    /// Every lead's full, explained score at `date`, in order (`funnel_score_jsonl`).
    public func results(at date: Date, threads: Int = defaultThreadCount) -> [ScoreResult] {
        results(at: date.timeIntervalSince1970, threads: threads)
    }

    /// Advances every lead at `date`; `nil` when the model has no stages
    /// (`funnel_advance_jsonl`).
    public func advance(at date: Date, threads: Int = defaultThreadCount) -> [AdvanceResult]? {
        advance(at: date.timeIntervalSince1970, threads: threads)
    }
}

extension Event {
    /// An event at `date`.
    public init(_ type: String, at date: Date, properties: [String: LeadValue] = [:]) {
        self.init(type, at: date.timeIntervalSince1970, properties: properties)
    }

    /// When it happened, as a `Date`.
    public var date: Date {
        get { Date(timeIntervalSince1970: at) }
        set { at = newValue.timeIntervalSince1970 }
    }
}

extension StageMove {
    /// When the move was made, as a `Date`.
    public var date: Date {
        get { Date(timeIntervalSince1970: at) }
        set { at = newValue.timeIntervalSince1970 }
    }
}
