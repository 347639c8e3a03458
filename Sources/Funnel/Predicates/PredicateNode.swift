/// A numeric test, shared by attribute, property and score predicates.
enum NumberTest: Sendable, Hashable {
    case greaterThan(Double)
    case atLeast(Double)
    case lessThan(Double)
    case atMost(Double)
    case between(Double, Double)
    case equals(Double)
    case notEquals(Double)

    @inline(__always)
    func holds(_ x: Double) -> Bool {
        switch self {
        case .greaterThan(let a): x > a
        case .atLeast(let a): x >= a
        case .lessThan(let a): x < a
        case .atMost(let a): x <= a
        case .between(let lo, let hi): lo <= x && x <= hi
        case .equals(let a): x == a
        case .notEquals(let a): x != a
        }
    }
}

/// A half-open range into one of the compiled model's constant pools.
struct PoolRange: Sendable, Hashable {
    var start: Int32
    var count: Int32
}

/// A constant of a `prop` predicate, whose type is only known per event.
struct ScalarConstant: Sendable, Hashable {
    var kind: PropertyKind
    /// The number, or 0/1 for a bool.
    var number: Double
    /// The interned comparison key of a string, -1 otherwise.
    var symbol: Int32
}

/// What a `prop` predicate asks of an event's property.
enum PropertyTest: Sendable, Hashable {
    case number(NumberTest)
    case equals(ScalarConstant, negate: Bool)
    case isIn(PoolRange, negate: Bool)
    /// `contains`: substring operand for a string, member symbol for a set.
    case contains(operand: Int32, symbol: Int32)
    case anyOf(PoolRange)
    case exists(Bool)
}

/// One node of a compiled predicate: attributes are slots, strings are
/// symbols, children are ranges of ``CompiledModel/children``.
///
/// A flat array of these is what the scorer walks; nothing in it needs a
/// string comparison or a dictionary.
enum PredicateNode: Sendable, Hashable {
    case constant(Bool)
    case number(slot: Int32, NumberTest)
    case numberIn(slot: Int32, PoolRange, negate: Bool)
    /// `eq`, `ne`, `in`, `not_in` on a bool, as the set of values accepted.
    case bool(slot: Int32, acceptsTrue: Bool, acceptsFalse: Bool)
    case string(slot: Int32, symbol: Int32, negate: Bool)
    case stringIn(slot: Int32, PoolRange, negate: Bool)
    case stringContains(slot: Int32, operand: Int32)
    case setContains(slot: Int32, symbol: Int32)
    case setAnyOf(slot: Int32, PoolRange)
    case exists(AttributeType, slot: Int32, Bool)
    case property(index: Int32, PropertyTest)
    case score(ScoreKind, NumberTest)
    /// A `result` predicate: the lead's grade, engagement or priority index
    /// (priority: grade × levels + level) is in the pool range (`negate`: is
    /// not); a missing one (-1) never passes.
    case result(ResultKind, PoolRange, negate: Bool)
    case criterion(Int32)
    case all(PoolRange)
    case any(PoolRange)
    case not(Int32)
}

/// The JSON type an event property turned out to have.
enum PropertyKind: UInt8, Sendable, Hashable {
    case missing, number, bool, string, strings, other
}
