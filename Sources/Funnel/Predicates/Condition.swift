/// The operator half of a predicate: what must be true of a value.
///
/// The cases mirror the operators of a model document (`eq`, `in`, `gte`, …) so
/// that a model built in Swift and one loaded from JSON compile to the same thing.
public enum Condition: Sendable, Hashable {
    /// `eq`: the value equals the constant.
    case equals(Value)
    /// `ne`: the value differs from the constant.
    case notEquals(Value)
    /// `in`: the value is one of the constants.
    case isIn([Value])
    /// `not_in`: the value is none of the constants.
    case notIn([Value])
    /// `gt`
    case greaterThan(Double)
    /// `gte`
    case atLeast(Double)
    /// `lt`
    case lessThan(Double)
    /// `lte`
    case atMost(Double)
    /// `between`: `lo <= value <= hi`.
    case between(Double, Double)
    /// `exists`: the value is present (`true`) or absent (`false`).
    case exists(Bool)
    /// `contains`: substring of a string, or member of a set of strings.
    case contains(String)
    /// `any_of`: a set of strings shares at least one member with the list.
    case anyOf([String])

    /// The operator's name in a model document.
    public var operatorName: String {
        switch self {
        case .equals: "eq"
        case .notEquals: "ne"
        case .isIn: "in"
        case .notIn: "not_in"
        case .greaterThan: "gt"
        case .atLeast: "gte"
        case .lessThan: "lt"
        case .atMost: "lte"
        case .between: "between"
        case .exists: "exists"
        case .contains: "contains"
        case .anyOf: "any_of"
        }
    }

    /// True for the operators that compare numbers only.
    var isNumericOnly: Bool {
        switch self {
        case .greaterThan, .atLeast, .lessThan, .atMost, .between: true
        default: false
        }
    }
}
