/// Why a manual move (or an advance) was refused. The lead is left exactly as it was.
///
/// A struct rather than an enum, so that new refusals can be added without
/// breaking callers that switch on them: compare ``code`` with the static
/// members of ``Code``, or the whole error with the static constructors
/// (`error == .unknownStage("closed")`). The C ABI reports these as
/// `FUNNEL_E_REFUSED` (refusals) or `FUNNEL_E_INVALID` (``Code/invalidLead``,
/// ``Code/noStages``) from `funnel_move_json` and `funnel_advance_json`.
public struct MoveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal: SPEC §5's, plus the lead or model not fitting.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, such as `unknown_stage`.
        public let rawValue: String
        /// The code named `rawValue`; the static members are the known ones.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The target stage is not in the model.
        public static let unknownStage = Code(rawValue: "unknown_stage")
        /// No transition leads from the lead's stage to the target.
        public static let transitionNotAllowed = Code(rawValue: "transition_not_allowed")
        /// The target's `requires` does not hold; ``MoveError/unmet`` lists the unmet parts.
        public static let guardNotMet = Code(rawValue: "guard_not_met")
        /// Every transition to the target has a reasons list and none was given.
        public static let reasonRequired = Code(rawValue: "reason_required")
        /// The reason is in no reasons list of a transition to the target.
        public static let reasonNotAllowed = Code(rawValue: "reason_not_allowed")
        /// The lead document does not fit the model; ``MoveError/leadError`` says how.
        public static let invalidLead = Code(rawValue: "invalid_lead")
        /// The model has no `stages` section.
        public static let noStages = Code(rawValue: "no_stages")
    }

    /// What kind of refusal this is.
    public var code: Code
    /// The stage the move named, when the refusal is about it.
    public var stage: String?
    /// The lead's stage, for ``Code/transitionNotAllowed``.
    public var from: String?
    /// The reason the move named, for ``Code/reasonNotAllowed``.
    public var reason: String?
    /// The reasons the transitions allow, for the reason refusals.
    public var allowed: [String] = []
    /// The unmet parts of the guard, as predicates (`budget >= 10000`).
    public var unmet: [String] = []
    /// Why the lead does not fit the model, for ``Code/invalidLead``.
    public var leadError: LeadError?

    /// A refusal of kind `code` with no details.
    public init(_ code: Code) { self.code = code }

    /// The target stage is not in the model.
    public static func unknownStage(_ stage: String) -> MoveError {
        var error = MoveError(.unknownStage)
        error.stage = stage
        return error
    }

    /// No transition leads from `from` to `to`.
    public static func transitionNotAllowed(from: String, to: String) -> MoveError {
        var error = MoveError(.transitionNotAllowed)
        (error.from, error.stage) = (from, to)
        return error
    }

    /// `stage`'s `requires` does not hold; `unmet` are its unmet parts.
    public static func guardNotMet(stage: String, unmet: [String]) -> MoveError {
        var error = MoveError(.guardNotMet)
        (error.stage, error.unmet) = (stage, unmet)
        return error
    }

    /// A reason is required, one of `allowed`.
    public static func reasonRequired(allowed: [String]) -> MoveError {
        var error = MoveError(.reasonRequired)
        error.allowed = allowed
        return error
    }

    /// `reason` is not allowed; `allowed` are.
    public static func reasonNotAllowed(_ reason: String, allowed: [String]) -> MoveError {
        var error = MoveError(.reasonNotAllowed)
        (error.reason, error.allowed) = (reason, allowed)
        return error
    }

    /// The lead document does not fit the model.
    public static func invalidLead(_ leadError: LeadError) -> MoveError {
        var error = MoveError(.invalidLead)
        error.leadError = leadError
        return error
    }

    /// The model has no `stages` section.
    public static var noStages: MoveError { MoveError(.noStages) }

    /// Why, in a sentence: the C ABI's `funnel_last_error` after
    /// `funnel_move_json` or `funnel_advance_json` fails.
    public var description: String {
        switch code {
        case .unknownStage: "unknown stage \"\(stage ?? "")\""
        case .transitionNotAllowed: "no transition leads from \"\(from ?? "")\" to \"\(stage ?? "")\""
        case .guardNotMet: "\"\(stage ?? "")\" requires what the lead lacks: \(unmet.joined(separator: "; "))"
        case .reasonRequired: "a reason is required, one of: \(allowed.joined(separator: ", "))"
        case .reasonNotAllowed:
            "reason \"\(reason ?? "")\" is not allowed, expected one of: \(allowed.joined(separator: ", "))"
        case .invalidLead: "invalid lead: \(leadError.map(\.description) ?? "")"
        case .noStages: "the model has no stages"
        default: "move refused (\(code))"
        }
    }
}
