extension Evaluator {
    /// Whether ``sweep(_:leads:into:masks:depth:)`` can evaluate `node`: every
    /// predicate on attributes alone (through criteria too); not scores or
    /// event properties.
    func canSweep(_ node: Int32) -> Bool {
        Self.canSweep(node, nodes: nodes, children: children, criterionRoots: criterionRoots)
    }

    /// ``canSweep(_:)`` on a model's predicate program.
    static func canSweep(
        _ node: Int32, nodes: UnsafeBufferPointer<PredicateNode>, children: UnsafeBufferPointer<Int32>,
        criterionRoots: UnsafeBufferPointer<Int32>
    ) -> Bool {
        switch nodes[Int(node)] {
        case .constant, .number, .numberIn, .bool, .string, .stringIn, .stringContains, .setContains, .setAnyOf,
            .exists:
            true
        case .all(let parts), .any(let parts):
            parts.indices.allSatisfy { canSweep(children[$0], nodes: nodes, children: children, criterionRoots: criterionRoots) }
        case .not(let inner): canSweep(inner, nodes: nodes, children: children, criterionRoots: criterionRoots)
        case .criterion(let index):
            canSweep(criterionRoots[Int(index)], nodes: nodes, children: children, criterionRoots: criterionRoots)
        case .score, .result, .property: false
        }
    }

    /// How many leading fit rules of `model` ``canSweep(_:)`` accepts (see
    /// `Scorer.sweptFitRules`).
    static func sweptFitRules(_ model: CompiledModel) -> Int {
        let (nodes, children) = (model.predicates.nodes.buffer, model.predicates.children.buffer)
        let criterionRoots = model.criterionRoots.buffer
        return model.scoring.fitRoots.prefix {
            canSweep($0, nodes: nodes, children: children, criterionRoots: criterionRoots)
        }.count
    }

    /// Adds `points` to `fit[i - leads.lowerBound]` for every lead of `leads`
    /// for which `root` holds, one attribute column at a time.
    ///
    /// Evaluating a rule down a column, instead of every rule per lead, turns a
    /// dispatch per node per lead into one per node per block. `root` must be
    /// one that ``canSweep(_:)`` accepts.
    func addColumnwise(
        root: Int32, points: Double, leads: Range<Int>, into fit: UnsafeMutableBufferPointer<Double>, masks: MaskStack
    ) {
        let mask = masks[0]
        sweep(root, leads: leads, into: mask, masks: masks, depth: 0)
        for k in 0..<leads.count { fit[k] += mask[k] != 0 ? points : 0 }
    }

    /// Sets `mask[i - leads.lowerBound]` to 1 where `node` holds for lead i, else 0.
    /// Compound nodes combine their parts' masks, taken from `masks` one level
    /// deeper; so the result is what ``holds(_:)`` gives, without its short cuts.
    func sweep(
        _ node: Int32, leads: Range<Int>, into mask: UnsafeMutableBufferPointer<UInt8>, masks: MaskStack, depth: Int
    ) {
        let first = leads.lowerBound
        // Branch-free: whether a test holds is data, and mispredicting it on
        // half the leads would cost more than the test.
        @inline(__always)
        func each(_ holds: (Int) -> Bool) {
            for i in leads { mask[i &- first] = holds(i) ? 1 : 0 }
        }
        switch nodes[Int(node)] {
        case .constant(let value):
            each { _ in value }
        case .number(let slot, let test):
            let (w, s) = (widths.number, Int(slot))
            switch test {
            case .greaterThan(let a): each { numbers[$0 &* w &+ s] > a }
            case .atLeast(let a): each { numbers[$0 &* w &+ s] >= a }
            case .lessThan(let a): each { numbers[$0 &* w &+ s] < a }
            case .atMost(let a): each { numbers[$0 &* w &+ s] <= a }
            case .between(let lo, let hi): each { lo <= numbers[$0 &* w &+ s] && numbers[$0 &* w &+ s] <= hi }
            case .equals(let a): each { numbers[$0 &* w &+ s] == a }
            case .notEquals(let a): each { let x = numbers[$0 &* w &+ s]; return !x.isNaN && x != a }
            }
        case .numberIn(let slot, let range, let negate):
            let (w, s) = (widths.number, Int(slot))
            each { let x = numbers[$0 &* w &+ s]; return !x.isNaN && contains(numberPool, range, x) != negate }
        case .bool(let slot, let acceptsTrue, let acceptsFalse):
            let (w, s) = (widths.bool, Int(slot))
            // 0: false, 1: true, 2: missing.
            let table: (UInt8, UInt8, UInt8) = (acceptsFalse ? 1 : 0, acceptsTrue ? 1 : 0, 0)
            for i in leads {
                let b = bools[i &* w &+ s]
                mask[i &- first] = b == 0 ? table.0 : (b == 1 ? table.1 : table.2)
            }
        case .string(let slot, let symbol, let negate):
            let (w, s) = (widths.string, Int(slot))
            each { let v = strings[$0 &* w &+ s]; return v >= 0 && (v == symbol) != negate }
        case .stringIn(let slot, let range, let negate):
            let (w, s) = (widths.string, Int(slot))
            let start = inTableStart[Int(node)]
            if start >= 0 {
                // One load per lead: symbols the model does not know share the
                // table's next-to-last byte, missing values its last.
                let known = Int32(truncatingIfNeeded: model.predicates.symbolKeys.count)
                let table = inTables.baseAddress! + start
                for i in leads {
                    let v = strings[i &* w &+ s]
                    mask[i &- first] = table[Int(v < 0 ? known &+ 1 : min(v, known))]
                }
            } else {
                each { let v = strings[$0 &* w &+ s]; return v >= 0 && contains(symbolPool, range, v) != negate }
            }
        case .stringContains(let slot, let operand):
            let (w, s) = (widths.string, Int(slot))
            each { let v = strings[$0 &* w &+ s]; return v >= 0 && containsMasks.has(v, operand: operand) }
        case .setContains(let slot, let symbol):
            let s = Int(slot)
            each { i in memberRange(slot: s, lead: i).map { contains(setMembers, $0, symbol) } ?? false }
        case .setAnyOf(let slot, let wanted):
            let s = Int(slot)
            each { i in memberRange(slot: s, lead: i).map { sharesMember(setMembers, $0, wanted) } ?? false }
        case .exists(let type, let slot, let expected):
            let s = Int(slot)
            each { isPresent(type, s, lead: $0) == expected }
        case .all(let parts):
            combine(parts, leads: leads, into: mask, masks: masks, depth: depth, empty: 1) { $0 & $1 }
        case .any(let parts):
            combine(parts, leads: leads, into: mask, masks: masks, depth: depth, empty: 0) { $0 | $1 }
        case .not(let inner):
            sweep(inner, leads: leads, into: mask, masks: masks, depth: depth &+ 1)
            for j in 0..<leads.count { mask[j] ^= 1 }
        case .criterion(let index):
            sweep(criterionRoots[Int(index)], leads: leads, into: mask, masks: masks, depth: depth &+ 1)
        case .score, .result, .property:
            return  // not reached: ``canSweep(_:)`` refuses them
        }
    }

    /// Sweeps each of `parts` and folds its mask into `mask` with `op`; `empty`
    /// where there are no parts (1 for `all`, 0 for `any`).
    @inline(__always)
    private func combine(
        _ parts: PoolRange, leads: Range<Int>, into mask: UnsafeMutableBufferPointer<UInt8>, masks: MaskStack,
        depth: Int, empty: UInt8, _ op: (UInt8, UInt8) -> UInt8
    ) {
        let n = leads.count
        guard parts.count > 0 else {
            for j in 0..<n { mask[j] = empty }
            return
        }
        let part = masks[depth &+ 1]
        for k in parts.indices {
            let isFirst = k == parts.indices.lowerBound
            sweep(children[k], leads: leads, into: isFirst ? mask : part, masks: masks, depth: depth &+ 1)
            if !isFirst {
                for j in 0..<n { mask[j] = op(mask[j], part[j]) }
            }
        }
    }
}

/// Masks of one block of leads, one per nesting level of a swept predicate,
/// made on first use and kept for the scorer's life.
final class MaskStack {
    let capacity: Int
    private var levels: [UnsafeMutableBufferPointer<UInt8>] = []

    init(capacity: Int) { self.capacity = capacity }

    subscript(depth: Int) -> UnsafeMutableBufferPointer<UInt8> {
        while levels.count <= depth {
            let level = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
            level.initialize(repeating: 0)
            levels.append(level)
        }
        return levels[depth]
    }

    deinit {
        for level in levels { level.deallocate() }
    }
}
