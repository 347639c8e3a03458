/// Converts leads into contact, account and deal (SPEC §11) against one
/// model's `conversion` section and one ``AccountIndex``.
///
/// Cheap to make, immutable, safe to share between threads. Each conversion
/// is a few dictionary probes: the explicit id, the email domain and its
/// parents, the company-name key (or the group key).
public struct Converter: Sendable {
    /// The model's section (an empty one when the model has none).
    public let settings: ConversionSettings
    /// The known accounts.
    public let accounts: AccountIndex
    let compiled: CompiledModel
    /// Each declared attribute: its type and what conversion reads from it.
    let slots: [String: Slot]

    struct Slot {
        var type: AttributeType
        var roles: UInt8 = 0
    }

    enum Role {
        static let name: UInt8 = 1
        static let email: UInt8 = 2
        static let phone: UInt8 = 4
        static let label: UInt8 = 8
        static let value: UInt8 = 16
    }

    /// A converter for `model` against `accounts` (none by default).
    public init(model: Model, accounts: AccountIndex = AccountIndex()) {
        let settings = model.definition.conversion ?? ConversionSettings()
        self.settings = settings
        self.accounts = accounts
        compiled = model.compiled
        var slots: [String: Slot] = [:]
        for declaration in model.definition.attributes where slots[declaration.name] == nil {
            slots[declaration.name] = Slot(type: declaration.type)
        }
        func mark(_ attribute: String?, _ role: UInt8) {
            if let attribute { slots[attribute]?.roles |= role }
        }
        mark(settings.contact.name, Role.name)
        mark(settings.contact.email, Role.email)
        mark(settings.contact.phone, Role.phone)
        mark(settings.account.by == .company ? settings.account.name : settings.account.group, Role.label)
        mark(settings.deal.value, Role.value)
        self.slots = slots
    }

    /// The conversion result of `lead` at `asOf` (seconds since the epoch).
    ///
    /// - Throws: ``LeadError`` for an attribute that does not fit its declared
    ///   type, and at `account` for an explicit account id that is not known.
    public func convert(_ lead: Lead, at asOf: Double) throws(LeadError) -> ConversionResult {
        // One pass over the lead's attributes: type checks and the values read.
        var name: String?
        var email: String?
        var phone: String?
        var label: String?
        var value: Double?
        for (attribute, given) in lead.attributes {
            guard let slot = slots[attribute] else { continue }
            if !slot.type.fits(given) { throw firstBadAttribute(lead, compiled: compiled) }
            switch given {
            case .string(let text):
                if slot.roles & Role.name != 0 { name = text }
                if slot.roles & Role.email != 0 { email = text }
                if slot.roles & Role.phone != 0 { phone = text }
                if slot.roles & Role.label != 0 { label = text }
            case .number(let x):
                if slot.roles & Role.value != 0 { value = x }
            default:
                break
            }
        }
        let part = try account(explicit: lead.account, email: email, label: label)
        let deal = ConversionResult.Deal(
            name: part.name ?? name ?? lead.id, value: value,
            closeDate: asOf + settings.deal.closeInDays * 86_400)
        return ConversionResult(
            id: lead.id, contact: .init(name: name, email: email, phone: phone), account: part, deal: deal)
    }

    /// The account part of a conversion from the values it depends on: the
    /// lead's `account` id, its contact email, and its company (or, with
    /// `by: group`, group) attribute. What ``convert(_:at:)`` does after reading
    /// the lead; for hosts that hold these values in their own columns.
    ///
    /// - Throws: ``LeadError`` at `account` for an explicit id that is not known.
    public func account(explicit: String?, email: String?, label: String?) throws(LeadError)
        -> ConversionResult.AccountPart
    {
        // The closures below capture this one reference, never `self` (which
        // they would copy, a retain per stored field).
        let lookup = accounts.lookup
        if let explicit {
            guard let position = lookup.tables.ids.find(explicit) else {
                throw LeadError(path: "account", message: "unknown account id \"\(explicit)\"")
            }
            return known(position, .explicit)
        }
        // Keys are read as bytes in place (or into a temporary buffer) and looked
        // up without making strings; only a new account's domain becomes one.
        var domain: String?
        switch settings.account.by {
        case .company:
            if let email {
                let (hits, text) = MatchKeys.withEmailDomain(email) { d -> (AccountHits, String?) in
                    guard let d, !MatchKeys.isFreeMail(d) else { return (.none, nil) }
                    let hits = lookup.tables.hits(inDomain: d)
                    if case .none = hits { return (.none, String(decoding: d, as: UTF8.self)) }
                    return (hits, nil)
                }
                switch hits {
                case .one(let position): return known(position, .domain)
                case .many(let positions): return ambiguous(positions, label)
                case .none: domain = text
                }
            }
            if let label {
                let hits = MatchKeys.withNameKey(label) { key in key.map { lookup.tables.byNameKey.hits($0) } ?? .none }
                switch hits {
                case .one(let position): return known(position, .name)
                case .many(let positions): return ambiguous(positions, label)
                case .none: break
                }
            }
        case .group:
            if let email, let d = MatchKeys.emailDomain(email), !MatchKeys.isFreeMail(d) { domain = d }
            if let label {
                let key = comparisonKey(label)
                let hits = key.isEmpty ? .none : withUTF8Bytes(key) { lookup.tables.byGroupKey.hits($0) }
                switch hits {
                case .one(let position): return known(position, .group)
                case .many(let positions): return ambiguous(positions, label)
                case .none: break
                }
            }
        }
        return .init(match: .new, id: nil, name: label, domains: domain.map { [$0] } ?? [], candidates: [])
    }

    private func ambiguous(_ positions: [Int32], _ label: String?) -> ConversionResult.AccountPart {
        .init(
            match: .ambiguous, id: nil, name: label, domains: [],
            candidates: positions.map { accounts.accounts[Int($0)].id })
    }

    func known(_ position: Int32, _ match: AccountMatch) -> ConversionResult.AccountPart {
        let account = accounts.accounts[Int(position)]
        return .init(match: match, id: account.id, name: account.displayName, domains: account.domains, candidates: [])
    }

}

/// The error for the first declared attribute (in declaration order, as
/// scoring reports it) whose value does not fit its type.
func firstBadAttribute(_ lead: Lead, compiled: CompiledModel) -> LeadError {
    do {
        _ = try compiled.checkedAttributes(lead)
    } catch {
        return error
    }
    return LeadError(path: "attributes", message: "an attribute does not fit its declared type")
}

extension AttributeType {
    /// Whether a lead value fits this declared type (`null` fits every type).
    func fits(_ value: LeadValue) -> Bool {
        switch (self, value) {
        case (_, .null): true
        case (.number, .number(let x)): x.isFinite
        case (.bool, .bool), (.string, .string), (.strings, .strings): true
        default: false
        }
    }
}

extension Model {
    /// The SPEC §11 conversion result of `lead` at `asOf`, matched against
    /// `accounts`. The C ABI's `funnel_convert_json`; for many leads make one
    /// ``Converter`` and reuse it.
    ///
    /// - Throws: ``LeadError`` for a badly typed attribute or an unknown explicit account id.
    public func convert(_ lead: Lead, accounts: AccountIndex = AccountIndex(), at asOf: Double) throws(LeadError)
        -> ConversionResult
    {
        try Converter(model: self, accounts: accounts).convert(lead, at: asOf)
    }
}
