extension Predicate: CustomStringConvertible {
    /// A short human form, used to list what a lead lacks: `budget >= 10000`,
    /// `industry in ["software", "fintech"]`, `criterion bant`.
    public var description: String {
        switch self {
        case .attribute(let name, let condition): condition.describe(name)
        case .property(let name, let condition): condition.describe("event.\(name)")
        case .score(let kind, let condition): condition.describe("score.\(kind.rawValue)")
        case .result(let kind, let condition): condition.describe("result.\(kind.rawValue)")
        case .criterion(let name): "criterion \(name)"
        case .all(let parts): parts.isEmpty ? "true" : "(" + parts.map(\.description).joined(separator: " and ") + ")"
        case .any(let parts): parts.isEmpty ? "false" : "(" + parts.map(\.description).joined(separator: " or ") + ")"
        case .not(let inner): "not \(inner)"
        }
    }
}

extension Condition {
    func describe(_ subject: String) -> String {
        func list(_ values: [Value]) -> String { "[" + values.map(\.description).joined(separator: ", ") + "]" }
        switch self {
        case .equals(let v): return "\(subject) = \(v)"
        case .notEquals(let v): return "\(subject) != \(v)"
        case .isIn(let values): return "\(subject) in \(list(values))"
        case .notIn(let values): return "\(subject) not in \(list(values))"
        case .greaterThan(let x): return "\(subject) > \(formatNumber(x))"
        case .atLeast(let x): return "\(subject) >= \(formatNumber(x))"
        case .lessThan(let x): return "\(subject) < \(formatNumber(x))"
        case .atMost(let x): return "\(subject) <= \(formatNumber(x))"
        case .between(let lo, let hi): return "\(subject) between \(formatNumber(lo)) and \(formatNumber(hi))"
        case .exists(let b): return b ? "\(subject) exists" : "\(subject) is absent"
        case .contains(let s): return "\(subject) contains \"\(s)\""
        case .anyOf(let texts): return "\(subject) any of \(list(texts.map(Value.string)))"
        }
    }
}
