/// Lowers predicates as written (``Predicate``) to the flat nodes of a
/// ``PredicateProgram``, checking each against the attributes and criteria it
/// may name, with every fault at its JSON path.
///
/// Every document whose predicates name a model's attributes, criteria or
/// scores compiles them here, so they are held to the same rules and
/// evaluated by the same evaluators.
struct PredicateCompiler {
    let attributes: AttributeLayout
    let criterionIndex: [String: Int]
    /// Per criterion, whether it reads a score (directly or through others).
    let criterionUsesScore: [Bool]
    /// The comparison keys of the model's grade names and engagement levels,
    /// which `result` predicates compare with (SPEC §13).
    let gradeKeys: [String]
    let levelKeys: [String]

    private var faults = FaultLog()
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

    /// Where a predicate stands decides what it may name.
    struct Context {
        var allowsProperty = false
        var allowsScore = true
        /// "a scoring rule": how faults name the place.
        var place = ""
        /// 0 at a predicate's root.
        var depth = 0
    }

    init(
        attributes: AttributeLayout, criterionIndex: [String: Int], criterionUsesScore: [Bool],
        grades: [String] = [], levels: [String] = []
    ) {
        self.attributes = attributes
        self.criterionIndex = criterionIndex
        self.criterionUsesScore = criterionUsesScore
        gradeKeys = grades.map(comparisonKey)
        levelKeys = levels.map(comparisonKey)
    }

    /// Compiles `predicate`, found at `path`, and returns its root node. Faults
    /// go to `log`; a faulty part compiles to a constant so that the rest is
    /// still checked.
    mutating func compile(
        _ predicate: Predicate, _ path: String, _ context: Context, reportingTo log: inout FaultLog
    ) -> Int32 {
        let root = lower(predicate, path, context)
        log.append(contentsOf: faults.faults)
        faults = FaultLog()
        return root
    }

    /// The program of every predicate compiled so far.
    func program() -> PredicateProgram {
        PredicateProgram(
            nodes: nodes, children: children, numberPool: numberPool, symbolPool: symbolPool,
            scalarPool: scalarPool, symbols: symbols, symbolKeys: symbolKeys, containsOperands: containsOperands,
            propertyNames: propertyNames)
    }

    mutating func add(_ node: PredicateNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    mutating func intern(_ text: String) -> Int32 {
        let key = comparisonKey(text)
        if let id = symbols[key] { return id }
        let id = Int32(symbolKeys.count)
        symbols[key] = id
        symbolKeys.append(Array(key.utf8))
        return id
    }

    mutating func containsOperand(_ text: String) -> Int32 {
        let key = Array(comparisonKey(text).utf8)
        if let id = containsIndex[key] { return id }
        let id = Int32(containsOperands.count)
        containsIndex[key] = id
        containsOperands.append(key)
        return id
    }

    mutating func pool(_ values: [Double]) -> PoolRange {
        defer { numberPool += values }
        return PoolRange(start: Int32(numberPool.count), count: Int32(values.count))
    }

    mutating func pool(symbolsOf texts: [String]) -> PoolRange {
        let ids = texts.map { intern($0) }
        defer { symbolPool += ids }
        return PoolRange(start: Int32(symbolPool.count), count: Int32(ids.count))
    }

    /// Compiles `predicate`; on a fault records it and returns a constant node so
    /// that compilation can go on and find the rest.
    private mutating func lower(_ predicate: Predicate, _ path: String, _ context: Context) -> Int32 {
        if context.depth == 0 && predicate.depth > Limits.maxNesting {
            faults.fault(path, "nests deeper than \(Limits.maxNesting) levels")
            return add(.constant(false))
        }
        var context = context
        context.depth += 1
        switch predicate {
        case .attribute(let name, let condition):
            guard let i = attributes.index[name] else {
                faults.fault(path.joined("attr"), "unknown attribute \"\(name)\"")
                return add(.constant(false))
            }
            let type = attributes.types[i]
            let node = attributeNode(type, attributes.slots[i], name, condition, path.joined(condition.operatorName))
            return add(node ?? .constant(false))
        case .property(let name, let condition):
            guard context.allowsProperty else {
                faults.fault(path.joined("prop"), "prop may be used only in a behaviour rule's if, not in \(context.place)")
                return add(.constant(false))
            }
            if name.isEmpty { faults.fault(path.joined("prop"), "expected a non-empty string") }
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
                faults.fault(path.joined("score"), "a score may not be used in \(context.place)")
                return add(.constant(false))
            }
            let test = numberTest(condition, path.joined(condition.operatorName), subject: "a score")
            return add(test.map { .score(kind, $0) } ?? .constant(false))
        case .result(let kind, let condition):
            guard context.allowsScore else {
                faults.fault(path.joined("result"), "a result may not be used in \(context.place)")
                return add(.constant(false))
            }
            return resultNode(kind, condition, path.joined(condition.operatorName))
        case .criterion(let name):
            guard let i = criterionIndex[name] else {
                faults.fault(path.joined("criterion"), "unknown criterion \"\(name)\"")
                return add(.constant(false))
            }
            if !context.allowsScore && criterionUsesScore[i] {
                faults.fault(
                    path.joined("criterion"),
                    "criterion \"\(name)\" reads a score, which may not be used in \(context.place)")
            }
            return add(.criterion(Int32(i)))
        case .all(let parts), .any(let parts):
            let key: String
            if case .all = predicate { key = "all" } else { key = "any" }
            let roots = parts.enumerated().map { i, part in lower(part, path.joined(key).indexed(i), context) }
            let range = PoolRange(start: Int32(children.count), count: Int32(roots.count))
            children += roots
            return add(key == "all" ? .all(range) : .any(range))
        case .not(let inner):
            let root = lower(inner, path.joined("not"), context)
            return add(.not(root))
        }
    }

    mutating func attributeNode(
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
                faults.fault(path, misfit)
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
                    faults.fault(path, "expected true or false for bool attribute \"\(name)\", found \(v)")
                    return nil
                }
                let accepted = condition == .equals(v) ? b : !b
                return .bool(slot: slot, acceptsTrue: accepted, acceptsFalse: !accepted)
            case .isIn(let values), .notIn(let values):
                var set: [Bool] = []
                for (i, v) in values.enumerated() {
                    guard case .bool(let b) = v else {
                        faults.fault(path.indexed(i), "expected true or false for bool attribute \"\(name)\", found \(v)")
                        return nil
                    }
                    set.append(b)
                }
                let negate = condition == .notIn(values)
                return .bool(slot: slot, acceptsTrue: set.contains(true) != negate, acceptsFalse: set.contains(false) != negate)
            default:
                faults.fault(path, misfit)
                return nil
            }
        case .string:
            switch condition {
            case .equals(let v), .notEquals(let v):
                guard case .string(let s) = v else {
                    faults.fault(path, "expected a string for string attribute \"\(name)\", found \(v)")
                    return nil
                }
                return .string(slot: slot, symbol: intern(s), negate: condition == .notEquals(v))
            case .isIn(let values), .notIn(let values):
                guard let texts = strings(values, path, name) else { return nil }
                return .stringIn(slot: slot, pool(symbolsOf: texts), negate: condition == .notIn(values))
            case .contains(let s):
                return .stringContains(slot: slot, operand: containsOperand(s))
            default:
                faults.fault(path, misfit)
                return nil
            }
        case .strings:
            switch condition {
            case .contains(let s): return .setContains(slot: slot, symbol: intern(s))
            case .anyOf(let texts): return .setAnyOf(slot: slot, pool(symbolsOf: texts))
            default:
                faults.fault(path, misfit)
                return nil
            }
        }
    }

    /// A `result` predicate as the set of indices it accepts: grades, levels,
    /// or priorities (grade × levels + level), matched by comparison key.
    private mutating func resultNode(_ kind: ResultKind, _ condition: Condition, _ path: String) -> Int32 {
        var keys: [String]
        switch kind {
        case .grade: keys = gradeKeys
        case .engagement: keys = levelKeys
        case .priority: keys = gradeKeys.flatMap { grade in levelKeys.map { comparisonKey(grade + $0) } }
        }
        func accepted(_ values: [Value], _ path: String, _ indexed: Bool) -> PoolRange? {
            var wanted: Set<String> = []
            for (i, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    faults.fault(indexed ? path.indexed(i) : path, "expected a string for result \"\(kind.rawValue)\", found \(value)")
                    return nil
                }
                wanted.insert(comparisonKey(text))
            }
            let indices = keys.indices.filter { wanted.contains(keys[$0]) }.map(Int32.init)
            defer { symbolPool += indices }
            return PoolRange(start: Int32(symbolPool.count), count: Int32(indices.count))
        }
        switch condition {
        case .equals(let v), .notEquals(let v):
            guard let range = accepted([v], path, false) else { return add(.constant(false)) }
            return add(.result(kind, range, negate: condition == .notEquals(v)))
        case .isIn(let values), .notIn(let values):
            guard let range = accepted(values, path, true) else { return add(.constant(false)) }
            return add(.result(kind, range, negate: condition == .notIn(values)))
        case .exists(let expected):
            // Present: not among no indices.
            let present = add(.result(kind, PoolRange(start: 0, count: 0), negate: true))
            return expected ? present : add(.not(present))
        default:
            faults.fault(path, "operator \(condition.operatorName) does not fit result \"\(kind.rawValue)\" (expected eq, ne, in, not_in or exists)")
            return add(.constant(false))
        }
    }

    mutating func numbers(_ values: [Value], _ path: String) -> [Double]? {
        var out: [Double] = []
        for (i, v) in values.enumerated() {
            guard case .number(let x) = v, x.isFinite else {
                faults.fault(path.indexed(i), "expected a finite number, found \(v)")
                return nil
            }
            out.append(x)
        }
        return out
    }

    mutating func strings(_ values: [Value], _ path: String, _ name: String) -> [String]? {
        var out: [String] = []
        for (i, v) in values.enumerated() {
            guard case .string(let s) = v else {
                faults.fault(path.indexed(i), "expected a string for string attribute \"\(name)\", found \(v)")
                return nil
            }
            out.append(s)
        }
        return out
    }

    /// A numeric comparison; faults for any other operator or a bad operand.
    mutating func numberTest(_ condition: Condition, _ path: String, subject: String) -> NumberTest? {
        func finite(_ x: Double, _ compiler: inout PredicateCompiler) -> Bool {
            if x.isFinite { return true }
            compiler.faults.fault(path, "expected a finite number")
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
                faults.fault(path, "between needs lo <= hi, found [\(formatNumber(lo)), \(formatNumber(hi))]")
                return nil
            }
            return .between(lo, hi)
        case .equals(.number(let a)): return finite(a, &self) ? .equals(a) : nil
        case .notEquals(.number(let a)): return finite(a, &self) ? .notEquals(a) : nil
        case .equals(let v), .notEquals(let v):
            faults.fault(path, "expected a number for \(subject), found \(v)")
            return nil
        default:
            faults.fault(path, "operator \(condition.operatorName) does not fit \(subject)")
            return nil
        }
    }

    mutating func scalar(_ value: Value, _ path: String) -> ScalarConstant? {
        switch value {
        case .string(let s): return ScalarConstant(kind: .string, number: 0, symbol: intern(s))
        case .bool(let b): return ScalarConstant(kind: .bool, number: b ? 1 : 0, symbol: -1)
        case .number(let x):
            guard x.isFinite else {
                faults.fault(path, "expected a finite number")
                return nil
            }
            return ScalarConstant(kind: .number, number: x, symbol: -1)
        }
    }

    mutating func propertyTest(_ condition: Condition, _ path: String) -> PropertyTest? {
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
