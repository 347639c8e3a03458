/// Why a document was rejected, and where, so a user can find the byte in an editor.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, e.g. "unexpected end of input" or "duplicate key \"name\"".
    package var message: String
    /// Byte offset of the problem (0-based); the input's length when it ended too early.
    package var offset: Int
    /// 1-based; only `\n` starts a line, so CRLF files count the way editors show them.
    package var line: Int
    /// 1-based, in bytes rather than characters: cheap to compute and unambiguous.
    package var column: Int

    package init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// "line 1, column 5: unexpected end of input".
    package var description: String {
        "line \(line), column \(column): \(message)"
    }
}

/// A strict RFC 8259 parser over bytes.
///
/// It works on UTF-8 bytes instead of `Character`s because it runs over millions of
/// lines, and it keeps open containers on an explicit stack so that hostile nesting
/// hits `maxDepth` instead of the end of the thread's stack.
package struct JSONParser {
    /// Deep enough for any real document, shallow enough that the recursive
    /// `Equatable` and deinitialisation of the resulting tree stay safe.
    package static let defaultMaxDepth = Limits.maxNesting

    /// Parses exactly one JSON value (surrounding white space allowed).
    package static func parse(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        // UInt8 is layout compatible with whatever byte type the caller bound the
        // memory to (UInt8, CChar), so viewing it as UInt8 is well defined.
        var reader = JSONReader(bytes.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
        return try reader.parseDocument()
    }

    /// Parses exactly one JSON value (surrounding white space allowed).
    package static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(buffer, maxDepth: maxDepth)
            }
        }
        return try result.get()
    }

    /// Parses exactly one JSON value (surrounding white space allowed).
    package static func parse(
        _ text: String, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
            }
        }
        return try result.get()
    }
}

// MARK: - Reader

/// The cursor and scratch space of one parse; kept out of `JSONParser` so the
/// public surface stays a set of static functions.
private struct JSONReader {
    private let p: UnsafeBufferPointer<UInt8>
    private let n: Int
    private let maxDepth: Int
    private var i = 0
    /// Reused for strings with escapes, so only the final `String` allocates.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.p = bytes
        self.n = bytes.count
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if i < n { throw unexpected(at: i, "trailing characters after the JSON value") }
        return value
    }

    // MARK: Structure

    /// An array or object still waiting for its closing bracket.
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONMember] = []
        /// The key whose value is being parsed.
        var pendingKey = ""
        /// Built once an object outgrows a linear duplicate scan.
        var keySet: Set<ExactKey>? = nil
    }

    /// Parses one value, which may be a whole tree; `i` must be at its first byte.
    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        var frames: [Frame] = []
        while true {
            // A value starts here.
            var value: JSONValue
            guard i < n else { throw endOfInput() }
            switch p[i] {
            case UInt8(ascii: "["):
                if frames.count >= maxDepth { throw tooDeep(at: i) }
                i += 1
                skipWhitespace()
                if i < n && p[i] == UInt8(ascii: "]") {
                    i += 1
                    value = .array([])
                } else {
                    frames.append(Frame(isObject: false))
                    continue
                }
            case UInt8(ascii: "{"):
                if frames.count >= maxDepth { throw tooDeep(at: i) }
                i += 1
                skipWhitespace()
                if i < n && p[i] == UInt8(ascii: "}") {
                    i += 1
                    value = .object([])
                } else {
                    let key = try parseKey(orElse: "expected a string key or '}'")
                    frames.append(Frame(isObject: true, pendingKey: key))
                    continue
                }
            case UInt8(ascii: "\""):
                i += 1
                value = .string(try parseStringBody())
            case UInt8(ascii: "t"):
                try parseLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try parseLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                throw unexpected(at: i, "expected a value")
            }

            // The value is complete: attach it, closing every container that ends here.
            attach: while true {
                let top = frames.count - 1
                guard top >= 0 else { return value }
                skipWhitespace()
                guard i < n else { throw endOfInput() }
                let c = p[i]
                if frames[top].isObject {
                    let key = frames[top].pendingKey
                    frames[top].members.append(JSONMember(key, value))
                    if c == UInt8(ascii: ",") {
                        i += 1
                        skipWhitespace()
                        let keyStart = i
                        let nextKey = try parseKey(orElse: "expected a string key")
                        if Self.isDuplicate(nextKey, in: &frames[top]) {
                            throw failure("duplicate key \(Self.quoted(nextKey))", at: keyStart)
                        }
                        frames[top].pendingKey = nextKey
                        break attach
                    }
                    if c == UInt8(ascii: "}") {
                        i += 1
                        value = .object(frames.removeLast().members)
                        continue attach
                    }
                    throw unexpected(at: i, "expected ',' or '}'")
                } else {
                    frames[top].elements.append(value)
                    if c == UInt8(ascii: ",") {
                        i += 1
                        skipWhitespace()
                        break attach
                    }
                    if c == UInt8(ascii: "]") {
                        i += 1
                        value = .array(frames.removeLast().elements)
                        continue attach
                    }
                    throw unexpected(at: i, "expected ',' or ']'")
                }
            }
        }
    }

    /// Parses `"key"` and the `:` after it, leaving `i` at the member's value.
    private mutating func parseKey(orElse expectation: String) throws(JSONParseError) -> String {
        guard i < n else { throw endOfInput() }
        guard p[i] == UInt8(ascii: "\"") else { throw unexpected(at: i, expectation) }
        i += 1
        let key = try parseStringBody()
        skipWhitespace()
        guard i < n else { throw endOfInput() }
        guard p[i] == UInt8(ascii: ":") else { throw unexpected(at: i, "expected ':'") }
        i += 1
        skipWhitespace()
        return key
    }

    /// Most objects are small, where a linear scan beats hashing; big ones switch
    /// to a set so hostile documents with many keys stay linear overall.
    private static func isDuplicate(_ key: String, in frame: inout Frame) -> Bool {
        if frame.keySet == nil {
            if frame.members.count < 16 {
                for member in frame.members where ExactKey.same(member.key, key) {
                    return true
                }
                return false
            }
            var set = Set<ExactKey>(minimumCapacity: frame.members.count * 2)
            for member in frame.members { set.insert(ExactKey(member.key)) }
            frame.keySet = set
        }
        var set = frame.keySet ?? []
        frame.keySet = nil  // keeps the set uniquely referenced while it grows
        let inserted = set.insert(ExactKey(key)).inserted
        frame.keySet = set
        return !inserted
    }

    private static func quoted(_ key: String) -> String {
        var writer = JSONWriter(reservingCapacity: key.utf8.count + 2)
        writer.writeString(key)
        return writer.string
    }

    // MARK: Scalars

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = i
        let mismatch: Int? = word.withUTF8Buffer { expected in
            for k in 0..<expected.count {
                let j = start + k
                if j >= n || p[j] != expected[k] { return j }
            }
            return nil
        }
        if let j = mismatch {
            if j >= n { throw endOfInput() }
            throw unexpected(at: j, "invalid literal")
        }
        i = start + word.utf8CodeUnitCount
    }

    /// Parses string contents after the opening quote, through the closing quote.
    private mutating func parseStringBody() throws(JSONParseError) -> String {
        let start = i
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if c < 0x20 { throw failure("control character in string", at: i) }
            if c < 0x80 {
                i += 1
            } else {
                i += try utf8SequenceLength(at: i)
            }
        }
        throw endOfInput()
    }

    /// The slow path of `parseStringBody`, taken at the first backslash.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                try parseEscape()
                runStart = i
                continue
            }
            if c < 0x20 { throw failure("control character in string", at: i) }
            if c < 0x80 {
                i += 1
            } else {
                i += try utf8SequenceLength(at: i)
            }
        }
        throw endOfInput()
    }

    /// Decodes one escape at `i` (the backslash) into `scratch`.
    private mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = i
        i += 1
        guard i < n else { throw endOfInput() }
        let c = p[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw failure("invalid \\u escape", at: escapeStart)
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard i + 1 < n else {
                    if i < n && p[i] != UInt8(ascii: "\\") {
                        throw failure("invalid \\u escape", at: escapeStart)
                    }
                    throw endOfInput()
                }
                guard p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                    throw failure("invalid \\u escape", at: escapeStart)
                }
                i += 2
                let low = try parseHex4(escapeStart: escapeStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw failure("invalid \\u escape", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar, to: &scratch)
        default:
            throw unexpected(at: i - 1, "invalid escape sequence")
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < n else { throw endOfInput() }
            let c = p[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
            default: throw failure("invalid \\u escape", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence at `offset` (Unicode Table 3-7),
    /// rejecting overlongs, encoded surrogates, values above U+10FFFF and truncation.
    private func utf8SequenceLength(at offset: Int) throws(JSONParseError) -> Int {
        if let length = validUTF8Length(at: offset) { return length }
        throw failure("invalid UTF-8", at: offset)
    }

    private func validUTF8Length(at offset: Int) -> Int? {
        guard offset < n else { return nil }
        let b0 = p[offset]
        @inline(__always) func byte(_ k: Int, in range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            offset + k < n && range.contains(p[offset + k])
        }
        switch b0 {
        case 0x00...0x7F:
            return 1
        case 0xC2...0xDF:
            return byte(1) ? 2 : nil
        case 0xE0:
            return byte(1, in: 0xA0...0xBF) && byte(2) ? 3 : nil
        case 0xED:
            return byte(1, in: 0x80...0x9F) && byte(2) ? 3 : nil
        case 0xE1...0xEF:
            return byte(1) && byte(2) ? 3 : nil
        case 0xF0:
            return byte(1, in: 0x90...0xBF) && byte(2) && byte(3) ? 4 : nil
        case 0xF1...0xF3:
            return byte(1) && byte(2) && byte(3) ? 4 : nil
        case 0xF4:
            return byte(1, in: 0x80...0x8F) && byte(2) && byte(3) ? 4 : nil
        default:
            return nil
        }
    }

    /// Parses a number with the strict JSON grammar.
    ///
    /// Short mantissas with small exponents are converted exactly in one IEEE
    /// operation (Clinger's fast path); everything else goes to the standard
    /// library's correctly rounded `Double(_:)` on the validated ASCII.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = i
        let negative = p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < n else { throw endOfInput() }

        var mantissa: UInt64 = 0
        var mantissaIsExact = true
        var fractionDigits = 0
        @inline(__always) func accumulate(_ c: UInt8) {
            if mantissa < 100_000_000_000_000_000 {
                mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
            } else {
                mantissaIsExact = false
            }
        }

        let first = p[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < n && Self.isDigit(p[i]) {
                throw failure("leading zeros are not allowed", at: i)
            }
        } else if Self.isDigit(first) {
            while i < n && Self.isDigit(p[i]) {
                accumulate(p[i])
                i += 1
            }
        } else {
            throw unexpected(at: i, "expected a digit")
        }

        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n else { throw endOfInput() }
            guard Self.isDigit(p[i]) else { throw unexpected(at: i, "expected a digit after '.'") }
            while i < n && Self.isDigit(p[i]) {
                accumulate(p[i])
                fractionDigits += 1
                i += 1
            }
        }

        var exponent = 0
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            guard i < n else { throw endOfInput() }
            let exponentIsNegative = p[i] == UInt8(ascii: "-")
            if exponentIsNegative || p[i] == UInt8(ascii: "+") {
                i += 1
                guard i < n else { throw endOfInput() }
            }
            guard Self.isDigit(p[i]) else {
                throw unexpected(at: i, "expected a digit in the exponent")
            }
            while i < n && Self.isDigit(p[i]) {
                // Only the fast-path decision reads this; the slow path re-reads the text.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(p[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            if exponentIsNegative { exponent = -exponent }
        }

        if let value = JSONNumber.exactValue(
            mantissa: mantissa, isExact: mantissaIsExact, negative: negative, power: exponent - fractionDigits)
        {
            return value
        }
        guard let value = JSONNumber.roundedValue(UnsafeBufferPointer(rebasing: p[start..<i])) else {
            throw failure("invalid number", at: start)
        }
        if value.isInfinite { throw failure("number out of range", at: start) }
        return value
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool {
        c &- UInt8(ascii: "0") < 10
    }

    // MARK: Errors

    private func endOfInput() -> JSONParseError {
        failure("unexpected end of input", at: n)
    }

    private func tooDeep(at offset: Int) -> JSONParseError {
        failure("nesting deeper than \(maxDepth) levels", at: offset)
    }

    /// Reports `expectation` at a byte that does not fit the grammar, unless that
    /// byte starts ill-formed UTF-8, which is the more useful thing to say.
    private func unexpected(at offset: Int, _ expectation: String) -> JSONParseError {
        if offset < n && p[offset] >= 0x80 && validUTF8Length(at: offset) == nil {
            return failure("invalid UTF-8", at: offset)
        }
        return failure(expectation, at: offset)
    }

    /// Line and column are computed only here, so the happy path never counts lines.
    private func failure(_ message: String, at offset: Int) -> JSONParseError {
        let end = min(max(offset, 0), n)
        var line = 1
        var lineStart = 0
        var k = 0
        while k < end {
            if p[k] == 0x0A {
                line += 1
                lineStart = k + 1
            }
            k += 1
        }
        return JSONParseError(message: message, offset: end, line: line, column: end - lineStart + 1)
    }
}

/// A key compared and hashed by its exact UTF-8 bytes, because `String`'s own
/// `Hashable` treats canonically equivalent spellings as one key.
private struct ExactKey: Hashable {
    let string: String

    init(_ string: String) { self.string = string }

    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    static func == (a: ExactKey, b: ExactKey) -> Bool { same(a.string, b.string) }

    func hash(into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { buffer in
            hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
