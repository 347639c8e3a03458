/// One fact of the history log (SPEC §12): a capture, a move, a deal or a cost.
///
/// A history log is JSON Lines, one of these a line:
///
/// ```json
/// {"kind": "lead", "lead": "L-1", "at": "2026-11-01T10:00:00Z", "channel": "webinar"}
/// {"kind": "move", "lead": "L-1", "from": "new", "to": "mql", "at": 1793527200, "reason": null, "by": "auto"}
/// {"kind": "deal", "lead": "L-1", "value": 12000, "at": 1793600000}
/// {"kind": "cost", "channel": "webinar", "amount": 500, "at": 1793500000}
/// ```
public enum HistoryLine: Sendable, Hashable {
    /// The lead was captured at `at` through `channel` (`nil`: unknown channel).
    case lead(lead: String, at: Double, channel: String?)
    /// A move between stages (SPEC §5), with the lead's id.
    case move(lead: String, from: String, to: String, at: Double, reason: String?, by: String?)
    /// The lead's deal is worth `value` (the latest line before the report's end wins).
    case deal(lead: String, value: Double, at: Double)
    /// Money spent on `channel` (`nil`: spent on no particular channel).
    case cost(channel: String?, amount: Double, at: Double)

    /// When the fact happened, in seconds since the epoch.
    public var at: Double {
        switch self {
        case .lead(_, let at, _), .move(_, _, _, let at, _, _), .deal(_, _, let at), .cost(_, _, let at): at
        }
    }

    /// The lead the fact is about; `nil` for a cost.
    public var lead: String? {
        switch self {
        case .lead(let lead, _, _), .move(let lead, _, _, _, _, _), .deal(let lead, _, _): lead
        case .cost: nil
        }
    }
}

/// Why a history line was refused: the line, the field and what is wrong with it.
///
/// ```
/// line 12: to: unknown stage "sqll"
/// ```
public struct HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number in the log; 0 when the value did not come from a log line.
    public var line: Int
    /// The field at fault (`at`, `kind`, `value`); empty for the line as a whole.
    public var field: String
    /// What is wrong: `unknown stage "sqll"`.
    public var message: String
    /// True when the line is not JSON at all (or not UTF-8), rather than a JSON
    /// line that breaks the contract: the C ABI tells the two apart.
    public var isMalformed: Bool

    /// An error at `line` (1-based), about `field`.
    public init(line: Int, field: String, message: String, isMalformed: Bool = false) {
        self.line = line
        self.field = field
        self.message = message
        self.isMalformed = isMalformed
    }

    /// `line 12: to: unknown stage "sqll"`.
    public var description: String {
        let place = field.isEmpty ? message : "\(field): \(message)"
        return line > 0 ? "line \(line): \(place)" : place
    }
}
