/// A known account the host already has (SPEC §11): a company with a name and
/// its email domains, or a group such as a region or a store.
public struct Account: Sendable, Hashable {
    /// The host's id; unique in an ``AccountIndex``.
    public var id: String
    /// The company's name; for a group account, an optional display name.
    public var name: String?
    /// The company's email domains as the host wrote them (`acme.es`); none for a group.
    public var domains: [String]
    /// The group (`Madrid`) for a group account; `nil` for a company.
    public var group: String?

    /// A company account `{"id", "name", "domains"}`.
    public init(id: String, name: String, domains: [String] = []) {
        self.id = id
        self.name = name
        self.domains = domains
        self.group = nil
    }

    /// A group account `{"id", "group"[, "name"]}`.
    public init(id: String, group: String, name: String? = nil) {
        self.id = id
        self.name = name
        self.domains = []
        self.group = group
    }

    /// True for a group account.
    public var isGroup: Bool { group != nil }

    /// The name conversion results show: the name, else the group.
    public var displayName: String? { name ?? group }
}

/// A known account that cannot go into an index: a duplicate id, a bad field.
public struct AccountError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line of the JSON Lines input; `nil` for Swift values (then ``index`` says which).
    public var line: Int?
    /// The 0-based position among the accounts given in Swift; `nil` for JSON Lines.
    public var index: Int?
    /// `domains[0]`, `id`; empty for the document itself.
    public var path: String
    /// What is wrong.
    public var message: String
    /// True when the line is malformed JSON or invalid UTF-8 (`FUNNEL_E_PARSE`).
    public var isParseError: Bool

    /// An error about the account at `line` (JSON Lines) or `index` (Swift values).
    public init(line: Int? = nil, index: Int? = nil, path: String, message: String, isParseError: Bool = false) {
        self.line = line
        self.index = index
        self.path = path
        self.message = message
        self.isParseError = isParseError
    }

    /// `line 3: id: duplicate account id "A-7" (first on line 1)`.
    public var description: String {
        let place = line.map { "line \($0)" } ?? index.map { "account \($0)" } ?? "account"
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}
