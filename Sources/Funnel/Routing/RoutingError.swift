/// Why a routing document or a roster (router state) did not load: every
/// fault found, each at its JSON path, in document order.
public struct RoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var faults: [ModelFault]
    public init(faults: [ModelFault]) { self.faults = faults }
    /// The first fault, and how many more there are.
    public var description: String {
        guard let first = faults.first else { return "invalid routing document" }
        return faults.count == 1 ? first.description : "\(first) (and \(faults.count - 1) more)"
    }

    /// Runs a JSON parse; a malformed document is one fault at the root.
    static func parsing(_ parse: () throws(JSONParseError) -> JSONValue) throws(RoutingError) -> JSONValue {
        do {
            return try parse()
        } catch {
            throw RoutingError(faults: [ModelFault(path: "", message: "malformed JSON: \(error)")])
        }
    }
}

/// Why routing a lead, or changing a router, was refused. The router is left
/// exactly as it was.
public struct RouteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal; new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The lead document does not fit the model (``RouteError/leadError`` says where).
        public static let invalidLead = Code(rawValue: "invalid lead")
        /// The instant is earlier than the router's last routing instant, or not finite.
        public static let badInstant = Code(rawValue: "bad instant")
        /// The person is not a member of any team of the routing document.
        public static let unknownPerson = Code(rawValue: "unknown person")
    }

    public var code: Code
    public var message: String
    /// For ``Code/invalidLead``: the lead's fault, with its path.
    public var leadError: LeadError?
    /// For a refusal inside a list of leads: the 0-based position of the lead.
    public var index: Int?

    public init(code: Code, message: String, leadError: LeadError? = nil, index: Int? = nil) {
        self.code = code
        self.message = message
        self.leadError = leadError
        self.index = index
    }

    public var description: String { message }

    static func invalidLead(_ error: LeadError, index: Int? = nil) -> RouteError {
        RouteError(code: .invalidLead, message: error.description, leadError: error, index: index)
    }
}
