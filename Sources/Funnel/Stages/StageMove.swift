/// One recorded move of a lead between stages: from, to, when, why and who.
public struct StageMove: Sendable, Hashable {
    public var from: String
    public var to: String
    /// Seconds since the epoch.
    public var at: Double
    /// The reason named (a manual move) or the disqualifier that fired; `nil` otherwise.
    public var reason: String?
    /// Who moved it: `"auto"` for an advance, else the caller's name.
    public var by: String

    public init(from: String, to: String, at: Double, reason: String?, by: String) {
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
        self.by = by
    }
}

/// What advancing a lead decided (SPEC §5): where it ends and how it got there.
public struct AdvanceResult: Sendable, Hashable {
    public var id: String
    /// The stage the lead ends in.
    public var stage: String
    /// Every move, in order; empty when the lead stays.
    public var moves: [StageMove]

    public init(id: String, stage: String, moves: [StageMove]) {
        self.id = id
        self.stage = stage
        self.moves = moves
    }
}

/// Why a manual move was refused. The lead is left exactly as it was.
public struct MoveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of refusal SPEC §5 names, plus the lead or model not fitting.
    public enum Kind: Sendable, Hashable {
        /// The target stage is not in the model.
        case unknownStage(String)
        /// No transition leads from the lead's stage to the target.
        case transitionNotAllowed(from: String, to: String)
        /// The target's `requires` does not hold; the unmet parts, as predicates.
        case guardNotMet(stage: String, unmet: [String])
        /// Every transition to the target has a reasons list and none was given.
        case reasonRequired(allowed: [String])
        /// The reason is in no reasons list of a transition to the target.
        case reasonNotAllowed(String, allowed: [String])
        /// The lead document does not fit the model.
        case invalidLead(LeadError)
        /// The model has no `stages` section.
        case noStages
    }

    public var kind: Kind
    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .unknownStage(let stage): "unknown stage \"\(stage)\""
        case .transitionNotAllowed(let from, let to): "no transition leads from \"\(from)\" to \"\(to)\""
        case .guardNotMet(let stage, let unmet):
            "\"\(stage)\" requires what the lead lacks: \(unmet.joined(separator: "; "))"
        case .reasonRequired(let allowed): "a reason is required, one of: \(allowed.joined(separator: ", "))"
        case .reasonNotAllowed(let reason, let allowed):
            "reason \"\(reason)\" is not allowed, expected one of: \(allowed.joined(separator: ", "))"
        case .invalidLead(let error): "invalid lead: \(error)"
        case .noStages: "the model has no stages"
        }
    }
}
