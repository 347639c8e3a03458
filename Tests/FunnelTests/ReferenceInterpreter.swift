#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import Funnel

/// A deliberately simple interpreter of SPEC §3–§5 (and the README's choices
/// where the spec is silent), working directly on `ModelDefinition` and `Lead`.
///
/// Clarity over speed: predicates are evaluated recursively on strings,
/// comparison keys are computed on the fly, decay is one `exp2` per event.
/// Nothing here shares code with the compiled scorer; it only trusts that the
/// definition has been validated (it loads as a `Model`).
struct RefInterpreter {
    let definition: ModelDefinition

    // MARK: Results

    struct Contribution: Equatable {
        var rule: String
        var kind: RuleKind
        var points: Double
        var events: Int
    }

    struct Result {
        var id: String
        var fit: Double
        var behavior: Double
        var total: Double
        var grade: String?
        var criteria: [(name: String, holds: Bool)]
        var disqualifiedBy: [String]
        var contributions: [Contribution]
        /// True when some score predicate compared a score within the spec's
        /// tolerance of its constant: two conforming implementations may then
        /// disagree on anything that depends on it.
        var nearThreshold: Bool
        var behaviorExact: Bool
    }

    struct Move: Equatable {
        var from: String
        var to: String
        var reason: String?
        var by: String
    }

    struct Advance {
        var id: String
        var stage: String
        var moves: [Move]
        var nearThreshold: Bool
    }

    enum MoveOutcome: Equatable {
        case moved(from: String, to: String, reason: String?)
        case unknownStage
        case transitionNotAllowed
        case guardNotMet
        case reasonRequired
        case reasonNotAllowed
    }

    // MARK: Comparison keys (SPEC §3)

    /// Trim Unicode white space, NFC, lower-case with Final_Sigma, NFC again.
    static func key(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: scalars)
        let composed = Array(String(decoding: String(trimmed)._nfcCodeUnits, as: UTF8.self).unicodeScalars)
        var lowered = ""
        for (i, scalar) in composed.enumerated() {
            if scalar == "\u{03A3}" && isFinalSigma(composed, i) {
                lowered.unicodeScalars.append("\u{03C2}")
            } else {
                lowered += scalar.properties.lowercaseMapping
            }
        }
        return String(decoding: lowered._nfcCodeUnits, as: UTF8.self)
    }

    /// Unicode's Final_Sigma: preceded by a cased letter (case-ignorables
    /// skipped) and not followed by one.
    private static func isFinalSigma(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count && s[k].properties.isCaseIgnorable { k += 1 }
        return !(k < s.count && s[k].properties.isCased)
    }

    static func sameText(_ a: String, _ b: String) -> Bool {
        Array(key(a).utf8) == Array(key(b).utf8)
    }

    /// Byte-wise substring of the comparison keys.
    static func substring(_ haystack: String, _ needle: String) -> Bool {
        let h = Array(key(haystack).utf8)
        let n = Array(key(needle).utf8)
        if n.isEmpty { return true }
        if n.count > h.count { return false }
        for start in 0...(h.count - n.count) where Array(h[start..<(start + n.count)]) == n { return true }
        return false
    }

    // MARK: Predicates (SPEC §3)

    /// What a predicate is evaluated against.
    private struct Scope {
        var lead: Lead
        var event: Event?
        /// Known only after scoring (criteria, disqualifiers, stages).
        var fit: Double?
        var behavior: Double?
        /// True when the behaviour score is exact (no decayed event counted), so
        /// every implementation computes the very same double.
        var behaviorExact = true
    }

    private final class Flags {
        var nearThreshold = false
    }

    private func holds(_ p: Predicate, _ scope: Scope, _ flags: Flags, depth: Int = 0) -> Bool {
        precondition(depth < 200, "reference interpreter: predicate too deep")
        switch p {
        case .attribute(let name, let condition):
            let value = scope.lead.attributes[name]
            guard let type = definition.attributes.first(where: { $0.name == name })?.type else { return false }
            return attributeHolds(type, value, condition)
        case .property(let name, let condition):
            guard let event = scope.event else { return false }
            return propertyHolds(event.properties[name], condition)
        case .score(let kind, let condition):
            guard let fit = scope.fit, let behavior = scope.behavior else { return false }
            let x: Double
            switch kind {
            case .fit: x = fit
            case .behavior: x = behavior
            case .total: x = limitedTotal(fit + behavior)
            }
            let constants: [Double]
            switch condition {
            case .greaterThan(let a), .atLeast(let a), .lessThan(let a), .atMost(let a): constants = [a]
            case .equals(.number(let a)), .notEquals(.number(let a)): constants = [a]
            case .between(let lo, let hi): constants = [lo, hi]
            default: constants = []
            }
            if kind != .fit && !scope.behaviorExact {
                for c in constants where abs(x - c) <= 1e-6 * max(1, abs(x)) { flags.nearThreshold = true }
            }
            return numberHolds(x, condition)
        case .result(let kind, let condition):
            guard let fit = scope.fit, let behavior = scope.behavior else { return false }
            let scoring = definition.scoring
            let grade = scoring.grades.first { $0.min <= fit }?.grade
            let level = scoring.engagement.first { $0.min <= behavior }?.level
            let value: String?
            switch kind {
            case .grade: value = grade
            case .engagement: value = level
            case .priority: value = grade.flatMap { g in level.map { g + $0 } }
            }
            return attributeHolds(.string, value.map(LeadValue.string), condition)
        case .criterion(let name):
            guard let criterion = definition.criteria.first(where: { $0.name == name }) else { return false }
            return holds(criterion.predicate, scope, flags, depth: depth + 1)
        case .all(let parts):
            for part in parts where !holds(part, scope, flags, depth: depth + 1) { return false }
            return true
        case .any(let parts):
            for part in parts where holds(part, scope, flags, depth: depth + 1) { return true }
            return false
        case .not(let inner):
            return !holds(inner, scope, flags, depth: depth + 1)
        }
    }

    private func numberHolds(_ x: Double, _ condition: Condition) -> Bool {
        switch condition {
        case .greaterThan(let a): return x > a
        case .atLeast(let a): return x >= a
        case .lessThan(let a): return x < a
        case .atMost(let a): return x <= a
        case .between(let lo, let hi): return lo <= x && x <= hi
        case .equals(.number(let a)): return x == a
        case .notEquals(.number(let a)): return x != a
        case .isIn(let values): return values.contains(.number(x))
        case .notIn(let values): return !values.contains(.number(x))
        case .exists(let b): return b
        default: return false
        }
    }

    private func attributeHolds(_ type: AttributeType, _ value: LeadValue?, _ condition: Condition) -> Bool {
        let present: LeadValue
        switch value {
        case nil, .null?:
            if case .exists(let b) = condition { return !b }
            return false
        case let v?:
            present = v
        }
        if case .exists(let b) = condition { return b }
        switch (type, present) {
        case (.number, .number(let x)):
            return numberHolds(x, condition)
        case (.bool, .bool(let b)):
            switch condition {
            case .equals(let v): return v == .bool(b)
            case .notEquals(let v): return v != .bool(b)
            case .isIn(let vs): return vs.contains(.bool(b))
            case .notIn(let vs): return !vs.contains(.bool(b))
            default: return false
            }
        case (.string, .string(let s)):
            func equal(_ v: Value) -> Bool {
                if case .string(let c) = v { return Self.sameText(s, c) }
                return false
            }
            switch condition {
            case .equals(let v): return equal(v)
            case .notEquals(let v): return !equal(v)
            case .isIn(let vs): return vs.contains(where: equal)
            case .notIn(let vs): return !vs.contains(where: equal)
            case .contains(let c): return Self.substring(s, c)
            default: return false
            }
        case (.strings, .strings(let members)):
            switch condition {
            case .contains(let c): return members.contains { Self.sameText($0, c) }
            case .anyOf(let list): return members.contains { m in list.contains { Self.sameText(m, $0) } }
            default: return false
            }
        default:
            return false
        }
    }

    /// README: a property's type comes from its JSON value; `eq`/`ne`/`in`/
    /// `not_in` compare only constants of the same type and are false when none
    /// has it; an array of strings behaves like a `strings` attribute; other
    /// arrays and objects only satisfy `exists`.
    private func propertyHolds(_ value: LeadValue?, _ condition: Condition) -> Bool {
        guard let value, value != .null else {
            if case .exists(let b) = condition { return !b }
            return false
        }
        if case .exists(let b) = condition { return b }
        /// nil when the constant's type is not the value's.
        func same(_ c: Value) -> Bool? {
            switch (value, c) {
            case (.number(let x), .number(let y)): return x == y
            case (.bool(let x), .bool(let y)): return x == y
            case (.string(let x), .string(let y)): return Self.sameText(x, y)
            default: return nil
            }
        }
        switch condition {
        case .greaterThan, .atLeast, .lessThan, .atMost, .between:
            guard case .number(let x) = value else { return false }
            return numberHolds(x, condition)
        case .equals(let c): return same(c) ?? false
        case .notEquals(let c): return same(c).map { !$0 } ?? false
        case .isIn(let cs): return cs.contains { same($0) == true }
        case .notIn(let cs):
            let fitting = cs.compactMap(same)
            return !fitting.isEmpty && !fitting.contains(true)
        case .contains(let c):
            switch value {
            case .string(let s): return Self.substring(s, c)
            case .strings(let members): return members.contains { Self.sameText($0, c) }
            default: return false
            }
        case .anyOf(let list):
            guard case .strings(let members) = value else { return false }
            return members.contains { m in list.contains { Self.sameText(m, $0) } }
        case .exists:
            return false
        }
    }

    // MARK: Scoring (SPEC §4)

    /// Byte-exact event matching; `prefix.*` matches every type starting with `prefix.`.
    static func eventMatches(rule event: String, type: String) -> Bool {
        let r = Array(event.utf8)
        let t = Array(type.utf8)
        if event.utf8.count >= 2 && r.suffix(2) == Array(".*".utf8) {
            let prefix = r.dropLast()
            return t.count >= prefix.count && Array(t.prefix(prefix.count)) == Array(prefix)
        }
        return r == t
    }

    /// `total_limits` (SPEC §13) applied to fit + behaviour.
    func limitedTotal(_ total: Double) -> Double {
        guard let limits = definition.scoring.totalLimits else { return total }
        return min(max(total, limits.min ?? -.infinity), limits.max ?? .infinity)
    }

    func score(_ lead: Lead, at asOf: Double) -> Result {
        let flags = Flags()
        let scoring = definition.scoring
        var contributions: [Contribution] = []
        var fit = 0.0
        let plain = Scope(lead: lead, event: nil, fit: nil, behavior: nil)
        for rule in scoring.fit where holds(rule.predicate, plain, flags) {
            fit += rule.points
            contributions.append(Contribution(rule: rule.id, kind: .fit, points: rule.points, events: 0))
        }
        var ungrouped = 0.0
        var groupSums = [Double](repeating: 0, count: scoring.groups.count)
        var decayed = false
        for rule in scoring.behavior {
            var total = 0.0
            var matched = 0
            var recent = 0
            for event in lead.events where Self.eventMatches(rule: rule.event, type: event.type) {
                guard event.at <= asOf else { continue }
                if let window = scoring.windowDays, !(asOf - event.at <= window * 86_400) { continue }
                if let p = rule.predicate {
                    let scope = Scope(lead: lead, event: event, fit: nil, behavior: nil)
                    if !holds(p, scope, flags) { continue }
                }
                matched += 1
                if let frequency = rule.atLeast {
                    // SPEC §13: counted when within within_days, not summed.
                    if asOf - event.at <= frequency.withinDays * 86_400 { recent += 1 }
                    continue
                }
                if let halfLife = scoring.halfLifeDays {
                    decayed = true
                    let ageDays = (asOf - event.at) / 86_400
                    total += rule.points * exp2(-ageDays / halfLife)
                } else {
                    total += rule.points
                }
            }
            if let frequency = rule.atLeast {
                guard recent >= frequency.count else { continue }
                (total, matched) = (rule.points, recent)
            }
            guard matched > 0 else { continue }
            if let cap = rule.cap { total = min(max(total, -cap), cap) }
            if let group = rule.group, let g = scoring.groups.firstIndex(where: { $0.id == group }) {
                groupSums[g] += total
            } else {
                ungrouped += total
            }
            contributions.append(Contribution(rule: rule.id, kind: .behavior, points: total, events: matched))
        }
        var behavior = ungrouped
        for (g, group) in scoring.groups.enumerated() { behavior += min(max(groupSums[g], -group.limit), group.limit) }
        if let limits = scoring.behaviorLimits {
            if let lo = limits.min { behavior = max(behavior, lo) }
            if let hi = limits.max { behavior = min(behavior, hi) }
        }
        let grade = scoring.grades.first { $0.min <= fit }?.grade
        let scored = Scope(lead: lead, event: nil, fit: fit, behavior: behavior, behaviorExact: !decayed)
        let criteria = definition.criteria.map { ($0.name, holds($0.predicate, scored, flags)) }
        let disqualifiedBy = definition.disqualifiers.filter { holds($0.predicate, scored, flags) }.map(\.id)
        return Result(
            id: lead.id, fit: fit, behavior: behavior, total: limitedTotal(fit + behavior), grade: grade,
            criteria: criteria, disqualifiedBy: disqualifiedBy, contributions: contributions,
            nearThreshold: flags.nearThreshold, behaviorExact: !decayed)
    }

    // MARK: Stages (SPEC §5)

    /// The transitions (their reason lists) leading from stage `from` to `to`.
    func transitions(from: String, to: String) -> [[String]?] {
        guard let stages = definition.stages,
              let source = stages.list.first(where: { $0.id == from }) else { return [] }
        var lists: [[String]?] = []
        for t in stages.transitions where t.to.contains(to) {
            let named = t.from.contains(from)
            let viaWildcard = t.from.contains("*") && source.outcome == nil
            guard named || viaWildcard else { continue }
            // A "*" transition never makes a stage lead to itself.
            if from == to && !named { continue }
            lists.append(t.reasons)
        }
        return lists
    }

    func advance(_ lead: Lead, at asOf: Double) -> Advance? {
        guard let stages = definition.stages else { return nil }
        let flags = Flags()
        let result = score(lead, at: asOf)
        flags.nearThreshold = result.nearThreshold
        let scope = Scope(lead: lead, event: nil, fit: result.fit, behavior: result.behavior, behaviorExact: result.behaviorExact)
        var current = lead.stage ?? stages.initial
        var moves: [Move] = []
        func requiresHold(_ s: Stage) -> Bool { s.requires.map { holds($0, scope, flags) } ?? true }
        if let fired = definition.disqualifiers.first(where: { holds($0.predicate, scope, flags) }) {
            if let target = stages.list.first(where: {
                $0.outcome == .disqualified && !transitions(from: current, to: $0.id).isEmpty && requiresHold($0)
            }) {
                moves.append(Move(from: current, to: target.id, reason: fired.id, by: "auto"))
                return Advance(id: lead.id, stage: target.id, moves: moves, nearThreshold: flags.nearThreshold)
            }
        }
        var visited: Set<String> = [current]
        while let next = stages.list.first(where: { s in
            guard !visited.contains(s.id), let enter = s.enterWhen,
                  !transitions(from: current, to: s.id).isEmpty else { return false }
            return holds(enter, scope, flags) && requiresHold(s)
        }) {
            visited.insert(next.id)
            moves.append(Move(from: current, to: next.id, reason: nil, by: "auto"))
            current = next.id
        }
        return Advance(id: lead.id, stage: current, moves: moves, nearThreshold: flags.nearThreshold)
    }

    /// A manual move, checked in the order SPEC §5 lists the refusals.
    func move(_ lead: Lead, to target: String, reason: String?, at asOf: Double) -> (MoveOutcome, near: Bool)? {
        guard let stages = definition.stages else { return nil }
        let current = lead.stage ?? stages.initial
        guard let stage = stages.list.first(where: { $0.id == target }) else { return (.unknownStage, false) }
        let lists = transitions(from: current, to: target)
        if lists.isEmpty { return (.transitionNotAllowed, false) }
        let flags = Flags()
        let result = score(lead, at: asOf)
        let scope = Scope(lead: lead, event: nil, fit: result.fit, behavior: result.behavior, behaviorExact: result.behaviorExact)
        if let requires = stage.requires, !holds(requires, scope, flags) {
            return (.guardNotMet, result.nearThreshold || flags.nearThreshold)
        }
        let near = result.nearThreshold || flags.nearThreshold
        let accepted = lists.contains { list in
            guard let list else { return true }
            return reason.map { list.contains($0) } ?? false
        }
        if !accepted { return (reason == nil ? .reasonRequired : .reasonNotAllowed, near) }
        return (.moved(from: current, to: target, reason: reason), near)
    }
}
