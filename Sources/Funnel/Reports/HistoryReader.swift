/// Reads history lines (SPEC §12) strictly: every field checked, unknown fields refused.
///
/// A line is a JSON object with a `kind` and the fields of that kind; anything
/// else is a ``HistoryError`` naming the field. Stage ids are checked against the
/// model by ``HistoryLog``, which knows it.
enum HistoryReader {
    /// Reads one parsed line. `line` is only used in errors.
    static func read(_ value: JSONValue, line: Int) throws(HistoryError) -> HistoryLine {
        func fail(_ field: String, _ message: String) -> HistoryError {
            HistoryError(line: line, field: field, message: message)
        }
        guard case .object(let members) = value else {
            throw fail("", "expected an object, found \(value.kindDescription)")
        }
        guard let kindValue = value["kind"] else { throw fail("kind", "required field is missing") }
        guard case .string(let kind) = kindValue else {
            throw fail("kind", "expected a string, found \(kindValue.kindDescription)")
        }
        let fields: [String]
        switch kind {
        case "lead": fields = ["kind", "lead", "at", "channel"]
        case "move": fields = ["kind", "lead", "from", "to", "at", "reason", "by"]
        case "deal": fields = ["kind", "lead", "value", "at"]
        case "cost": fields = ["kind", "channel", "amount", "at"]
        default: throw fail("kind", "unknown kind \"\(kind)\" (expected lead, move, deal or cost)")
        }
        for member in members where !fields.contains(member.key) {
            throw fail(member.key, "unknown field for a \(kind) line")
        }

        func required(_ key: String) throws(HistoryError) -> JSONValue {
            guard let v = value[key] else { throw fail(key, "required field is missing") }
            return v
        }
        func text(_ key: String) throws(HistoryError) -> String {
            let v = try required(key)
            guard case .string(let s) = v, !s.isEmpty else {
                throw fail(key, "expected a non-empty string, found \(v.kindDescription)")
            }
            return s
        }
        /// Absent or null is `nil`; otherwise a non-empty string.
        func optionalText(_ key: String) throws(HistoryError) -> String? {
            switch value[key] {
            case nil, .null?: return nil
            case .string(let s)? where !s.isEmpty: return s
            case let v?: throw fail(key, "expected a non-empty string or null, found \(v.kindDescription)")
            }
        }
        func amount(_ key: String) throws(HistoryError) -> Double {
            let v = try required(key)
            guard case .number(let x) = v else { throw fail(key, "expected a number, found \(v.kindDescription)") }
            guard x.isFinite, x >= 0 else { throw fail(key, "expected a number of at least 0, found \(x)") }
            return x
        }
        func instant() throws(HistoryError) -> Double {
            switch try required("at") {
            case .number(let x) where x.isFinite:
                return x
            case .string(let s):
                guard let seconds = Timestamp.parseRFC3339(s) else {
                    throw fail("at", "expected RFC 3339 date-time with a zone, found \"\(s)\"")
                }
                return seconds
            case let v:
                throw fail("at", "expected RFC 3339 text or seconds since the epoch, found \(v.kindDescription)")
            }
        }

        switch kind {
        case "lead":
            let lead = try text("lead")
            let at = try instant()
            return .lead(lead: lead, at: at, channel: try optionalText("channel"))
        case "move":
            let lead = try text("lead")
            let from = try text("from")
            let to = try text("to")
            let at = try instant()
            let reason = try optionalText("reason")
            return .move(lead: lead, from: from, to: to, at: at, reason: reason, by: try optionalText("by"))
        case "deal":
            let lead = try text("lead")
            let value = try amount("value")
            return .deal(lead: lead, value: value, at: try instant())
        default:
            let channel = try optionalText("channel")
            let amount = try amount("amount")
            return .cost(channel: channel, amount: amount, at: try instant())
        }
    }

    /// Parses and reads one line of UTF-8; malformed JSON is an error for the whole line.
    static func read(_ bytes: UnsafeRawBufferPointer, line: Int) throws(HistoryError) -> HistoryLine {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw HistoryError(line: line, field: "", message: "malformed JSON: \(error)", isMalformed: true)
        }
        return try read(value, line: line)
    }

    /// True for a line holding only spaces and tabs (such lines are skipped).
    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
