import Testing

@testable import Funnel
import FunnelTestSupport

/// Funnel evaluates one predicate in three places: per lead (`Evaluator.holds`,
/// behind `results` and `Model.score`), swept down the attribute columns of a
/// block of leads (`Evaluator.sweep`, behind `scores`), and, for `prop`
/// predicates, once per event at ingest (`LeadBatch.route`) instead of at
/// score time. Each place has its own code for every operator, so this suite
/// holds them to one another on random predicates and leads: a slip in any one
/// shows up as a disagreement, without a reference to write by hand.
@Suite("Evaluator agreement")
struct EvaluatorAgreementTests {
    static let asOf = sampleAsOf

    /// Every attribute type, twice, so that predicates can mix slots of one type.
    static let attributes: [AttributeDeclaration] = [
        AttributeDeclaration("s1", .string), AttributeDeclaration("s2", .string),
        AttributeDeclaration("n1", .number), AttributeDeclaration("n2", .number),
        AttributeDeclaration("b1", .bool), AttributeDeclaration("b2", .bool),
        AttributeDeclaration("t1", .strings), AttributeDeclaration("t2", .strings),
    ]

    /// What SPEC §3 allows on each attribute type; the run must produce each.
    static let operatorsByType: [AttributeType: Set<String>] = [
        .number: ["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"],
        .bool: ["eq", "ne", "in", "not_in", "exists"],
        .string: ["eq", "ne", "in", "not_in", "contains", "exists"],
        .strings: ["contains", "any_of", "exists"],
    ]

    // MARK: Per lead against swept

    /// Fit rule k is worth 2^k points, so a lead's swept fit is the set of
    /// rules that held for it, exactly; `results` says the same per lead. A
    /// rule `{criterion: c}` per criterion puts the criteria to the test too.
    @Test func sweptFitRulesAgreeWithPerLeadEvaluation() throws {
        let models = 60
        let leadsPerModel = 300  // one full block of 256 and a partial one
        var seen = OperatorCoverage()
        var mismatches: [String] = []
        var held = 0
        var checked = 0
        for m in 0..<models {
            let seed = 0xA6EE_0000 &+ UInt64(m)
            var random = RandomCases(seed: seed)
            var criteria: [Criterion] = []
            for c in 0..<random.int(0...5) {
                criteria.append(Criterion("c\(c)", random.predicate(Self.context(criteria: criteria.map(\.name)))))
            }
            var conditions = (0..<random.int(20...32)).map { _ in
                random.predicate(Self.context(criteria: criteria.map(\.name)))
            }
            conditions += criteria.map { .criterion($0.name) }
            let fit = conditions.enumerated().map { k, p in FitRule("f\(k)", if: p, points: Double(UInt64(1) << k)) }
            let definition = ModelDefinition(
                name: "agreement", attributes: Self.attributes, criteria: criteria, scoring: Scoring(fit: fit))
            for p in criteria.map(\.predicate) + fit.map(\.predicate) { seen.record(p, Self.attributes) }

            let model = try Model(definition)
            let leads = (0..<leadsPerModel).map { i in
                var lead = random.lead(i, definition, asOf: Self.asOf)
                lead.events = []
                return lead
            }
            let batch = try LeadBatch(model: model, leads: leads)
            // Every rule is on attributes alone, so the block scorer sweeps them all.
            #expect(Scorer(batch, asOf: Self.asOf).sweptFitRules == fit.count)
            let swept = batch.scores(at: Self.asOf, threads: 1).fit
            let perLead = batch.results(at: Self.asOf, threads: 1)
            let index = Dictionary(uniqueKeysWithValues: fit.enumerated().map { ($1.id, $0) })
            for i in leads.indices {
                var expected: UInt64 = 0
                for c in perLead[i].contributions where c.kind == .fit { expected |= UInt64(1) << index[c.rule]! }
                checked += fit.count
                held += expected.nonzeroBitCount
                let got = UInt64(exactly: swept[i])
                if got != expected {
                    let differ = got.map { $0 ^ expected } ?? ~0
                    let rules = fit.indices.filter { differ & (1 << UInt64($0)) != 0 }.map {
                        "\(fit[$0].id) (\(fit[$0].predicate)): per lead \(expected & (1 << UInt64($0)) != 0)"
                    }
                    mismatches.append(
                        "seed 0x\(String(seed, radix: 16)) lead #\(i) \(Self.describe(leads[i])): "
                            + rules.joined(separator: "; "))
                }
            }
        }
        #expect(mismatches.isEmpty, "swept and per-lead evaluation disagree \(mismatches.count) times; the first:\n\(mismatches.prefix(20).joined(separator: "\n"))")
        // Not vacuous: both answers are common, and every operator met every type it fits.
        #expect(held * 10 > checked && held * 10 < checked * 9, "\(held) of \(checked) rule checks held")
        #expect(seen.missing(Self.operatorsByType).isEmpty, "never generated: \(seen.missing(Self.operatorsByType))")
        #expect(seen.compounds.isSuperset(of: ["all", "any", "not", "criterion", "all[]", "any[]"]), "\(seen.compounds)")
    }

    /// A lead's attributes in name order, for failure messages.
    static func describe(_ lead: Lead) -> String {
        lead.attributes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    static func context(criteria: [String]) -> RandomCases.PredicateContext {
        .init(attributes: attributes, criteria: criteria, allowsProperty: false, allowsScore: false)
    }

    // MARK: At ingest against at score time

    /// A behaviour rule whose `if` reads only properties is decided once per
    /// event at ingest; the same `if` joined with `{attr: "x", exists: true}`
    /// (true for every lead here) cannot be, and is evaluated per event while
    /// scoring. Each rule has its own event type, so the decision at ingest is
    /// final. Rule by rule, both must count the same events.
    @Test func propertyPredicatesDecideAlikeAtIngestAndAtScoreTime() throws {
        let models = 60
        let leadsPerModel = 60
        var mismatches: [String] = []
        var counted = 0
        var offered = 0
        var operators = Set<String>()
        var valueKinds = Set<String>()
        for m in 0..<models {
            let seed = 0x1E57_0000 &+ UInt64(m)
            var random = RandomCases(seed: seed)
            let rules = random.int(1...10)
            var events: [String] = []
            var predicates: [Predicate] = []
            for k in 0..<rules {
                // Exact types and wildcards: a wildcard's class is made at ingest.
                events.append(random.chance(0.3) ? "w\(k).*" : "e\(k)")
                let p = Self.propertyPredicate(&random, depth: 0)
                Self.collectOperators(p, into: &operators)
                predicates.append(p)
            }
            let attributes = [AttributeDeclaration("x", .bool)]
            let atIngest = try Model(ModelDefinition(
                attributes: attributes,
                scoring: Scoring(behavior: (0..<rules).map {
                    BehaviorRule("r\($0)", event: events[$0], if: predicates[$0], points: 1)
                })))
            let atScore = try Model(ModelDefinition(
                attributes: attributes,
                scoring: Scoring(behavior: (0..<rules).map {
                    BehaviorRule(
                        "r\($0)", event: events[$0], if: .all([predicates[$0], .attr("x", .exists(true))]), points: 1)
                })))
            let leads = (0..<leadsPerModel).map { i in
                let lead = Lead(
                    id: "L-\(i)", attributes: ["x": .bool(random.chance(0.5))],
                    events: (0..<random.int(0...8)).map { _ in
                        let k = random.int(0...(rules - 1))
                        let type = events[k].hasSuffix(".*") ? "w\(k).\(random.pick(["a", "b"]))" : events[k]
                        var props: [String: LeadValue] = [:]
                        for name in RandomCases.propNames where random.chance(0.6) {
                            props[name] = Self.propertyValue(&random)
                        }
                        return Event(type, at: Self.asOf - Double(random.int(0...86_400)), properties: props)
                    })
                for event in lead.events {
                    for name in RandomCases.propNames { valueKinds.insert(Self.kind(event.properties[name])) }
                }
                offered += lead.events.count
                return lead
            }
            let ingestBatch = try LeadBatch(model: atIngest, leads: leads)
            let scoreBatch = try LeadBatch(model: atScore, leads: leads)
            // The two decisions really are made in the two places: routed to
            // their one rule (or dropped) at ingest, left to the scorer otherwise.
            #expect(ingestBatch.eventRoute.buffer.allSatisfy { $0 >= 0 })
            #expect(scoreBatch.eventRoute.buffer.allSatisfy { $0 < 0 })
            let a = ingestBatch.results(at: Self.asOf, threads: 1)
            let b = scoreBatch.results(at: Self.asOf, threads: 1)
            #expect(ingestBatch.scores(at: Self.asOf, threads: 1).behavior == a.map(\.behavior))
            #expect(scoreBatch.scores(at: Self.asOf, threads: 1).behavior == b.map(\.behavior))
            for i in leads.indices {
                let countsA = Dictionary(uniqueKeysWithValues: a[i].contributions.map { ($0.rule, $0.events) })
                let countsB = Dictionary(uniqueKeysWithValues: b[i].contributions.map { ($0.rule, $0.events) })
                counted += countsB.values.reduce(0, +)
                if countsA != countsB {
                    let r = (0..<rules).first { countsA["r\($0)"] != countsB["r\($0)"] }!
                    let fed = leads[i].events.filter { $0.type == events[r] || $0.type.hasPrefix("w\(r).") }
                    mismatches.append(
                        "seed 0x\(String(seed, radix: 16)) lead #\(i) rule r\(r) if \(predicates[r]): "
                            + "\(countsA["r\(r)"] ?? 0) events at ingest, \(countsB["r\(r)"] ?? 0) at score time; \(fed)")
                }
            }
        }
        #expect(mismatches.isEmpty, "ingest-time and score-time decisions disagree \(mismatches.count) times; the first:\n\(mismatches.prefix(20).joined(separator: "\n"))")
        // Not vacuous: events both pass and fail, and every operator and value type occurs.
        #expect(counted * 10 > offered && counted * 10 < offered * 9, "\(counted) of \(offered) events counted")
        #expect(operators.isSuperset(of: Self.operatorsByType.values.reduce([], { $0.union($1) })), "\(operators)")
        #expect(valueKinds == ["missing", "null", "number", "bool", "string", "strings", "other"], "\(valueKinds)")
    }

    /// A predicate of `prop` conditions, combined with `all`, `any` and `not`.
    static func propertyPredicate(_ random: inout RandomCases, depth: Int) -> Predicate {
        switch depth >= 2 ? 0 : random.int(0...6) {
        case 0...3: return .prop(random.pick(RandomCases.propNames), Self.propertyCondition(&random))
        case 4: return .all((0..<random.int(0...3)).map { _ in propertyPredicate(&random, depth: depth + 1) })
        case 5: return .any((0..<random.int(0...3)).map { _ in propertyPredicate(&random, depth: depth + 1) })
        default: return .not(propertyPredicate(&random, depth: depth + 1))
        }
    }

    /// The generator's conditions, with `contains` and `any_of` also asked of
    /// words the model never names (they are interned per batch, not per model).
    static func propertyCondition(_ random: inout RandomCases) -> Condition {
        if random.chance(0.15) {
            return random.chance(0.5)
                ? .contains(random.variant(random.pick(["soft", "ware", "ΟΔ", "a", ""])))
                : .anyOf((0..<random.int(1...3)).map { _ in random.word() })
        }
        return random.propertyCondition()
    }

    /// The generator's property values, with strings the model does not know
    /// (`"Softwarex"`) as well as case and white-space variants of those it does.
    static func propertyValue(_ random: inout RandomCases) -> LeadValue {
        switch random.int(0...9) {
        case 0: return .string(random.variant("software") + random.pick(["x", "", " web"]))
        case 1: return .strings([random.variant("software") + "x", random.word()])
        default: return random.propertyValue()
        }
    }

    static func kind(_ value: LeadValue?) -> String {
        switch value {
        case nil: "missing"
        case .null?: "null"
        case .number?: "number"
        case .bool?: "bool"
        case .string?: "string"
        case .strings?: "strings"
        case .other?: "other"
        }
    }

    static func collectOperators(_ p: Predicate, into names: inout Set<String>) {
        switch p {
        case .attribute(_, let c), .property(_, let c), .score(_, let c), .result(_, let c): names.insert(c.operatorName)
        case .criterion: break
        case .all(let parts), .any(let parts): for part in parts { collectOperators(part, into: &names) }
        case .not(let inner): collectOperators(inner, into: &names)
        }
    }
}

/// Which operator met which attribute type, and which compound forms, in the
/// predicates of a run.
struct OperatorCoverage {
    var pairs = Set<String>()
    var compounds = Set<String>()

    mutating func record(_ p: Predicate, _ attributes: [AttributeDeclaration]) {
        switch p {
        case .attribute(let name, let condition):
            if let type = attributes.first(where: { $0.name == name })?.type {
                pairs.insert("\(type.rawValue) \(condition.operatorName)")
            }
        case .property, .score, .result: break
        case .criterion: compounds.insert("criterion")
        case .all(let parts):
            compounds.insert(parts.isEmpty ? "all[]" : "all")
            for part in parts { record(part, attributes) }
        case .any(let parts):
            compounds.insert(parts.isEmpty ? "any[]" : "any")
            for part in parts { record(part, attributes) }
        case .not(let inner):
            compounds.insert("not")
            record(inner, attributes)
        }
    }

    func missing(_ expected: [AttributeType: Set<String>]) -> [String] {
        expected.flatMap { type, names in names.map { "\(type.rawValue) \($0)" } }.filter { !pairs.contains($0) }.sorted()
    }
}
