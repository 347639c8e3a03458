extension Evaluator {
    /// Whether ``addColumnwise(root:points:leads:into:)`` can evaluate `root`.
    func canSweep(_ root: Int32) -> Bool {
        switch nodes[Int(root)] {
        case .constant, .number, .bool, .string, .stringIn, .stringContains, .setContains, .exists: true
        default: false
        }
    }

    /// Adds `points` to `fit[i - leads.lowerBound]` for every lead of `leads`
    /// for which the leaf predicate `root` holds, one attribute column at a time.
    ///
    /// Evaluating a rule down a column, instead of every rule per lead, turns a
    /// dispatch per rule per lead into one per rule per block. `root` must be
    /// one that ``canSweep(_:)`` accepts; others are left untouched.
    func addColumnwise(root: Int32, points: Double, leads: Range<Int>, into fit: UnsafeMutableBufferPointer<Double>) {
        let first = leads.lowerBound
        // Branch-free: whether a rule holds is data, and mispredicting it on half
        // the leads would cost more than the add.
        @inline(__always)
        func sweep(_ holds: (Int) -> Bool) {
            for i in leads { fit[i &- first] += holds(i) ? points : 0 }
        }
        switch nodes[Int(root)] {
        case .constant(let value):
            if value { sweep { _ in true } }
        case .number(let slot, let test):
            let w = widths.number
            let s = Int(slot)
            switch test {
            case .greaterThan(let a): sweep { numbers[$0 &* w &+ s] > a }
            case .atLeast(let a): sweep { numbers[$0 &* w &+ s] >= a }
            case .lessThan(let a): sweep { numbers[$0 &* w &+ s] < a }
            case .atMost(let a): sweep { numbers[$0 &* w &+ s] <= a }
            case .between(let lo, let hi): sweep { lo <= numbers[$0 &* w &+ s] && numbers[$0 &* w &+ s] <= hi }
            case .equals(let a): sweep { numbers[$0 &* w &+ s] == a }
            case .notEquals(let a):
                sweep { let x = numbers[$0 &* w &+ s]; return !x.isNaN && x != a }
            }
        case .bool(let slot, let acceptsTrue, let acceptsFalse):
            let w = widths.bool
            let s = Int(slot)
            sweep { let b = bools[$0 &* w &+ s]; return (b == 1 && acceptsTrue) || (b == 0 && acceptsFalse) }
        case .string(let slot, let symbol, let negate):
            let w = widths.string
            let s = Int(slot)
            sweep { let v = strings[$0 &* w &+ s]; return v >= 0 && (v == symbol) != negate }
        case .stringIn(let slot, let range, let negate):
            let w = widths.string
            let s = Int(slot)
            sweep { let v = strings[$0 &* w &+ s]; return v >= 0 && containsSymbol(range, v) != negate }
        case .stringContains(let slot, let operand):
            let w = widths.string
            let s = Int(slot)
            sweep { let v = strings[$0 &* w &+ s]; return v >= 0 && maskBit(v, operand) }
        case .setContains(let slot, let symbol):
            let w = widths.strings
            let s = Int(slot)
            sweep { i in
                let base = (i &* w &+ s) &* 2
                let start = Int(setRanges[base])
                let count = Int(setRanges[base &+ 1])
                for k in start..<(start &+ Swift.max(0, count)) where setMembers[k] == symbol { return true }
                return false
            }
        case .exists(let type, let slot, let expected):
            let s = Int(slot)
            sweep { isPresent(type, s, lead: $0) == expected }
        default:
            return
        }
    }

    @inline(__always)
    private func containsSymbol(_ range: PoolRange, _ symbol: Int32) -> Bool {
        for k in range.indices where symbolPool[k] == symbol { return true }
        return false
    }
}
