/// Validates a ``ModelDefinition`` completely and lowers it to a ``CompiledModel``.
///
/// Every check of SPEC §2 lives here, so a model built in Swift and one read
/// from JSON are held to the same rules and report faults at the same paths.
struct ModelCompiler {
    private let definition: ModelDefinition
    private var faults: [ModelFault] = []

    private var attributeIndex: [String: Int] = [:]
    private var attributeSlots: [Int32] = []
    private var slotCounts: [AttributeType: Int] = [:]

    private var symbols: [String: Int32] = [:]
    private var symbolKeys: [[UInt8]] = []
    private var containsOperands: [[UInt8]] = []
    private var containsIndex: [[UInt8]: Int32] = [:]

    private var nodes: [PredicateNode] = []
    private var children: [Int32] = []
    private var numberPool: [Double] = []
    private var symbolPool: [Int32] = []
    private var scalarPool: [ScalarConstant] = []
    private var propertyNames: [String] = []
    private var propertyIndex: [String: Int32] = [:]

    private var criterionIndex: [String: Int] = [:]
    private var criterionUsesScore: [Bool] = []
    /// Faults found while naming criteria, reported when each one is compiled
    /// so that faults keep document order.
    private var criterionFaults: [Int: [ModelFault]] = [:]

    /// Where a predicate stands decides what it may name.
    private struct Context {
        var allowsProperty = false
        var allowsScore = true
        var place = ""
        /// 0 at a predicate's root.
        var depth = 0
    }

    init(_ definition: ModelDefinition) {
        self.definition = definition
    }

    static func compile(_ definition: ModelDefinition) throws(ModelError) -> CompiledModel {
        var compiler = ModelCompiler(definition)
        let model = compiler.run()
        guard compiler.faults.isEmpty, let model else { throw ModelError(faults: compiler.faults) }
        return model
    }

    private mutating func fault(_ path: String, _ message: String) {
        faults.append(ModelFault(path: path, message: message))
    }

    private mutating func run() -> CompiledModel? {
        declareAttributes()
        declareCriteria()
        let criterionRoots = definition.criteria.enumerated().map { i, criterion in
            faults += criterionFaults[i] ?? []
            return compile(criterion.predicate, "criteria".joined(criterion.name), Context(place: "a criterion"))
        }
        let (fitRoots, behaviorRoots) = compileScoring()
        let (eventTypes, eventTypeRules, wildcards) = compileEventTypes()
        var disqualifierRoots: [Int32] = []
        var seen: Set<String> = []
        for (i, disqualifier) in definition.disqualifiers.enumerated() {
            let path = "disqualify".indexed(i)
            checkID(disqualifier.id, path, &seen)
            disqualifierRoots.append(compile(disqualifier.predicate, path.joined("if"), Context(place: "a disqualifier")))
        }
        let stages = definition.stages.flatMap { compileStages($0) }
        guard faults.isEmpty else { return nil }
        return CompiledModel(
            definition: definition, attributeIndex: attributeIndex, attributeSlots: attributeSlots,
            slotCounts: slotCounts, symbols: symbols, symbolKeys: symbolKeys,
            containsOperands: containsOperands, nodes: nodes, children: children, numberPool: numberPool,
            symbolPool: symbolPool, scalarPool: scalarPool, criterionRoots: criterionRoots,
            fitRoots: fitRoots, behaviorRoots: behaviorRoots, disqualifierRoots: disqualifierRoots,
            eventTypes: eventTypes, eventTypeRules: eventTypeRules, wildcards: wildcards,
            propertyNames: propertyNames, stages: stages)
    }

    // MARK: Declarations

    private mutating func declareAttributes() {
        for (i, attribute) in definition.attributes.enumerated() {
            let path = "attributes".joined(attribute.name)
            if attribute.name.isEmpty { fault(path, "an attribute name must be non-empty") }
            if attributeIndex[attribute.name] != nil {
                fault(path, "attribute \"\(attribute.name)\" is declared twice")
            } else {
                attributeIndex[attribute.name] = i
            }
            let slot = slotCounts[attribute.type, default: 0]
            slotCounts[attribute.type] = slot + 1
            attributeSlots.append(Int32(slot))
        }
    }

    /// Names every criterion, then rejects reference cycles and works out which
    /// criteria read a score (scoring rules may not use those).
    private mutating func declareCriteria() {
        for (i, criterion) in definition.criteria.enumerated() {
            let path = "criteria".joined(criterion.name)
            if criterion.name.isEmpty {
                criterionFaults[i, default: []].append(ModelFault(path: path, message: "a criterion name must be non-empty"))
            }
            if criterionIndex[criterion.name] != nil {
                criterionFaults[i, default: []].append(
                    ModelFault(path: path, message: "criterion \"\(criterion.name)\" is defined twice"))
            } else {
                criterionIndex[criterion.name] = i
            }
        }
        let references = definition.criteria.map { criterion in
            criterion.predicate.referencedCriteria.compactMap { criterionIndex[$0] }
        }
        // Depth-first search with colours; a grey node reached again closes a cycle.
        // `trail` is the path from the search's root; `nesting` bounds how deep
        // evaluation can recurse through references, which is kept within
        // `Limits.maxNesting` so that evaluating never exhausts a thread's stack.
        var colour = [UInt8](repeating: 0, count: references.count)
        var usesScore = definition.criteria.map { $0.predicate.readsScore }
        let depths = definition.criteria.map { $0.predicate.depth }
        var nesting = depths
        var reported: Set<Int> = []
        var trail: [Int] = []
        func visit(_ node: Int, _ compiler: inout ModelCompiler) {
            colour[node] = 1
            trail.append(node)
            defer {
                trail.removeLast()
                colour[node] = 2
            }
            guard trail.count <= Limits.maxNesting else { return }
            for next in references[node] {
                if colour[next] == 1 {
                    guard let start = trail.firstIndex(of: next) else { continue }
                    let names = (trail[start...] + [next]).map { compiler.definition.criteria[$0].name }
                    if reported.insert(next).inserted {
                        compiler.criterionFaults[next, default: []].append(
                            ModelFault(
                                path: "criteria".joined(compiler.definition.criteria[next].name),
                                message: "criterion refers to itself through \(names.joined(separator: " -> "))"))
                    }
                    continue
                }
                if colour[next] == 0 { visit(next, &compiler) }
                if usesScore[next] { usesScore[node] = true }
                nesting[node] = max(nesting[node], depths[node] + nesting[next])
            }
        }
        for node in references.indices where colour[node] == 0 {
            visit(node, &self)
        }
        for (i, depth) in nesting.enumerated() where depth > Limits.maxNesting && !reported.contains(i) {
            criterionFaults[i, default: []].append(
                ModelFault(
                    path: "criteria".joined(definition.criteria[i].name),
                    message: "nests deeper than \(Limits.maxNesting) levels through the criteria it refers to"))
        }
        criterionUsesScore = usesScore
    }

    private mutating func checkID(_ id: String, _ path: String, _ seen: inout Set<String>) {
        if id.isEmpty {
            fault(path.joined("id"), "expected a non-empty string")
        } else if !seen.insert(id).inserted {
            fault(path.joined("id"), "duplicate id \"\(id)\"")
        }
    }

    private mutating func checkFinite(_ x: Double, _ path: String) {
        if !x.isFinite { fault(path, "expected a finite number") }
    }

    // MARK: Scoring

    private mutating func compileScoring() -> (fit: [Int32], behavior: [Int32]) {
        let scoring = definition.scoring
        let ruleContext = Context(allowsProperty: false, allowsScore: false, place: "a scoring rule")
        var fitRoots: [Int32] = []
        var seen: Set<String> = []
        for (i, rule) in scoring.fit.enumerated() {
            let path = "scoring.fit".indexed(i)
            checkID(rule.id, path, &seen)
            checkFinite(rule.points, path.joined("points"))
            fitRoots.append(compile(rule.predicate, path.joined("if"), ruleContext))
        }
        var behaviorRoots: [Int32] = []
        seen = []
        var eventContext = ruleContext
        eventContext.allowsProperty = true
        for (i, rule) in scoring.behavior.enumerated() {
            let path = "scoring.behavior".indexed(i)
            checkID(rule.id, path, &seen)
            if rule.event.isEmpty { fault(path.joined("event"), "expected a non-empty string") }
            checkFinite(rule.points, path.joined("points"))
            if let cap = rule.cap, !(cap > 0 && cap.isFinite) {
                fault(path.joined("cap"), "expected a finite number > 0")
            }
            behaviorRoots.append(rule.predicate.map { compile($0, path.joined("if"), eventContext) } ?? -1)
        }
        if let days = scoring.halfLifeDays, !(days > 0 && days.isFinite) {
            fault("scoring.half_life_days", "expected a finite number > 0")
        }
        if let days = scoring.windowDays, !(days > 0 && days.isFinite) {
            fault("scoring.window_days", "expected a finite number > 0")
        }
        if let limits = scoring.behaviorLimits {
            if let lo = limits.min { checkFinite(lo, "scoring.behavior_limits.min") }
            if let hi = limits.max { checkFinite(hi, "scoring.behavior_limits.max") }
            if let lo = limits.min, let hi = limits.max, lo > hi {
                fault("scoring.behavior_limits", "min (\(formatNumber(lo))) is greater than max (\(formatNumber(hi)))")
            }
        }
        for (i, grade) in scoring.grades.enumerated() {
            let path = "scoring.grades".indexed(i)
            if grade.grade.isEmpty { fault(path.joined("grade"), "expected a non-empty string") }
            checkFinite(grade.min, path.joined("min"))
        }
        return (fitRoots, behaviorRoots)
    }

    /// Every exact event type named by a rule, with all the rules (exact and
    /// wildcard) it feeds; unnamed types are matched against `wildcards` at ingest.
    private func compileEventTypes() -> ([EventType: Int32], [[Int32]], [(prefix: [UInt8], rule: Int32)]) {
        var types: [EventType: Int32] = [:]
        var rules: [[Int32]] = []
        var wildcards: [(prefix: [UInt8], rule: Int32)] = []
        for (i, rule) in definition.scoring.behavior.enumerated() where rule.event.hasSuffix(".*") {
            wildcards.append((Array(rule.event.utf8.dropLast()), Int32(i)))
        }
        for (i, rule) in definition.scoring.behavior.enumerated() where !rule.event.hasSuffix(".*") {
            let type = EventType(rule.event)
            if let id = types[type] {
                rules[Int(id)].append(Int32(i))
            } else {
                types[type] = Int32(rules.count)
                rules.append([Int32(i)])
            }
        }
        for (type, id) in types {
            for wildcard in wildcards where type.bytes.starts(with: wildcard.prefix) {
                rules[Int(id)].append(wildcard.rule)
            }
            rules[Int(id)].sort()
        }
        return (types, rules, wildcards)
    }

    // MARK: Stages

    private mutating func compileStages(_ stages: Stages) -> CompiledStages? {
        // Name the stages first, then report faults stage by stage, in document order.
        var index: [String: Int32] = [:]
        for (i, stage) in stages.list.enumerated() where index[stage.id] == nil && stage.id != "*" {
            index[stage.id] = Int32(i)
        }
        let initial = index[stages.initial]
        if initial == nil { fault("stages.initial", "unknown stage \"\(stages.initial)\"") }
        if stages.list.isEmpty { fault("stages.list", "expected at least one stage") }
        let stageContext = Context(allowsProperty: false, allowsScore: true, place: "a stage")
        var requires: [Int32] = []
        var enterWhen: [Int32] = []
        for (i, stage) in stages.list.enumerated() {
            let path = "stages.list".indexed(i)
            if stage.id.isEmpty {
                fault(path.joined("id"), "expected a non-empty string")
            } else if stage.id == "*" {
                fault(path.joined("id"), "\"*\" is reserved for transitions from every stage")
            } else if index[stage.id] != Int32(i) {
                fault(path.joined("id"), "duplicate stage id \"\(stage.id)\"")
            }
            requires.append(stage.requires.map { compile($0, path.joined("requires"), stageContext) } ?? -1)
            enterWhen.append(stage.enterWhen.map { compile($0, path.joined("enter_when"), stageContext) } ?? -1)
        }
        var reasonLists: [[Int32: [[String]?]]] = Array(repeating: [:], count: stages.list.count)
        for (i, transition) in stages.transitions.enumerated() {
            let path = "stages.transitions".indexed(i)
            if transition.from.isEmpty { fault(path.joined("from"), "expected at least one stage") }
            if transition.to.isEmpty { fault(path.joined("to"), "expected at least one stage") }
            if let reasons = transition.reasons {
                if reasons.isEmpty { fault(path.joined("reasons"), "expected at least one reason") }
                for (j, reason) in reasons.enumerated() where reason.isEmpty {
                    fault(path.joined("reasons").indexed(j), "expected a non-empty string")
                }
            }
            var sources: [Int32] = []
            for (j, from) in transition.from.enumerated() {
                let fromPath = transition.from.count == 1 ? path.joined("from") : path.joined("from").indexed(j)
                if from == "*" {
                    // Every stage that has no outcome.
                    sources += stages.list.indices.filter { stages.list[$0].outcome == nil }.map { Int32($0) }
                } else if let stage = index[from] {
                    sources.append(stage)
                } else {
                    fault(fromPath, "unknown stage \"\(from)\"")
                }
            }
            for (j, to) in transition.to.enumerated() {
                let toPath = transition.to.count == 1 ? path.joined("to") : path.joined("to").indexed(j)
                guard let target = index[to] else {
                    fault(toPath, to == "*" ? "\"*\" may stand only in from" : "unknown stage \"\(to)\"")
                    continue
                }
                for source in sources {
                    // A wildcard never makes a stage lead to itself.
                    if source == target && !transition.from.contains(to) { continue }
                    reasonLists[Int(source)][target, default: []].append(transition.reasons)
                }
            }
        }
        guard let initial else { return nil }
        let edges = reasonLists.map { targets in
            targets.keys.sorted().map { StageEdge(to: $0, reasonLists: targets[$0] ?? []) }
        }
        var compiled = CompiledStages(
            ids: stages.list.map(\.id), index: index, initial: initial, requires: requires,
            enterWhen: enterWhen, outcomes: stages.list.map(\.outcome), edges: edges)
        (compiled.path, compiled.benchmarks) = compileFunnelPath(stages, index)
        return compiled
    }

    /// `stages.path` (or its default) as stage indices, and `stages.benchmarks` by
    /// path position (SPEC §12).
    private mutating func compileFunnelPath(_ stages: Stages, _ index: [String: Int32]) -> ([Int32], [Double?]) {
        var path: [Int32] = []
        if let ids = stages.path {
            if ids.isEmpty { fault("stages.path", "expected at least one stage") }
            for (i, id) in ids.enumerated() {
                guard let stage = index[id] else {
                    fault("stages.path".indexed(i), "unknown stage \"\(id)\"")
                    continue
                }
                if path.contains(stage) {
                    fault("stages.path".indexed(i), "stage \"\(id)\" repeats in the path")
                    continue
                }
                path.append(stage)
            }
        } else {
            for (i, stage) in stages.list.enumerated() where index[stage.id] == Int32(i) {
                if stage.outcome == .lost || stage.outcome == .disqualified { continue }
                path.append(Int32(i))
                if stage.outcome == .won { break }
            }
        }
        var benchmarks = [Double?](repeating: nil, count: path.count)
        for (id, rate) in stages.benchmarks.sorted(by: { $0.key < $1.key }) {
            let at = "stages.benchmarks".joined(id)
            guard let stage = index[id] else {
                fault(at, "unknown stage \"\(id)\"")
                continue
            }
            guard let position = path.firstIndex(of: stage) else {
                fault(at, "stage \"\(id)\" is not in the funnel's path")
                continue
            }
            if position == 0 {
                fault(at, "the first stage of the path has no stage before it to compare with")
            } else if !rate.isFinite || rate < 0 || rate > 1 {
                fault(at, "expected a rate between 0 and 1, found \(rate)")
            } else {
                benchmarks[position] = rate
            }
        }
        return (path, benchmarks)
    }

    // MARK: Predicates

    private mutating func add(_ node: PredicateNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    private mutating func intern(_ text: String) -> Int32 {
        let key = comparisonKey(text)
        if let id = symbols[key] { return id }
        let id = Int32(symbolKeys.count)
        symbols[key] = id
        symbolKeys.append(Array(key.utf8))
        return id
    }

    private mutating func containsOperand(_ text: String) -> Int32 {
        let key = Array(comparisonKey(text).utf8)
        if let id = containsIndex[key] { return id }
        let id = Int32(containsOperands.count)
        containsIndex[key] = id
        containsOperands.append(key)
        return id
    }

    private mutating func pool(_ values: [Double]) -> PoolRange {
        defer { numberPool += values }
        return PoolRange(start: Int32(numberPool.count), count: Int32(values.count))
    }

    private mutating func pool(symbolsOf texts: [String]) -> PoolRange {
        let ids = texts.map { intern($0) }
        defer { symbolPool += ids }
        return PoolRange(start: Int32(symbolPool.count), count: Int32(ids.count))
    }

    /// Compiles `predicate`; on a fault records it and returns a constant node so
    /// that compilation can go on and find the rest.
    private mutating func compile(_ predicate: Predicate, _ path: String, _ context: Context) -> Int32 {
        if context.depth == 0 && predicate.depth > Limits.maxNesting {
            fault(path, "nests deeper than \(Limits.maxNesting) levels")
            return add(.constant(false))
        }
        var context = context
        context.depth += 1
        switch predicate {
        case .attribute(let name, let condition):
            guard let i = attributeIndex[name] else {
                fault(path.joined("attr"), "unknown attribute \"\(name)\"")
                return add(.constant(false))
            }
            let type = definition.attributes[i].type
            let node = attributeNode(type, attributeSlots[i], name, condition, path.joined(condition.operatorName))
            return add(node ?? .constant(false))
        case .property(let name, let condition):
            guard context.allowsProperty else {
                fault(path.joined("prop"), "prop may be used only in a behaviour rule's if, not in \(context.place)")
                return add(.constant(false))
            }
            if name.isEmpty { fault(path.joined("prop"), "expected a non-empty string") }
            let index: Int32
            if let known = propertyIndex[name] {
                index = known
            } else {
                index = Int32(propertyNames.count)
                propertyIndex[name] = index
                propertyNames.append(name)
            }
            let test = propertyTest(condition, path.joined(condition.operatorName))
            return add(test.map { .property(index: index, $0) } ?? .constant(false))
        case .score(let kind, let condition):
            guard context.allowsScore else {
                fault(path.joined("score"), "a score may not be used in \(context.place)")
                return add(.constant(false))
            }
            let test = numberTest(condition, path.joined(condition.operatorName), subject: "a score")
            return add(test.map { .score(kind, $0) } ?? .constant(false))
        case .criterion(let name):
            guard let i = criterionIndex[name] else {
                fault(path.joined("criterion"), "unknown criterion \"\(name)\"")
                return add(.constant(false))
            }
            if !context.allowsScore && criterionUsesScore[i] {
                fault(
                    path.joined("criterion"),
                    "criterion \"\(name)\" reads a score, which may not be used in \(context.place)")
            }
            return add(.criterion(Int32(i)))
        case .all(let parts), .any(let parts):
            let key: String
            if case .all = predicate { key = "all" } else { key = "any" }
            let roots = parts.enumerated().map { i, part in compile(part, path.joined(key).indexed(i), context) }
            let range = PoolRange(start: Int32(children.count), count: Int32(roots.count))
            children += roots
            return add(key == "all" ? .all(range) : .any(range))
        case .not(let inner):
            let root = compile(inner, path.joined("not"), context)
            return add(.not(root))
        }
    }

    private mutating func attributeNode(
        _ type: AttributeType, _ slot: Int32, _ name: String, _ condition: Condition, _ path: String
    ) -> PredicateNode? {
        let misfit = "operator \(condition.operatorName) does not fit \(type.rawValue) attribute \"\(name)\""
        if case .exists(let expected) = condition { return .exists(type, slot: slot, expected) }
        switch type {
        case .number:
            switch condition {
            case .isIn(let values), .notIn(let values):
                guard let numbers = self.numbers(values, path) else { return nil }
                if case .isIn = condition { return .numberIn(slot: slot, pool(numbers), negate: false) }
                return .numberIn(slot: slot, pool(numbers), negate: true)
            case .contains, .anyOf:
                fault(path, misfit)
                return nil
            default:
                return numberTest(condition, path, subject: "number attribute \"\(name)\"").map {
                    .number(slot: slot, $0)
                }
            }
        case .bool:
            switch condition {
            case .equals(let v), .notEquals(let v):
                guard case .bool(let b) = v else {
                    fault(path, "expected true or false for bool attribute \"\(name)\", found \(v)")
                    return nil
                }
                let accepted = condition == .equals(v) ? b : !b
                return .bool(slot: slot, acceptsTrue: accepted, acceptsFalse: !accepted)
            case .isIn(let values), .notIn(let values):
                var set: [Bool] = []
                for (i, v) in values.enumerated() {
                    guard case .bool(let b) = v else {
                        fault(path.indexed(i), "expected true or false for bool attribute \"\(name)\", found \(v)")
                        return nil
                    }
                    set.append(b)
                }
                let negate = condition == .notIn(values)
                return .bool(slot: slot, acceptsTrue: set.contains(true) != negate, acceptsFalse: set.contains(false) != negate)
            default:
                fault(path, misfit)
                return nil
            }
        case .string:
            switch condition {
            case .equals(let v), .notEquals(let v):
                guard case .string(let s) = v else {
                    fault(path, "expected a string for string attribute \"\(name)\", found \(v)")
                    return nil
                }
                return .string(slot: slot, symbol: intern(s), negate: condition == .notEquals(v))
            case .isIn(let values), .notIn(let values):
                guard let texts = strings(values, path, name) else { return nil }
                return .stringIn(slot: slot, pool(symbolsOf: texts), negate: condition == .notIn(values))
            case .contains(let s):
                return .stringContains(slot: slot, operand: containsOperand(s))
            default:
                fault(path, misfit)
                return nil
            }
        case .strings:
            switch condition {
            case .contains(let s): return .setContains(slot: slot, symbol: intern(s))
            case .anyOf(let texts): return .setAnyOf(slot: slot, pool(symbolsOf: texts))
            default:
                fault(path, misfit)
                return nil
            }
        }
    }

    private mutating func numbers(_ values: [Value], _ path: String) -> [Double]? {
        var out: [Double] = []
        for (i, v) in values.enumerated() {
            guard case .number(let x) = v, x.isFinite else {
                fault(path.indexed(i), "expected a finite number, found \(v)")
                return nil
            }
            out.append(x)
        }
        return out
    }

    private mutating func strings(_ values: [Value], _ path: String, _ name: String) -> [String]? {
        var out: [String] = []
        for (i, v) in values.enumerated() {
            guard case .string(let s) = v else {
                fault(path.indexed(i), "expected a string for string attribute \"\(name)\", found \(v)")
                return nil
            }
            out.append(s)
        }
        return out
    }

    /// A numeric comparison; faults for any other operator or a bad operand.
    private mutating func numberTest(_ condition: Condition, _ path: String, subject: String) -> NumberTest? {
        func finite(_ x: Double, _ compiler: inout ModelCompiler) -> Bool {
            if x.isFinite { return true }
            compiler.fault(path, "expected a finite number")
            return false
        }
        switch condition {
        case .greaterThan(let a): return finite(a, &self) ? .greaterThan(a) : nil
        case .atLeast(let a): return finite(a, &self) ? .atLeast(a) : nil
        case .lessThan(let a): return finite(a, &self) ? .lessThan(a) : nil
        case .atMost(let a): return finite(a, &self) ? .atMost(a) : nil
        case .between(let lo, let hi):
            guard finite(lo, &self), finite(hi, &self) else { return nil }
            guard lo <= hi else {
                fault(path, "between needs lo <= hi, found [\(formatNumber(lo)), \(formatNumber(hi))]")
                return nil
            }
            return .between(lo, hi)
        case .equals(.number(let a)): return finite(a, &self) ? .equals(a) : nil
        case .notEquals(.number(let a)): return finite(a, &self) ? .notEquals(a) : nil
        case .equals(let v), .notEquals(let v):
            fault(path, "expected a number for \(subject), found \(v)")
            return nil
        default:
            fault(path, "operator \(condition.operatorName) does not fit \(subject)")
            return nil
        }
    }

    private mutating func scalar(_ value: Value, _ path: String) -> ScalarConstant? {
        switch value {
        case .string(let s): return ScalarConstant(kind: .string, number: 0, symbol: intern(s))
        case .bool(let b): return ScalarConstant(kind: .bool, number: b ? 1 : 0, symbol: -1)
        case .number(let x):
            guard x.isFinite else {
                fault(path, "expected a finite number")
                return nil
            }
            return ScalarConstant(kind: .number, number: x, symbol: -1)
        }
    }

    private mutating func propertyTest(_ condition: Condition, _ path: String) -> PropertyTest? {
        switch condition {
        case .equals(let v), .notEquals(let v):
            return scalar(v, path).map { .equals($0, negate: condition == .notEquals(v)) }
        case .isIn(let values), .notIn(let values):
            let constants = values.enumerated().compactMap { i, v in scalar(v, path.indexed(i)) }
            guard constants.count == values.count else { return nil }
            let range = PoolRange(start: Int32(scalarPool.count), count: Int32(constants.count))
            scalarPool += constants
            return .isIn(range, negate: condition == .notIn(values))
        case .contains(let s):
            return .contains(operand: containsOperand(s), symbol: intern(s))
        case .anyOf(let texts):
            return .anyOf(pool(symbolsOf: texts))
        case .exists(let b):
            return .exists(b)
        default:
            return numberTest(condition, path, subject: "a property").map(PropertyTest.number)
        }
    }
}

extension Predicate {
    /// Criteria this predicate names directly (not through other criteria).
    var referencedCriteria: [String] {
        switch self {
        case .criterion(let name): [name]
        case .all(let parts), .any(let parts): parts.flatMap(\.referencedCriteria)
        case .not(let inner): inner.referencedCriteria
        case .attribute, .property, .score: []
        }
    }

    /// True when every leaf is a `prop` condition: the predicate depends on
    /// the event alone.
    var readsOnlyProperties: Bool {
        switch self {
        case .property: true
        case .all(let parts), .any(let parts): parts.allSatisfy(\.readsOnlyProperties)
        case .not(let inner): inner.readsOnlyProperties
        case .attribute, .score, .criterion: false
        }
    }

    /// How many levels of nesting: 1 for a leaf.
    var depth: Int {
        switch self {
        case .all(let parts), .any(let parts): 1 + (parts.map(\.depth).max() ?? 0)
        case .not(let inner): 1 + inner.depth
        case .attribute, .property, .score, .criterion: 1
        }
    }

    /// True when this predicate reads a score directly.
    var readsScore: Bool {
        switch self {
        case .score: true
        case .all(let parts), .any(let parts): parts.contains(where: \.readsScore)
        case .not(let inner): inner.readsScore
        case .attribute, .property, .criterion: false
        }
    }
}
