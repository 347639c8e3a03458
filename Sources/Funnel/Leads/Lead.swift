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

    public init(
        id: String, attributes: [String: LeadValue] = [:], events: [Event] = [], stage: String? = nil,
        owner: String? = nil
    ) {
        self.id = id
        self.attributes = attributes
        self.events = events
        self.stage = stage
        self.owner = owner
    }
}

/// Something the lead did, at an instant (seconds since the Unix epoch).
public struct Event: Sendable, Hashable {
    /// Matched exactly by rules, letter case included (`email.reply`).
    public var type: String
    public var at: Double
    /// Event properties, read by `prop` predicates.
    public var properties: [String: LeadValue]

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
    case string(String)
    case number(Double)
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
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: String...) { self = .strings(elements) }
    public init(nilLiteral: ()) { self = .null }
}

/// A lead document that breaks SPEC §6, with the path of the fault.
public struct LeadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `events[3].at`; empty for the document itself.
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
