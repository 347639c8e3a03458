/// What it takes to test an event property: the model's constant pools, the
/// batch's set members and `contains` masks. Shared by the scorer and by
/// ingestion, which decides `if`s that read nothing but the event itself.
struct PropertyContext {
    let scalarPool: UnsafeBufferPointer<ScalarConstant>
    let symbolPool: UnsafeBufferPointer<Int32>
    let setMembers: UnsafeBufferPointer<Int32>
    let masks: ContainsMasks

    /// Whether `value` passes `test` (SPEC §3 on an event property: an
    /// operator that does not fit the value's JSON type is false).
    func holds(_ value: PropertySlot, _ test: PropertyTest) -> Bool {
        if value.kind == .missing {
            if case .exists(let expected) = test { return !expected }
            return false
        }
        switch test {
        case .exists(let expected):
            return expected
        case .number(let numberTest):
            return value.kind == .number && numberTest.holds(value.number)
        case .equals(let constant, let negate):
            guard let same = value.matches(constant) else { return false }
            return same != negate
        case .isIn(let range, let negate):
            var fits = false
            var found = false
            for k in range.indices {
                guard let same = value.matches(scalarPool[k]) else { continue }
                fits = true
                if same {
                    found = true
                    break
                }
            }
            // Like `ne`, `not_in` is false when no constant has the value's type.
            if negate { return fits && !found }
            return found
        case .contains(let operand, let symbol):
            switch value.kind {
            case .string: return masks.has(value.symbol, operand: operand)
            case .strings: return members(of: value).contains(symbol)
            default: return false
            }
        case .anyOf(let wanted):
            guard value.kind == .strings else { return false }
            let pool = symbolPool[wanted.indices]
            return members(of: value).contains { pool.contains($0) }
        }
    }

    private func members(of value: PropertySlot) -> Slice<UnsafeBufferPointer<Int32>> {
        setMembers[Int(value.symbol)..<(Int(value.symbol) + Int(value.setCount))]
    }
}
