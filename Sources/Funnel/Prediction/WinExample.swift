/// A closed lead to learn from (SPEC §14): one line of the examples' JSON Lines,
/// `{"lead": <lead document>, "outcome": "won"|"lost", "stage": S}`.
public struct WinExample: Sendable, Hashable {
    /// How a closed lead ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// As written in `outcome`.
        case won, lost
    }

    /// The lead as it was when it closed (SPEC §6). Its own `stage`, if any,
    /// must be a stage of the model but is not counted: ``stage`` is.
    public var lead: Lead
    /// Won or lost.
    public var outcome: Outcome
    /// For a lost lead, the last path stage it reached (required when the
    /// model has stages); ignored for a won one.
    public var stage: String?

    /// An example: `lead` ended with `outcome`, a lost one having reached `stage`.
    public init(_ lead: Lead, outcome: Outcome, stage: String? = nil) {
        self.lead = lead
        self.outcome = outcome
        self.stage = stage
    }

    /// Reads one example document. Fields other than `lead`, `outcome` and
    /// `stage` are ignored, as in lead documents; whether `stage` fits the
    /// model is checked when the example is learnt.
    ///
    /// - Throws: ``WinExampleError`` with the path of the fault (`lead.id`, `outcome`).
    public init(json text: String) throws(WinExampleError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw WinExampleError(path: "", message: "malformed JSON: \(error)", isParseError: true)
        }
        try self.init(jsonValue: value)
    }

    /// Like ``init(json:)`` from UTF-8 bytes; invalid UTF-8 is an error.
    public init(jsonBytes bytes: UnsafeRawBufferPointer) throws(WinExampleError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw WinExampleError(path: "", message: "malformed JSON: \(error)", isParseError: true)
        }
        try self.init(jsonValue: value)
    }

    package init(jsonValue value: JSONValue) throws(WinExampleError) {
        guard case .object = value else {
            throw WinExampleError(path: "", message: "expected an object, found \(value.kindDescription)")
        }
        guard let leadValue = value["lead"] else {
            throw WinExampleError(path: "lead", message: "required field is missing")
        }
        let lead: Lead
        do {
            lead = try Lead(jsonValue: leadValue)
        } catch {
            throw WinExampleError(path: "lead".joined(error.path), message: error.message)
        }
        guard let outcomeValue = value["outcome"] else {
            throw WinExampleError(path: "outcome", message: "required field is missing")
        }
        guard case .string(let text) = outcomeValue, let outcome = Outcome(rawValue: text) else {
            throw WinExampleError(path: "outcome", message: "expected \"won\" or \"lost\"")
        }
        var stage: String?
        if outcome == .lost, let stageValue = value["stage"] {
            switch stageValue {
            case .null: break
            case .string(let text) where !text.isEmpty: stage = text
            default: throw WinExampleError(path: "stage", message: "expected a stage id")
            }
        }
        self.init(lead, outcome: outcome, stage: stage)
    }
}

/// An example that cannot be learnt or forgotten, with the path of the fault
/// (`lead.attributes.employees`, `outcome`, `stage`) and, when it came from
/// JSON Lines, its line. The C ABI reports it as `FUNNEL_E_INVALID`
/// (`FUNNEL_E_PARSE` for malformed JSON), ``description`` in `funnel_last_error`.
public struct WinExampleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line of JSON Lines input, when the example came from one.
    public var line: Int?
    /// Where in the example: `lead.attributes.employees`; empty for the document.
    public var path: String
    /// What is wrong.
    public var message: String
    /// True for malformed JSON or invalid UTF-8.
    public var isParseError: Bool

    /// An error at `path` saying `message`.
    public init(line: Int? = nil, path: String, message: String, isParseError: Bool = false) {
        self.line = line
        self.path = path
        self.message = message
        self.isParseError = isParseError
    }

    /// `line 3: lead.attributes.employees: expected a finite number, found a string`.
    public var description: String {
        let located = path.isEmpty ? message : "\(path): \(message)"
        return line.map { "line \($0): \(located)" } ?? located
    }
}
