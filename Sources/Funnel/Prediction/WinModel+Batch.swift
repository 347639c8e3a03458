/// Learning from leads already ingested in a ``LeadBatch``: their strings are
/// symbols, so each example costs a table load and an add per value.
extension WinModel {
    /// Learns lead `i` of `batch` as a closed lead that ended with
    /// `outcomes[i]`, a lost one having reached `stages[i]` (the last path
    /// stage; ignored for won leads, required for lost ones when the model has
    /// stages). The same counts as learning each ``WinExample`` in turn; all
    /// or nothing.
    ///
    /// - Throws: ``WinExampleError`` at `[i].stage` for the first lost lead
    ///   whose stage is missing or off the path, or at the root when `batch`
    ///   holds leads of another model or `outcomes` and `stages` do not have
    ///   one entry per lead; nothing is then learnt.
    /// - Complexity: O(values) per lead, after O(distinct strings) look-ups.
    public mutating func learn(_ batch: LeadBatch, outcomes: [WinExample.Outcome], stages: [String?])
        throws(WinExampleError)
    {
        guard model.compiles(like: batch.model) else {
            throw WinExampleError(path: "", message: WinBatchMismatch().description)
        }
        guard outcomes.count == batch.count && stages.count == batch.count else {
            throw WinExampleError(
                path: "", message: "expected one outcome and stage per lead (\(batch.count)), found \(outcomes.count) and \(stages.count)")
        }
        // How many path stages each example counts for, checked first.
        var through = [Int32](repeating: Int32(fields.path.count), count: batch.count)
        if fields.hasStages {
            for i in 0..<batch.count where outcomes[i] == .lost {
                let example = WinExample(Lead(id: batch.ids[i]), outcome: .lost, stage: stages[i])
                do throws(WinExampleError) {
                    through[i] = Int32(try lostThrough(example))
                } catch {
                    throw WinExampleError(path: "[\(i)]".joined(error.path), message: error.message)
                }
            }
        }
        let model = batch.model
        let symbolCount = model.predicates.symbolKeys.count + batch.localSymbols.count
        var symbolText = [String](repeating: "", count: symbolCount)
        for (i, key) in model.predicates.symbolKeys.enumerated() { symbolText[i] = String(decoding: key, as: UTF8.self) }
        for (key, id) in batch.localSymbols { symbolText[Int(id)] = key }
        let widths = batch.widths
        for (f, field) in fields.fields.enumerated() {
            var table = ValueTable(counts[f])
            switch field.kind {
            case .string:
                // Symbols are comparison keys already; -2: not looked up yet.
                var ids = [Int32](repeating: -2, count: symbolCount)
                for i in 0..<batch.count {
                    let symbol = Int(batch.strings[i * widths.string + field.slot])
                    guard symbol >= 0 else { continue }
                    if ids[symbol] == -2 { ids[symbol] = table.intern(symbolText[symbol]) }
                    table.add(outcomes[i], Int(ids[symbol]))
                }
            case .strings:
                var ids = [Int32](repeating: -2, count: symbolCount)
                for i in 0..<batch.count {
                    let at = i * widths.strings * 2 + field.slot * 2
                    let (start, count) = (Int(batch.setRanges[at]), Int(batch.setRanges[at + 1]))
                    for k in 0..<max(0, count) {
                        let symbol = batch.setMembers[start + k]
                        var repeated = false
                        for j in 0..<k where batch.setMembers[start + j] == symbol { repeated = true }
                        if repeated { continue }
                        if ids[Int(symbol)] == -2 { ids[Int(symbol)] = table.intern(symbolText[Int(symbol)]) }
                        table.add(outcomes[i], Int(ids[Int(symbol)]))
                    }
                }
            case .bool:
                for i in 0..<batch.count {
                    let b = batch.bools[i * widths.bool + field.slot]
                    if b < 2 { table.add(outcomes[i], Int(b)) }
                }
            case .number(let edges):
                edges.withUnsafeBufferPointer { edges in
                    for i in 0..<batch.count {
                        let x = batch.numbers[i * widths.number + field.slot]
                        if !x.isNaN { table.add(outcomes[i], WinFields.bin(x, edges)) }
                    }
                }
            case .stage:
                for i in 0..<batch.count {
                    for k in 0..<Int(through[i]) { table.add(outcomes[i], k) }
                }
            }
            counts[f] = table.counts
        }
        for outcome in outcomes {
            if outcome == .won { won += 1 } else { lost += 1 }
        }
    }
}

/// A field's counts taken out of the win model while a batch is learnt, so
/// that adding is an array write, not a copy.
private struct ValueTable {
    var counts: ValueCounts
    init(_ counts: ValueCounts) { self.counts = counts }
    mutating func intern(_ key: String) -> Int32 { counts.intern(key) }
    @inline(__always)
    mutating func add(_ outcome: WinExample.Outcome, _ id: Int) {
        if outcome == .won { counts.won[id] += 1 } else { counts.lost[id] += 1 }
    }
}
