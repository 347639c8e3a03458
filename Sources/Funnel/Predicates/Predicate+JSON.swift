extension DocumentReader {
    private static let subjects = ["attr", "prop", "score", "result"]
    private static let operators: Set = [
        "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists", "contains", "any_of",
    ]

    /// Reads one predicate object (SPEC §3), shape only.
    mutating func predicate(_ value: JSONValue, _ path: String) -> Predicate? {
        guard case .object(let members) = value else {
            fault(path, "expected a predicate object, found \(value.kindDescription)")
            return nil
        }
        guard let first = members.first else {
            fault(path, "expected a predicate, found an empty object")
            return nil
        }
        if let subject = members.first(where: { Self.subjects.contains($0.key) }) {
            return comparison(subject, members, path)
        }
        if members.count > 1 {
            fault(path, "a predicate has exactly one of all, any, not, criterion or attr/prop/score/result with one operator")
            return nil
        }
        let p = path.joined(first.key)
        switch first.key {
        case "criterion":
            return string(first.value, p, nonEmpty: true).map(Predicate.criterion)
        case "all", "any":
            guard let items = array(first.value, p) else { return nil }
            var parts: [Predicate] = []
            for (i, item) in items.enumerated() {
                if let part = predicate(item, p.indexed(i)) { parts.append(part) }
            }
            guard parts.count == items.count else { return nil }
            return first.key == "all" ? .all(parts) : .any(parts)
        case "not":
            return predicate(first.value, p).map(Predicate.not)
        default:
            fault(p, Self.operators.contains(first.key) ? "operator without attr, prop, score or result" : "unknown field")
            return nil
        }
    }

    private mutating func comparison(_ subject: JSONMember, _ members: [JSONMember], _ path: String) -> Predicate? {
        let subjectPath = path.joined(subject.key)
        guard let name = string(subject.value, subjectPath, nonEmpty: true) else { return nil }
        let rest = members.filter { $0.key != subject.key }
        guard rest.count == 1, let op = rest.first, Self.operators.contains(op.key) else {
            for extra in rest where !Self.operators.contains(extra.key) {
                fault(path.joined(extra.key), "unknown field")
            }
            if rest.allSatisfy({ Self.operators.contains($0.key) }) {
                fault(path, rest.isEmpty ? "missing operator" : "expected exactly one operator")
            }
            return nil
        }
        guard let condition = condition(op.key, op.value, path.joined(op.key)) else { return nil }
        switch subject.key {
        case "attr": return .attribute(name, condition)
        case "prop": return .property(name, condition)
        case "result":
            guard let kind = ResultKind(rawValue: name) else {
                fault(subjectPath, "expected \"grade\", \"engagement\" or \"priority\"")
                return nil
            }
            return .result(kind, condition)
        default:
            guard let kind = ScoreKind(rawValue: name) else {
                fault(subjectPath, "expected \"fit\", \"behavior\" or \"total\"")
                return nil
            }
            return .score(kind, condition)
        }
    }

    private mutating func condition(_ op: String, _ value: JSONValue, _ path: String) -> Condition? {
        switch op {
        case "eq": return scalar(value, path).map(Condition.equals)
        case "ne": return scalar(value, path).map(Condition.notEquals)
        case "in", "not_in":
            guard let items = array(value, path) else { return nil }
            let values = items.enumerated().compactMap { i, item in scalar(item, path.indexed(i)) }
            guard values.count == items.count else { return nil }
            return op == "in" ? .isIn(values) : .notIn(values)
        case "gt": return number(value, path).map(Condition.greaterThan)
        case "gte": return number(value, path).map(Condition.atLeast)
        case "lt": return number(value, path).map(Condition.lessThan)
        case "lte": return number(value, path).map(Condition.atMost)
        case "between":
            guard let items = array(value, path) else { return nil }
            guard items.count == 2 else {
                fault(path, "expected [lo, hi]")
                return nil
            }
            guard let lo = number(items[0], path.indexed(0)), let hi = number(items[1], path.indexed(1)) else {
                return nil
            }
            return .between(lo, hi)
        case "exists": return bool(value, path).map(Condition.exists)
        case "contains": return string(value, path).map(Condition.contains)
        default:
            guard let items = array(value, path) else { return nil }
            let values = items.enumerated().compactMap { i, item in string(item, path.indexed(i)) }
            guard values.count == items.count else { return nil }
            return .anyOf(values)
        }
    }

    private mutating func scalar(_ value: JSONValue, _ path: String) -> Value? {
        switch value {
        case .string(let s): return .string(s)
        case .number(let x): return .number(x)
        case .bool(let b): return .bool(b)
        default:
            fault(path, "expected a string, number or boolean, found \(value.kindDescription)")
            return nil
        }
    }
}
