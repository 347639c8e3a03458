/// A constant a predicate compares against: text, number or truth value.
public enum Value: Sendable, Hashable {
    /// Text, compared as SPEC §3 says (white space, case, NFC).
    case string(String)
    /// A number.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
}

extension Value: ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    /// `"software"` is `.string("software")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `2.5` is `.number(2.5)`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `5000` is `.number(5000)`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `true` is `.bool(true)`.
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
