/// A condition on a lead, an event or a score, as in SPEC §3.
///
/// Build one in Swift the way you would write it in JSON:
///
/// ```swift
/// let icp: Predicate = .all([
///     .attribute("industry", .isIn(["software", "fintech"])),
///     .attribute("employees", .between(50, 5000)),
/// ])
/// ```
public indirect enum Predicate: Sendable, Hashable {
    /// `{"attr": name, op: …}`: a condition on a lead attribute.
    case attribute(String, Condition)
    /// `{"prop": name, op: …}`: a condition on the event's property; only inside
    /// a behaviour rule's `if`.
    case property(String, Condition)
    /// `{"score": kind, op: x}`: a numeric condition on the lead's score; not
    /// allowed in scoring rules.
    case score(ScoreKind, Condition)
    /// `{"result": kind, op: v}` (SPEC §13): a condition on the lead's grade,
    /// engagement or priority, with `eq`, `ne`, `in`, `not_in` or `exists`;
    /// like ``score(_:_:)``, not allowed in scoring rules.
    case result(ResultKind, Condition)
    /// `{"criterion": name}`: the named criterion holds.
    case criterion(String)
    /// `{"all": [...]}`: every part holds (true when empty).
    case all([Predicate])
    /// `{"any": [...]}`: some part holds (false when empty).
    case any([Predicate])
    /// `{"not": p}`
    case not(Predicate)
}

/// Which part of a score a `score` predicate reads.
public enum ScoreKind: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// As written after `score` in a predicate.
    case fit, behavior, total
}

/// Which named outcome of a score a `result` predicate reads (SPEC §13).
public enum ResultKind: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// As written after `result` in a predicate.
    case grade, engagement, priority
}

extension Predicate {
    /// Shorthand for ``attribute(_:_:)``.
    public static func attr(_ name: String, _ condition: Condition) -> Predicate {
        .attribute(name, condition)
    }
    /// Shorthand for ``property(_:_:)``.
    public static func prop(_ name: String, _ condition: Condition) -> Predicate {
        .property(name, condition)
    }
}
