/// A lead as a host sends it (SPEC §6): who it is, and what it did.
public struct Lead: Sendable, Hashable {
    /// Non-empty, the host's own key.
    public var id: String
    /// Attribute values by name; names the model does not declare are kept but never matched.
    public var attributes: [String: LeadValue]
    /// What the lead did, in any order.
    public var events: [Event]
    /// The current stage id; `nil` means the model's initial stage.
    public var stage: String?
    /// The person who owns the lead already (SPEC §10); `nil` when nobody does.
    /// Only routing reads it: a lead with an owner keeps it unless reassigned.
    public var owner: String?
    /// The id of a known account the lead belongs to (SPEC §11, the document's
    /// `account`); only conversion reads it.
    public var account: String?
    /// Events before this instant (seconds since the epoch) do not count
    /// (SPEC §13, the document's `behavior_since`): set when the lead entered
    /// a stage that resets behaviour. `nil`: every event counts.
    public var behaviorSince: Double? {
        get { since == -.infinity ? nil : since }
        set { since = newValue ?? -.infinity }
    }
    /// ``behaviorSince`` as a plain double, -infinity for none: a lead stays
    /// free of optional payloads, whose undefined padding bytes tools such as
    /// valgrind report when results holding leads are tested.
    private var since = -Double.infinity

    /// A lead `id`; everything else is optional (`owner` only matters to
    /// routing, `account` to conversion).
    public init(
        id: String, attributes: [String: LeadValue] = [:], events: [Event] = [], stage: String? = nil,
        owner: String? = nil, account: String? = nil, behaviorSince: Double? = nil
    ) {
        self.id = id
        self.attributes = attributes
        self.events = events
        self.stage = stage
        self.owner = owner
        self.account = account
        self.behaviorSince = behaviorSince
    }
}

/// Something the lead did, at an instant (seconds since the Unix epoch).
public struct Event: Sendable, Hashable {
    /// Matched exactly by rules, letter case included (`email.reply`).
    public var type: String
    /// When it happened, in seconds since the epoch; must be finite.
    public var at: Double
    /// Event properties, read by `prop` predicates.
    public var properties: [String: LeadValue]

    /// An event of `type` at `at` (seconds since the epoch).
    public init(_ type: String, at: Double, properties: [String: LeadValue] = [:]) {
        self.type = type
        self.at = at
        self.properties = properties
    }
}

/// An attribute or property value.
public enum LeadValue: Sendable, Hashable {
    /// Absent: JSON `null`.
    case null
    /// Text: a JSON string.
    case string(String)
    /// A JSON number.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// A JSON array of strings.
    case strings([String])
    /// Any other JSON (an object, a mixed array): present, but comparable to nothing.
    case other

    /// How error messages name this kind of value.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .strings: "an array of strings"
        case .other: "a JSON value of another kind"
        }
    }
}

extension LeadValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    /// `"software"` is `.string("software")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `2.5` is `.number(2.5)`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `120` is `.number(120)`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `["a", "b"]` is `.strings(["a", "b"])`.
    public init(arrayLiteral elements: String...) { self = .strings(elements) }
    /// `nil` is ``null``: absent.
    public init(nilLiteral: ()) { self = .null }
}

/// A lead document that breaks SPEC §6, with the path of the fault. The C ABI
/// reports it as `FUNNEL_E_INVALID`, ``description`` in `funnel_last_error`.
public struct LeadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `events[3].at`; empty for the document itself.
    public var path: String
    /// What is wrong: `expected a finite time`.
    public var message: String
    /// An error at `path` (empty for the document) saying `message`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `events[3].at: expected a finite time`; just the message without a path.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
