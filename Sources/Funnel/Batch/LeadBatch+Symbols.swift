/// Keeping a batch's local symbols bounded.
///
/// Strings the model does not know get local symbols, numbered after the
/// model's. A host that refills a column again and again with new strings
/// would leave the old ones behind; so when a column is replaced and the local
/// symbols have piled up to twice those in use (plus some slack), the unused
/// ones are dropped and the rest renumbered. Symbols are 32-bit: past
/// `maxSymbols` a column is refused with a limit error instead of overflowing.
extension LeadBatch {
    /// A string column about to be replaced, whose symbols no longer count as used.
    enum ReplacedColumn: Equatable {
        case string(slot: Int)
        case strings(slot: Int)
    }

    /// Makes sure `needed` more symbols can be numbered once `replaced` is
    /// overwritten, dropping unused local symbols when they have piled up or
    /// room is short. Call it after validating and before interning; from here
    /// the caller must overwrite every entry of `replaced`, which may be stale.
    ///
    /// - Throws: ``ColumnError`` (a limit) when even then they do not fit;
    ///   nothing is changed then.
    mutating func reserveSymbols(_ needed: Int, for name: String, replacing replaced: ReplacedColumn)
        throws(ColumnError)
    {
        let base = model.predicates.symbolKeys.count
        let fits = base + localSymbols.count + needed <= maxSymbols
        guard !fits || localSymbols.count >= 2 * liveLocalSymbols + Self.localSymbolSlack else { return }
        let live = usedLocalSymbols(excluding: replaced)
        let liveCount = live.reduce(0) { $1 ? $0 + 1 : $0 }
        guard base + liveCount + needed <= maxSymbols else {
            throw ColumnError("\(name): more distinct strings than one batch holds (\(maxSymbols))", isLimit: true)
        }
        compactLocalSymbols(keeping: live)
        liveLocalSymbols = liveCount
    }

    /// Which local symbols some lead still refers to, `replaced` aside.
    private func usedLocalSymbols(excluding replaced: ReplacedColumn) -> [Bool] {
        let base = model.predicates.symbolKeys.count
        var used = [Bool](repeating: false, count: localSymbols.count)
        func mark(_ symbol: Int32) {
            if Int(symbol) >= base { used[Int(symbol) - base] = true }
        }
        for i in 0..<count {
            for k in 0..<widths.string where replaced != .string(slot: k) {
                mark(strings[i * widths.string + k])
            }
            for k in 0..<widths.strings where replaced != .strings(slot: k) {
                let at = (i * widths.strings + k) * 2
                guard setRanges[at + 1] > 0 else { continue }
                let start = Int(setRanges[at])
                for m in start..<(start + Int(setRanges[at + 1])) { mark(setMembers[m]) }
            }
        }
        for slot in properties where slot.kind == .string { mark(slot.symbol) }
        for symbol in propertySetMembers { mark(symbol) }
        return used
    }

    /// Drops the local symbols not `used` and renumbers the rest, in order,
    /// everywhere they appear; entries of dropped ones become -1.
    private mutating func compactLocalSymbols(keeping used: [Bool]) {
        let base = model.predicates.symbolKeys.count
        var renumbered = [Int32](repeating: -1, count: used.count)
        var next = base
        for l in used.indices where used[l] {
            renumbered[l] = Int32(next)
            next += 1
        }
        func remap(_ symbol: Int32) -> Int32 {
            Int(symbol) < base ? symbol : renumbered[Int(symbol) - base]
        }
        strings.withMutableBuffer { column in
            for i in column.indices { column[i] = remap(column[i]) }
        }
        setMembers.withMutableBuffer { column in
            for i in column.indices { column[i] = remap(column[i]) }
        }
        propertySetMembers.withMutableBuffer { column in
            for i in column.indices { column[i] = remap(column[i]) }
        }
        properties.withMutableBuffer { column in
            for i in column.indices where column[i].kind == .string { column[i].symbol = remap(column[i].symbol) }
        }
        var keys: [String: Int32] = [:]
        keys.reserveCapacity(next - base)
        for (key, symbol) in localSymbols where renumbered[Int(symbol) - base] >= 0 {
            keys[key] = renumbered[Int(symbol) - base]
        }
        localSymbols = keys
        let words = model.predicates.maskWords
        if words > 0 {
            var masks = Column<UInt64>()
            masks.reserveCapacity((next - base) * words)
            for l in used.indices where used[l] {
                masks.append(contentsOf: localMasks.buffer[(l * words)..<((l + 1) * words)])
            }
            localMasks = masks
        }
    }

    /// Whether `needed` more local symbols can be numbered (for `append`, which
    /// replaces nothing and so never compacts).
    func hasRoomForSymbols(_ needed: Int) -> Bool {
        model.predicates.symbolKeys.count + localSymbols.count + needed <= maxSymbols
    }
}
