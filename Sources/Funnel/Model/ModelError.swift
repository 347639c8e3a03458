/// One fault in a model, located by its JSON path.
public struct ModelFault: Sendable, Hashable, CustomStringConvertible {
    /// Where: `scoring.behavior[2].points`; empty for the document itself.
    public var path: String
    /// What: `expected a number`.
    public var message: String
    /// A fault at `path` (empty for the whole document) saying `message`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `scoring.behavior[2].points: expected a number`: one line of
    /// `funnel_last_error` after `funnel_model_load` fails.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Why a model did not load: every fault found, in document order.
///
/// Loading does not stop at the first fault so that `funnel validate` can list
/// them all in one run. The C ABI's `funnel_model_load` reports it as
/// `FUNNEL_E_INVALID` (`FUNNEL_E_PARSE` for malformed JSON).
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every fault found, in document order.
    public var faults: [ModelFault]
    /// An error listing `faults`.
    public init(faults: [ModelFault]) { self.faults = faults }
    /// The first fault, and how many more there are.
    public var description: String {
        guard let first = faults.first else { return "invalid model" }
        return faults.count == 1 ? first.description : "\(first) (and \(faults.count - 1) more)"
    }
}

extension [ModelFault] {
    /// The faults sorted by where their paths stand in `document` (a path the
    /// document lacks, such as a missing field, stands where its parent does).
    func inDocumentOrder(of document: JSONValue) -> [ModelFault] {
        var order: [String: Int] = [:]
        func visit(_ value: JSONValue, _ path: String) {
            order[path] = order.count
            switch value {
            case .object(let members): for member in members { visit(member.value, path.joined(member.key)) }
            case .array(let items): for (i, item) in items.enumerated() { visit(item, path.indexed(i)) }
            default: break
            }
        }
        visit(document, "")
        func rank(_ path: String) -> Int {
            var path = Substring(path)
            while true {
                if let rank = order[String(path)] { return rank }
                guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return 0 }
                path = path[..<cut]
            }
        }
        return enumerated()
            .map { (rank: rank($0.element.path), index: $0.offset, fault: $0.element) }
            .sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }
            .map(\.fault)
    }
}

extension ModelError {
    /// Runs a JSON parse; a malformed document is one fault at the root.
    static func parsing(_ parse: () throws(JSONParseError) -> JSONValue) throws(ModelError) -> JSONValue {
        do {
            return try parse()
        } catch {
            throw ModelError(faults: [ModelFault(path: "", message: "malformed JSON: \(error)")])
        }
    }
}
