import Funnel

/// A `funnel_accounts`: the host's known accounts, indexed (SPEC §11).
///
/// Filled by `funnel_accounts_add_*` (exclusive access), then read by any
/// number of conversions at once: reading a Swift class's stored value from
/// many threads is safe while nobody writes it.
final class AccountsHandle {
    var index = AccountIndex()
    let model: Model

    init(_ model: Model) { self.model = model }

    static func from(_ pointer: OpaquePointer?) throws(Failure) -> AccountsHandle {
        guard let pointer else { throw Failure(.argument, "accounts is NULL") }
        return Unmanaged<AccountsHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// NULL means no known accounts.
    static func index(_ pointer: OpaquePointer?) -> AccountIndex {
        guard let pointer else { return AccountIndex() }
        return Unmanaged<AccountsHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().index
    }
}

private func accountFailure(_ error: AccountError) -> Failure {
    Failure(error.isParseError ? .parse : .invalid, error.description)
}

/// `funnel_accounts_new`: an empty account index for conversions with `model`.
@_cdecl("funnel_accounts_new")
public func funnel_accounts_new(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded("funnel_accounts_new") { () throws(Failure) in
        let out = try Check.out(out, "out")
        let handle = try ModelHandle.from(model)
        out.pointee = OpaquePointer(Unmanaged.passRetained(AccountsHandle(handle.model)).toOpaque())
    }
}

/// `funnel_accounts_free`: releases an account index; NULL is a no-op.
@_cdecl("funnel_accounts_free")
public func funnel_accounts_free(_ accounts: OpaquePointer?) {
    guard let accounts else { return }
    Unmanaged<AccountsHandle>.fromOpaque(UnsafeRawPointer(accounts)).release()
}

/// `funnel_accounts_count`: how many accounts the index holds (0 for NULL).
@_cdecl("funnel_accounts_count")
public func funnel_accounts_count(_ accounts: OpaquePointer?) -> Int {
    AccountsHandle.index(accounts).count
}

/// `funnel_accounts_add_jsonl`: adds the accounts of JSON Lines text, all or nothing.
@_cdecl("funnel_accounts_add_jsonl")
public func funnel_accounts_add_jsonl(_ accounts: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int)
    -> Int32
{
    guarded("funnel_accounts_add_jsonl") { () throws(Failure) in
        let handle = try AccountsHandle.from(accounts)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        do throws(AccountError) {
            try handle.index.add(jsonLines: bytes)
        } catch {
            throw accountFailure(error)
        }
    }
}

/// `funnel_accounts_add_company`: adds one company account with its domains.
@_cdecl("funnel_accounts_add_company")
public func funnel_accounts_add_company(
    _ accounts: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
    _ domains: UnsafePointer<UnsafePointer<CChar>?>?, _ domainCount: Int
) -> Int32 {
    guarded("funnel_accounts_add_company") { () throws(Failure) in
        let handle = try AccountsHandle.from(accounts)
        let account = Account(
            id: try Check.string(id, "id"), name: try Check.string(name, "name"),
            domains: try Check.dictionary(domains, domainCount, "domains"))
        do throws(AccountError) {
            try handle.index.add([account])
        } catch {
            throw accountFailure(error)
        }
    }
}

/// `funnel_accounts_add_group`: adds one group account (`name` may be NULL).
@_cdecl("funnel_accounts_add_group")
public func funnel_accounts_add_group(
    _ accounts: OpaquePointer?, _ id: UnsafePointer<CChar>?, _ group: UnsafePointer<CChar>?,
    _ name: UnsafePointer<CChar>?
) -> Int32 {
    guarded("funnel_accounts_add_group") { () throws(Failure) in
        let handle = try AccountsHandle.from(accounts)
        let account = Account(
            id: try Check.string(id, "id"), group: try Check.string(group, "group"),
            name: try Check.optionalString(name, "name"))
        do throws(AccountError) {
            try handle.index.add([account])
        } catch {
            throw accountFailure(error)
        }
    }
}

/// `funnel_convert_json`: one lead's SPEC §11 conversion result.
@_cdecl("funnel_convert_json")
public func funnel_convert_json(
    _ model: OpaquePointer?, _ accounts: OpaquePointer?, _ leadJSON: UnsafePointer<CChar>?, _ length: Int,
    _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_convert_json") { () throws(Failure) in
        let out = try Check.out(out, "out_json")
        let handle = try ModelHandle.from(model)
        let lead = try parseLead(try Check.bytes(leadJSON, length, "lead_json"))
        let asOf = try Check.instant(asOf)
        let converter = Converter(model: handle.model, accounts: AccountsHandle.index(accounts))
        let result: ConversionResult
        do throws(LeadError) {
            result = try converter.convert(lead, at: asOf)
        } catch {
            throw Failure(.invalid, error.description)
        }
        try deliver(Array(result.json.utf8), to: out)
    }
}

/// `funnel_convert_jsonl`: one conversion result a line; a bad line fails the call.
@_cdecl("funnel_convert_jsonl")
public func funnel_convert_jsonl(
    _ model: OpaquePointer?, _ accounts: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int,
    _ asOf: Double, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_convert_jsonl") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        let asOf = try Check.instant(asOf)
        let converter = Converter(model: handle.model, accounts: AccountsHandle.index(accounts))
        let (lines, numbers) = JSONLines.split(bytes)
        var writer = [UInt8]()
        for (line, number) in zip(lines, numbers) {
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw Failure(.parse, "line \(number): malformed JSON: \(error)")
            }
            do throws(LeadError) {
                let result = try converter.convert(try Lead(jsonValue: value), at: asOf)
                writer += result.json.utf8
                writer.append(0x0A)
            } catch {
                throw Failure(.invalid, "line \(number): \(error.description)")
            }
        }
        try deliver(writer, to: out)
    }
}

/// `funnel_dedupe_jsonl`: one group of duplicates a line (SPEC §11).
@_cdecl("funnel_dedupe_jsonl")
public func funnel_dedupe_jsonl(
    _ model: OpaquePointer?, _ jsonl: UnsafePointer<CChar>?, _ length: Int, _ out: CStringOut?
) -> Int32 {
    guarded("funnel_dedupe_jsonl") { () throws(Failure) in
        let out = try Check.out(out, "out_jsonl")
        let handle = try ModelHandle.from(model)
        let bytes = try Check.bytes(jsonl, length, "jsonl")
        let deduplicator = Deduplicator(model: handle.model)
        let results: [MergeResult]
        do throws(LineError) {
            results = try deduplicator.groups(jsonLines: bytes)
        } catch {
            throw Failure(error.isParseError ? .parse : .invalid, error.description)
        }
        try deliver(deduplicator.lines(results), to: out)
    }
}
