import Funnel

/// Random but valid models and leads, driven by one seed: the differential
/// and the evaluator-agreement suites draw their cases from it.
public struct RandomCases {
    package var rng: SplitMix64
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    // MARK: Vocabulary

    public static let words = [
        "software", "fintech", "Compañía", "οδός", "retail", "İstanbul", "straße", "ab", "soft", "ware",
        "Ωμέγα", "naïve", "",
    ]
    public static let numbers: [Double] = [0, 1, 5, 10, 50, 100, 5000, -3, 2.5, 1e6]
    public static let points: [Double] = [-10, -5, -3, 0, 1, 2, 2.5, 5, 10, 15]
    public static let ruleEvents = [
        "email.reply", "email.*", "web.*", "call.completed", "web.visit", "*", "demo.request", "email.open",
        "web.visit.*",
    ]
    public static let eventTypes = [
        "email.reply", "email.open", "Email.reply", "web.visit", "web.visit.pricing", "web.", "call.completed",
        "email", "email.", "*", "demo.request", "demo.request ", "x",
    ]
    public static let propNames = ["minutes", "channel", "tags", "ok", "blob"]
    public static let reasons = ["price", "timing", "spam", "competitor"]
    public static let paddings = ["", " ", "  ", "\t", "\u{00A0}", "\u{3000}", "\n", "\u{2003}"]

    /// NFD forms of the precomposed letters the word list uses.
    public static let decompositions: [Unicode.Scalar: String] = [
        "ñ": "n\u{303}", "í": "i\u{301}", "ó": "o\u{301}", "é": "e\u{301}", "ï": "i\u{308}",
        "ό": "\u{3BF}\u{301}", "Ñ": "N\u{303}", "Í": "I\u{301}", "Ó": "O\u{301}", "Ό": "\u{39F}\u{301}",
        "έ": "\u{3B5}\u{301}", "Έ": "\u{395}\u{301}", "İ": "I\u{307}",
    ]

    /// A spelling of `word` that the spec says must compare equal to it (odd
    /// case, surrounding white space, NFD accents), or sometimes a near miss.
    public mutating func variant(_ word: String) -> String {
        var text = ""
        for ch in word {
            let s = String(ch)
            switch int(0...3) {
            case 0: text += s.uppercased()
            case 1: text += s.lowercased()
            default: text += s
            }
        }
        if chance(0.4) {
            var decomposed = ""
            for scalar in text.unicodeScalars {
                if let d = Self.decompositions[scalar] { decomposed += d } else { decomposed.unicodeScalars.append(scalar) }
            }
            text = decomposed
        }
        if chance(0.5) { text = pick(Self.paddings) + text + pick(Self.paddings) }
        if chance(0.05) { text += "x" }
        return text
    }

    public mutating func word() -> String { variant(pick(Self.words)) }

    // MARK: Predicates

    public struct PredicateContext {
        public var attributes: [AttributeDeclaration]
        /// Criteria that may be named here (earlier ones only).
        public var criteria: [String]
        public var allowsProperty: Bool
        public var allowsScore: Bool

        public init(attributes: [AttributeDeclaration], criteria: [String], allowsProperty: Bool, allowsScore: Bool) {
            self.attributes = attributes
            self.criteria = criteria
            self.allowsProperty = allowsProperty
            self.allowsScore = allowsScore
        }
    }

    public mutating func number() -> Double { chance(0.8) ? pick(Self.numbers) : Double(int(-20...200)) / 2 }

    public mutating func scalarValue() -> Value {
        switch int(0...2) {
        case 0: return .number(number())
        case 1: return .bool(chance(0.5))
        default: return .string(word())
        }
    }

    public mutating func numericCondition() -> Condition {
        switch int(0...6) {
        case 0: return .greaterThan(number())
        case 1: return .atLeast(number())
        case 2: return .lessThan(number())
        case 3: return .atMost(number())
        case 4:
            let a = number(), b = number()
            return .between(min(a, b), max(a, b))
        case 5: return .equals(.number(number()))
        default: return .notEquals(.number(number()))
        }
    }

    public mutating func attributeCondition(_ type: AttributeType) -> Condition {
        if chance(0.1) { return .exists(chance(0.5)) }
        switch type {
        case .number:
            switch int(0...2) {
            case 0: return .isIn((0..<int(0...3)).map { _ in .number(number()) })
            case 1: return .notIn((0..<int(0...3)).map { _ in .number(number()) })
            default: return numericCondition()
            }
        case .bool:
            switch int(0...3) {
            case 0: return .equals(.bool(chance(0.5)))
            case 1: return .notEquals(.bool(chance(0.5)))
            case 2: return .isIn((0..<int(0...2)).map { _ in .bool(chance(0.5)) })
            default: return .notIn((0..<int(0...2)).map { _ in .bool(chance(0.5)) })
            }
        case .string:
            switch int(0...4) {
            case 0: return .equals(.string(word()))
            case 1: return .notEquals(.string(word()))
            case 2: return .isIn((0..<int(0...3)).map { _ in .string(word()) })
            case 3: return .notIn((0..<int(0...3)).map { _ in .string(word()) })
            default: return .contains(chance(0.7) ? variant(pick(["soft", "ware", "ñí", "ΟΔ", "Ω", "a", ""])) : word())
            }
        case .strings:
            if chance(0.5) { return .contains(word()) }
            return .anyOf((0..<int(0...3)).map { _ in word() })
        }
    }

    public mutating func propertyCondition() -> Condition {
        switch int(0...7) {
        case 0: return .exists(chance(0.6))
        case 1: return .equals(scalarValue())
        case 2: return .notEquals(scalarValue())
        case 3: return .isIn((0..<int(0...3)).map { _ in scalarValue() })
        case 4: return .notIn((0..<int(0...3)).map { _ in scalarValue() })
        case 5: return .contains(chance(0.5) ? variant(pick(["soft", "a", "web"])) : word())
        case 6: return .anyOf((0..<int(0...3)).map { _ in word() })
        default: return numericCondition()
        }
    }

    public mutating func predicate(_ context: PredicateContext, depth: Int = 0) -> Predicate {
        let leafOnly = depth >= 3
        let roll = int(0...(leafOnly ? 9 : 13))
        switch roll {
        case 0...5:
            if context.allowsProperty && chance(0.4) {
                return .property(pick(Self.propNames), propertyCondition())
            }
            guard !context.attributes.isEmpty else { return .all([]) }
            let attribute = pick(context.attributes)
            return .attribute(attribute.name, attributeCondition(attribute.type))
        case 6, 7:
            if context.allowsScore { return .score(pick(ScoreKind.allCases), numericCondition()) }
            return .any([])
        case 8, 9:
            if context.criteria.isEmpty { return .all([]) }
            return .criterion(pick(context.criteria))
        case 10, 11:
            let parts = (0..<int(0...3)).map { _ in predicate(context, depth: depth + 1) }
            return chance(0.5) ? .all(parts) : .any(parts)
        default:
            return .not(predicate(context, depth: depth + 1))
        }
    }

    // MARK: Models

    public mutating func model() -> ModelDefinition {
        let names = ["industry", "employees", "budget", "dm", "tags", "need", "región", "flags", "active"]
        var attributes: [AttributeDeclaration] = []
        for name in names where chance(0.6) {
            attributes.append(AttributeDeclaration(name, pick([.string, .number, .bool, .strings])))
        }
        // Criteria may name earlier criteria; those that read a score are only
        // named from criteria, disqualifiers and stages.
        var criteria: [Criterion] = []
        var usesScore: [String: Bool] = [:]
        for i in 0..<int(0...4) {
            let earlier = criteria.map(\.name)
            let p = predicate(PredicateContext(
                attributes: attributes, criteria: earlier, allowsProperty: false, allowsScore: chance(0.4)))
            let name = "c\(i)"
            usesScore[name] = Self.readsScore(p) || Self.namedCriteria(p).contains { usesScore[$0] == true }
            criteria.append(Criterion(name, p))
        }
        let scoreFree = criteria.map(\.name).filter { usesScore[$0] == false }
        let ruleContext = PredicateContext(
            attributes: attributes, criteria: scoreFree, allowsProperty: false, allowsScore: false)
        var eventContext = ruleContext
        eventContext.allowsProperty = true
        let fit = (0..<int(0...5)).map { i in
            FitRule("f\(i)", if: predicate(ruleContext), points: pick(Self.points))
        }
        // SPEC §13: score groups with limits, frequency rules, total limits, engagement levels.
        let groups = chance(0.3) ? (0..<int(1...2)).map { ScoreGroup("g\($0)", limit: pick([1, 2.5, 5, 10, 30])) } : []
        let behavior = (0..<int(0...5)).map { i in
            BehaviorRule(
                "b\(i)", event: pick(Self.ruleEvents), if: chance(0.4) ? predicate(eventContext) : nil,
                points: pick(Self.points), cap: chance(0.3) ? pick([0.5, 1, 5, 10]) : nil,
                group: !groups.isEmpty && chance(0.6) ? pick(groups).id : nil,
                atLeast: chance(0.2) ? Frequency(count: pick([1, 1, 2, 3]), withinDays: pick([0.5, 1, 7, 30])) : nil)
        }
        var totalLimits: ScoreLimits?
        if chance(0.25) {
            let lo: Double = pick([-20, -5, 0, 3])
            totalLimits = ScoreLimits(min: chance(0.8) ? lo : nil, max: chance(0.8) ? lo + pick([0, 10, 25.5, 60]) : nil)
        }
        let engagement =
            chance(0.3) ? [EngagementLevel("1", min: pick([10, 5, 2.5])), EngagementLevel("2", min: pick([0, -3, -1e9]))] : []
        var limits: BehaviorLimits?
        if chance(0.3) {
            let lo: Double? = chance(0.7) ? pick([-50, -5, 0, 1]) : nil
            let hi: Double? = chance(0.7) ? pick([1, 5, 20, 100]) : nil
            limits = BehaviorLimits(min: lo, max: hi)
        }
        let grades = (0..<int(0...3)).map { i in Grade(["A", "B", "C"][i], min: pick([-5, 0, 5, 10, 15, 25])) }
        let scoring = Scoring(
            fit: fit, behavior: behavior, halfLifeDays: chance(0.6) ? pick([0.5, 7, 30, 365]) : nil,
            windowDays: chance(0.5) ? pick([1, 30, 365]) : nil, behaviorLimits: limits, grades: grades,
            groups: groups, totalLimits: totalLimits, engagement: engagement)
        let anywhere = PredicateContext(
            attributes: attributes, criteria: criteria.map(\.name), allowsProperty: false, allowsScore: true)
        let disqualifiers = (0..<int(0...2)).map { i in Disqualifier("d\(i)", if: predicate(anywhere)) }
        var stages: Stages?
        if chance(0.75) {
            var list: [Stage] = []
            for i in 0..<int(1...6) {
                let outcome: Outcome? = chance(0.2) ? pick(Outcome.allCases) : nil
                list.append(Stage(
                    "s\(i)", label: chance(0.2) ? "Perfilación \(i)" : nil,
                    requires: chance(0.25) ? predicate(anywhere) : nil,
                    enterWhen: chance(0.6) ? predicate(anywhere) : nil, outcome: outcome))
            }
            if chance(0.6) { list.append(Stage("out", outcome: .disqualified)) }
            let ids = list.map(\.id)
            var transitions: [Transition] = []
            for _ in 0..<int(0...8) {
                let from = chance(0.15) ? ["*"] : (0..<int(1...2)).map { _ in pick(ids) }
                let to = (0..<int(1...2)).map { _ in pick(ids) }
                let reasons: [String]? = chance(0.3) ? Array(Self.reasons.shuffled(using: &rng).prefix(int(1...3))) : nil
                transitions.append(Transition(from: from, to: to, reasons: reasons))
            }
            if ids.contains("out") && chance(0.7) {
                transitions.append(Transition(from: ["*"], to: ["out"], reasons: chance(0.5) ? ["spam"] : nil))
            }
            stages = Stages(initial: pick(ids), list: list, transitions: transitions)
        }
        return ModelDefinition(
            name: "random", attributes: attributes, criteria: criteria, scoring: scoring,
            disqualifiers: disqualifiers, stages: stages)
    }

    // MARK: Leads

    public mutating func value(_ type: AttributeType) -> LeadValue {
        switch type {
        case .number: return .number(number())
        case .bool: return .bool(chance(0.5))
        case .string: return .string(word())
        case .strings: return .strings((0..<int(0...3)).map { _ in word() })
        }
    }

    public mutating func propertyValue() -> LeadValue {
        switch int(0...6) {
        case 0: return .number(number())
        case 1: return .bool(chance(0.5))
        case 2, 3: return .string(word())
        case 4: return .strings((0..<int(0...3)).map { _ in word() })
        case 5: return .null
        default: return .other
        }
    }

    public mutating func lead(_ index: Int, _ definition: ModelDefinition, asOf: Double) -> Lead {
        var attributes: [String: LeadValue] = [:]
        for declaration in definition.attributes {
            switch int(0...9) {
            case 0: break  // absent
            case 1: attributes[declaration.name] = .null
            default: attributes[declaration.name] = value(declaration.type)
            }
        }
        if chance(0.2) { attributes["undeclared"] = .string("software") }
        let window = definition.scoring.windowDays
        let halfLife = definition.scoring.halfLifeDays
        var events: [Event] = []
        for _ in 0..<int(0...12) {
            let at: Double
            switch int(0...11) {
            case 0: at = asOf  // age 0
            case 1: at = asOf + Double(int(1...100_000))  // in the future: ignored
            case 2: at = asOf - (window ?? 30) * 86_400  // exactly at the window's edge
            case 3: at = asOf - (window ?? 30) * 86_400 - 1  // just outside
            case 4: at = asOf - (halfLife ?? 1) * 86_400 * Double(int(400...2_000))  // far: the slow decay path
            case 5: at = asOf - 0.001
            default: at = asOf - Double(int(0...400 * 86_400))
            }
            var props: [String: LeadValue] = [:]
            for name in Self.propNames where chance(0.35) { props[name] = propertyValue() }
            events.append(Event(pick(Self.eventTypes), at: at, properties: props))
        }
        var stage: String?
        if let stages = definition.stages, chance(0.6) { stage = pick(stages.list).id }
        return Lead(id: chance(0.1) ? "lead \(index) ünïcode" : "L-\(index)", attributes: attributes, events: events, stage: stage)
    }

    // MARK: Reading predicates

    /// Whether `p` reads a score directly (the generator's own check, so that
    /// it needs none of the library's internals).
    static func readsScore(_ p: Predicate) -> Bool {
        switch p {
        case .score, .result: true
        case .attribute, .property, .criterion: false
        case .all(let parts), .any(let parts): parts.contains(where: readsScore)
        case .not(let inner): readsScore(inner)
        }
    }

    /// The criteria `p` names directly.
    static func namedCriteria(_ p: Predicate) -> [String] {
        switch p {
        case .criterion(let name): [name]
        case .attribute, .property, .score, .result: []
        case .all(let parts), .any(let parts): parts.flatMap(namedCriteria)
        case .not(let inner): namedCriteria(inner)
        }
    }
}
