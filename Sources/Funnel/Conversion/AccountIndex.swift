/// The host's known accounts, indexed once for SPEC §11 matching: by id, by
/// email domain, by company-name key and by group key.
///
/// Built once (from Swift values, JSON Lines or the C ABI's
/// `funnel_accounts_add_jsonl`), then only read: a value type, safe to share
/// between threads. Every lookup list keeps the accounts in the order the host
/// gave them, which is the order of a result's `candidates`.
///
/// - Complexity: building is O(*n*) in the accounts and their domains; each
///   lookup is a dictionary probe (domains: one per label of the domain).
public struct AccountIndex: Sendable {
    /// The accounts in the order the host gave them.
    public private(set) var accounts: [Account] = []
    /// The lookup tables, in one object so that copying an index (or a
    /// ``Converter`` holding one) is one retain; copied before any change.
    private(set) var lookup = AccountLookup()

    /// An empty index.
    public init() {}

    /// An index of `accounts`, in that order.
    ///
    /// - Throws: ``AccountError`` (with ``AccountError/index``) for an empty or
    ///   duplicate id, a company without a name, an empty domain or group.
    public init(_ accounts: [Account]) throws(AccountError) {
        try add(accounts)
    }

    /// The number of accounts.
    public var count: Int { accounts.count }

    /// The account with id `id`, if known.
    public func account(id: String) -> Account? {
        lookup.tables.ids.find(id).map { accounts[Int($0)] }
    }

    /// Adds `more` after the accounts already there; on any error nothing is added.
    public mutating func add(_ more: [Account]) throws(AccountError) {
        var staged = self
        var tables = lookup.tables
        for (i, account) in more.enumerated() {
            try staged.insert(account, origin: accounts.count + i, line: nil, into: &tables)
        }
        staged.lookup = AccountLookup(tables)
        self = staged
    }

    /// Adds the accounts of JSON Lines text (`{"id","name","domains"}` or
    /// `{"id","group"[,"name"]}` a line; blank lines skipped), all or nothing.
    ///
    /// - Throws: ``AccountError`` naming the line: malformed JSON, a bad field,
    ///   a duplicate id (also one already in the index).
    public mutating func add(jsonLines bytes: UnsafeRawBufferPointer) throws(AccountError) {
        let (lines, numbers) = JSONLines.split(bytes)
        var staged = self
        var tables = lookup.tables
        for (line, number) in zip(lines, numbers) {
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw AccountError(line: number, path: "", message: "malformed JSON: \(error)", isParseError: true)
            }
            let account = try Account(jsonValue: value, line: number)
            try staged.insert(account, origin: number, line: number, into: &tables)
        }
        staged.lookup = AccountLookup(tables)
        self = staged
    }

    /// Like ``add(jsonLines:)`` from a `String`.
    public mutating func add(jsonLines text: String) throws(AccountError) {
        var text = text
        var failure: AccountError?
        text.withUTF8 { buffer in
            do throws(AccountError) {
                try add(jsonLines: UnsafeRawBufferPointer(buffer))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private mutating func insert(_ account: Account, origin: Int, line: Int?, into lookup: inout AccountTables)
        throws(AccountError)
    {
        func fail(_ path: String, _ message: String) -> AccountError {
            AccountError(line: line, index: line == nil ? origin : nil, path: path, message: message)
        }
        guard !account.id.isEmpty else { throw fail("id", "expected a non-empty string") }
        let (position32, inserted) = lookup.ids.insert(account.id)
        if !inserted {
            let first = lookup.origins[Int(position32)]
            let place = line == nil ? "account \(first)" : "line \(first)"
            throw fail("id", "duplicate account id \"\(account.id)\" (first at \(place))")
        }
        let position = position32
        // On any error below the whole staged index is dropped, the id with it.
        if let group = account.group {
            guard account.domains.isEmpty else { throw fail("domains", "a group account has no domains") }
            let key = comparisonKey(group)
            guard !key.isEmpty else { throw fail("group", "expected a non-empty group") }
            lookup.byGroupKey.file(position, under: key)
        } else {
            guard let name = account.name, !name.isEmpty else { throw fail("name", "expected a non-empty string") }
            var seen: Set<String> = []
            for (i, domain) in account.domains.enumerated() {
                guard let key = MatchKeys.domainKey(domain) else {
                    throw fail("domains".indexed(i), "expected a domain, found \"\(domain)\"")
                }
                if seen.insert(key).inserted {
                    lookup.byDomain.file(position, under: key)
                    lookup.fewestDots = min(lookup.fewestDots, key.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) })
                }
            }
            if let key = MatchKeys.nameKey(name) { lookup.byNameKey.file(position, under: key) }
        }
        lookup.origins.append(origin)
        accounts.append(account)
    }

    // MARK: Lookups

    /// Company accounts with the domain `domain` (a domain key) or a parent of
    /// it (`eu.acme.es` finds `acme.es`), in host order, each once.
    func accounts(inDomain domain: String) -> [Int32] {
        withUTF8Bytes(domain) { hits(inDomain: $0).positions }
    }

    /// Company accounts whose name key is `key`, in host order.
    func accounts(withNameKey key: String) -> [Int32] { withUTF8Bytes(key) { lookup.tables.byNameKey.positions($0) } }

    /// Group accounts whose group has the comparison key `key`, in host order.
    func accounts(inGroup key: String) -> [Int32] { withUTF8Bytes(key) { lookup.tables.byGroupKey.positions($0) } }
}

extension Account {
    /// Reads one known-account document strictly (unknown fields, wrong types
    /// are errors at their path).
    init(jsonValue value: JSONValue, line: Int) throws(AccountError) {
        var reader = DocumentReader()
        let account = reader.account(value)
        if let first = reader.faults.first {
            let message = reader.faults.count == 1
                ? first.message : first.message + " (and \(reader.faults.count - 1) more faults)"
            throw AccountError(line: line, path: first.path, message: message)
        }
        guard let account else { throw AccountError(line: line, path: "", message: "expected an account") }
        self = account
    }
}

extension DocumentReader {
    mutating func account(_ value: JSONValue) -> Account? {
        guard let fields = object(value, "", allowed: ["id", "name", "domains", "group"]) else { return nil }
        let id = required(fields, "id", "").flatMap { string($0, "id", nonEmpty: true) }
        let name = optional(fields, "name").flatMap { string($0, "name", nonEmpty: true) }
        if let raw = optional(fields, "group") {
            let group = string(raw, "group", nonEmpty: true)
            if optional(fields, "domains") != nil { fault("domains", "a group account has no domains") }
            guard let id, let group else { return nil }
            return Account(id: id, group: group, name: name)
        }
        if optional(fields, "name") == nil { fault("name", "required field is missing (or give \"group\")") }
        var domains: [String] = []
        if let raw = optional(fields, "domains"), let items = array(raw, "domains") {
            for (i, item) in items.enumerated() {
                if let text = string(item, "domains".indexed(i), nonEmpty: true) { domains.append(text) }
            }
        }
        guard let id, let name else { return nil }
        return Account(id: id, name: name, domains: domains)
    }
}

/// The lookup tables of an ``AccountIndex``: ids, domains, name keys and group
/// keys as byte-keyed tables.
struct AccountTables: Sendable {
    /// Account ids as bytes; an id's key id is its account's position.
    var ids = ByteKeyTable()
    /// Company accounts by domain key.
    var byDomain = AccountPostings()
    /// The fewest dots in any indexed domain: a parent with fewer cannot match,
    /// so `acme.es` never probes `es` unless some account lists a one-label domain.
    var fewestDots = Int.max
    /// Company accounts by name key.
    var byNameKey = AccountPostings()
    /// Group accounts by the comparison key of their group.
    var byGroupKey = AccountPostings()
    /// Where each account came from, for duplicate messages: line (JSON Lines) or index.
    var origins: [Int] = []
}

/// ``AccountTables`` frozen in one object: copying an index (or a ``Converter``
/// holding one) is one retain, and reading a `let` needs no exclusivity check
/// and no copy. Replaced, never changed, when accounts are added.
final class AccountLookup: Sendable {
    let tables: AccountTables

    init(_ tables: AccountTables = AccountTables()) { self.tables = tables }
}
