/// A constant a predicate compares against: text, number or truth value.
public enum Value: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
}

extension Value: ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Value: CustomStringConvertible {
    /// The value as it would be written in a model document.
    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .number(let x): return formatNumber(x)
        case .bool(let b): return b ? "true" : "false"
        }
    }
}
