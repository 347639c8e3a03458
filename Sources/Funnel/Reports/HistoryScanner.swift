/// The fast path of the history reader: one pass over a line's bytes for the
/// common shape of a history line, with no JSON tree and no allocation beyond
/// the strings the log keeps.
///
/// It accepts only lines that are certainly valid: a flat object whose members
/// are known fields of its `kind`, each once, with ASCII strings without
/// escapes, JSON numbers or `null`. Anything else (escapes, non-ASCII text,
/// `true`, nesting, a duplicate or unknown key, a missing field, a bad time,
/// malformed JSON) returns `nil`, and the strict reader (``HistoryReader``)
/// decides — so both paths accept exactly the same lines with the same meaning,
/// and every error comes from one place. Tested against each other in
/// `HistoryScannerTests`.
struct HistoryScanner {
    enum Kind: UInt8 { case lead, move, deal, cost }

    /// A string value: where its bytes are in the line.
    struct Text {
        var start: Int
        var count: Int
    }

    /// One scanned line; texts are `nil` for null or absent.
    struct Line {
        var kind: Kind
        var lead: Text?
        var from: Text?
        var to: Text?
        var reason: Text?
        var channel: Text?
        var at: Double
        /// `value` of a deal, `amount` of a cost.
        var number: Double
    }

    // Field bits.
    private static let kindBit: UInt16 = 1 << 0
    private static let leadBit: UInt16 = 1 << 1
    private static let atBit: UInt16 = 1 << 2
    private static let channelBit: UInt16 = 1 << 3
    private static let fromBit: UInt16 = 1 << 4
    private static let toBit: UInt16 = 1 << 5
    private static let reasonBit: UInt16 = 1 << 6
    private static let byBit: UInt16 = 1 << 7
    private static let valueBit: UInt16 = 1 << 8
    private static let amountBit: UInt16 = 1 << 9

    /// A parsed member value.
    private enum Value {
        case null
        case text(Text)
        case number(Double)
    }

    /// Scans `bytes`; `nil` means "let the strict reader decide".
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Line? {
        var cursor = Cursor(p: bytes.bindMemory(to: UInt8.self))
        return cursor.line()
    }

    /// The bytes and the read position. A struct with mutating methods rather than
    /// closures over a local, so that exclusivity is checked statically, not per access.
    private struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        var n: Int { p.count }

        init(p: UnsafeBufferPointer<UInt8>) { self.p = p }

        @inline(__always) mutating func skipSpace() {
            while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
        }

        /// A string without escapes, control characters or non-ASCII bytes; `i` at its opening quote.
        mutating func text() -> Text? {
            guard i < n, p[i] == 0x22 else { return nil }
            i += 1
            let start = i
            // Eight bytes a step up to the first byte that is not plain text; the
            // loop below decides about that byte (and reads the last few bytes).
            if let base = p.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= n {
                    let flags = HistoryScanner.specialBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    if flags != 0 {
                        i += flags.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
            }
            while i < n {
                let c = p[i]
                if c == 0x22 {
                    i += 1
                    return Text(start: start, count: i - 1 - start)
                }
                if c < 0x20 || c >= 0x80 || c == 0x5C { return nil }
                i += 1
            }
            return nil
        }

        mutating func value() -> Value? {
            guard i < n else { return nil }
            switch p[i] {
            case 0x22:
                return text().map(Value.text)
            case UInt8(ascii: "n"):
                guard i + 4 <= n, p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"),
                    p[i + 3] == UInt8(ascii: "l")
                else { return nil }
                i += 4
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number().map(Value.number)
            default:
                return nil
            }
        }

        @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && p[k] &- UInt8(ascii: "0") < 10 }

        /// A JSON number, converted as the JSON parser does: exactly when the
        /// digits fit 2^53 and the power of ten is small, else by correctly
        /// rounded conversion of the text (so both give the same Double).
        mutating func number() -> Double? {
            let start = i
            let negative = p[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            var mantissa: UInt64 = 0
            var exact = true
            var fractionDigits = 0
            @inline(__always) func accumulate(_ c: UInt8) {
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                } else {
                    exact = false
                }
            }
            guard isDigit(i) else { return nil }
            if p[i] == UInt8(ascii: "0") {
                i += 1
                if isDigit(i) { return nil }
            } else {
                while isDigit(i) {
                    accumulate(p[i])
                    i += 1
                }
            }
            if i < n && p[i] == UInt8(ascii: ".") {
                i += 1
                guard isDigit(i) else { return nil }
                while isDigit(i) {
                    accumulate(p[i])
                    fractionDigits += 1
                    i += 1
                }
            }
            var hasExponent = false
            if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
                hasExponent = true
                i += 1
                if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
                guard isDigit(i) else { return nil }
                while isDigit(i) { i += 1 }
            }
            if exact && !hasExponent {
                if mantissa == 0 { return negative ? -0.0 : 0.0 }
                if mantissa <= 1 << 53 && fractionDigits <= 22 {
                    var x = Double(mantissa)
                    if fractionDigits > 0 { x /= HistoryScanner.exactPowersOfTen[fractionDigits] }
                    return negative ? -x : x
                }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            guard let x = Double(text), x.isFinite else { return nil }
            return x
        }

        /// The bytes of `t` as a little-endian word, zero-padded; 0 when longer
        /// than 8 bytes. Texts hold no zero byte, so equal words are equal texts.
        @inline(__always) func word(_ t: Text) -> UInt64 {
            guard t.count <= 8 else { return 0 }
            if t.start + 8 <= n, let base = p.baseAddress {
                let w = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: t.start, as: UInt64.self)
                return t.count == 8 ? w : w & ((1 << UInt64(8 * t.count)) - 1)
            }
            var w: UInt64 = 0
            for k in 0..<t.count { w |= UInt64(p[t.start + k]) << UInt64(8 * k) }
            return w
        }

        mutating func line() -> Line? {
            skipSpace()
            guard i < n, p[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            var seen: UInt16 = 0
            var kind: Kind?
            var line = Line(kind: .lead, lead: nil, from: nil, to: nil, reason: nil, channel: nil, at: 0, number: 0)
            var atValue: Value = .null
            var numberValue: Value = .null
            var byValue: Value = .null
            skipSpace()
            if i < n, p[i] == UInt8(ascii: "}") { return nil }  // `{}`: the strict reader names what is missing
            while true {
                skipSpace()
                guard let key = text() else { return nil }
                skipSpace()
                guard i < n, p[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard let v = value() else { return nil }
                let bit: UInt16
                switch word(key) {
                case Word.at: bit = atBit; atValue = v
                case Word.to: bit = toBit; guard case .text(let t) = v else { return nil }; line.to = t
                case Word.by: bit = byBit; byValue = v
                case Word.kind:
                    bit = kindBit
                    guard case .text(let t) = v else { return nil }
                    switch word(t) {
                    case Word.lead: kind = .lead
                    case Word.move: kind = .move
                    case Word.deal: kind = .deal
                    case Word.cost: kind = .cost
                    default: return nil
                    }
                case Word.lead: bit = leadBit; guard case .text(let t) = v else { return nil }; line.lead = t
                case Word.from: bit = fromBit; guard case .text(let t) = v else { return nil }; line.from = t
                case Word.value: bit = valueBit; numberValue = v
                case Word.amount: bit = amountBit; numberValue = v
                case Word.reason:
                    bit = reasonBit
                    switch v {
                    case .null: line.reason = nil
                    case .text(let t): line.reason = t
                    case .number: return nil
                    }
                case Word.channel:
                    bit = channelBit
                    switch v {
                    case .null: line.channel = nil
                    case .text(let t): line.channel = t
                    case .number: return nil
                    }
                default: return nil
                }
                if seen & bit != 0 { return nil }  // a duplicate key
                seen |= bit
                skipSpace()
                guard i < n else { return nil }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard p[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                break
            }
            skipSpace()
            guard i == n, let kind else { return nil }
            line.kind = kind

            // Exactly the fields of the kind, the required ones present, every value of its type.
            let required: UInt16
            let allowed: UInt16
            switch kind {
            case .lead:
                required = kindBit | leadBit | atBit
                allowed = required | channelBit
            case .move:
                required = kindBit | leadBit | fromBit | toBit | atBit
                allowed = required | reasonBit | byBit
            case .deal:
                required = kindBit | leadBit | valueBit | atBit
                allowed = required
            case .cost:
                required = kindBit | amountBit | atBit
                allowed = required | channelBit
            }
            guard seen & required == required, seen & ~allowed == 0 else { return nil }
            // Empty ids, stages, reasons and channels are errors the strict reader names.
            if line.lead?.count == 0 || line.from?.count == 0 || line.to?.count == 0 || line.reason?.count == 0
                || line.channel?.count == 0
            {
                return nil
            }
            switch byValue {
            case .null: break
            case .text(let t) where t.count > 0: break
            default: return nil
            }
            if kind == .deal || kind == .cost {
                guard case .number(let x) = numberValue, x >= 0 else { return nil }
                line.number = x
            }
            switch atValue {
            case .number(let x): line.at = x
            case .text(let t):
                guard let x = Timestamp.parseRFC3339(UnsafeBufferPointer(rebasing: p[t.start..<(t.start + t.count)]))
                else { return nil }
                line.at = x
            case .null: return nil
            }
            return line
        }
    }

    /// The field names and kinds as little-endian words of their bytes
    /// (`HistoryScannerTests` checks each against its text).
    enum Word {
        static let at: UInt64 = 0x7461
        static let to: UInt64 = 0x6F74
        static let by: UInt64 = 0x7962
        static let kind: UInt64 = 0x646E_696B
        static let lead: UInt64 = 0x6461_656C
        static let from: UInt64 = 0x6D6F_7266
        static let value: UInt64 = 0x65_756C_6176
        static let amount: UInt64 = 0x746E_756F_6D61
        static let reason: UInt64 = 0x6E6F_7361_6572
        static let channel: UInt64 = 0x6C_656E_6E61_6863
        static let move: UInt64 = 0x6576_6F6D
        static let deal: UInt64 = 0x6C61_6564
        static let cost: UInt64 = 0x7473_6F63
    }

    /// A high bit in each byte of `w` that ends plain string text: `"`, `\`, a
    /// control character or a non-ASCII byte. The lowest one is exact (the
    /// borrows of the subtractions only mark bytes above a real one).
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (w &- ones &* 0x20) & ~w
        return (isQuote | isBackslash | isControl | w) & (ones &* 0x80)
    }

    /// Every power of ten a Double holds exactly (1e22 is the largest).
    fileprivate static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]
}
