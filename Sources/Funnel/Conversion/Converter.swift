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

    /// A converter for `model` against `accounts` (none by default).
    public init(model: Model, accounts: AccountIndex = AccountIndex()) {
        compiled = model.compiled
        settings = model.definition.conversion ?? ConversionSettings()
        self.accounts = accounts
    }

    /// The conversion result of `lead` at `asOf` (seconds since the epoch).
    ///
    /// - Throws: ``LeadError`` for an attribute that does not fit its declared
    ///   type, and at `account` for an explicit account id that is not known.
    public func convert(_ lead: Lead, at asOf: Double) throws(LeadError) -> ConversionResult {
        try checkAttributes(lead)
        let name = text(lead, settings.contact.name)
        let email = text(lead, settings.contact.email)
        let phone = text(lead, settings.contact.phone)
        let labelAttribute = settings.account.by == .company ? settings.account.name : settings.account.group
        let label = text(lead, labelAttribute)
        var domain: String?
        if let email, let d = MatchKeys.emailDomain(email), !MatchKeys.isFreeMail(d) { domain = d }

        var part: ConversionResult.AccountPart
        if let explicit = lead.account {
            guard let position = accounts.byID[explicit] else {
                throw LeadError(path: "account", message: "unknown account id \"\(explicit)\"")
            }
            part = known(position, .explicit)
        } else {
            let (match, positions) = match(domain: domain, label: label)
            switch match {
            case .new:
                part = .init(match: .new, id: nil, name: label, domains: domain.map { [$0] } ?? [], candidates: [])
            case .ambiguous:
                part = .init(
                    match: .ambiguous, id: nil, name: label, domains: [],
                    candidates: positions.map { accounts.accounts[Int($0)].id })
            default:
                part = known(positions[0], match)
            }
        }
        var value: Double?
        if let attribute = settings.deal.value, case .number(let x)? = lead.attributes[attribute] { value = x }
        let deal = ConversionResult.Deal(
            name: part.name ?? name ?? lead.id, value: value,
            closeDate: asOf + settings.deal.closeInDays * 86_400)
        return ConversionResult(
            id: lead.id, contact: .init(name: name, email: email, phone: phone), account: part, deal: deal)
    }

    /// Rules 2–4 (or the group rule): how the account is found, and the
    /// positions of the accounts that fit (host order).
    func match(domain: String?, label: String?) -> (AccountMatch, [Int32]) {
        switch settings.account.by {
        case .company:
            if let domain {
                let hits = accounts.accounts(inDomain: domain)
                if hits.count == 1 { return (.domain, hits) }
                if hits.count > 1 { return (.ambiguous, hits) }
            }
            if let label, let key = MatchKeys.nameKey(label) {
                let hits = accounts.accounts(withNameKey: key)
                if hits.count == 1 { return (.name, hits) }
                if hits.count > 1 { return (.ambiguous, hits) }
            }
            return (.new, [])
        case .group:
            guard let label else { return (.new, []) }
            let key = comparisonKey(label)
            let hits = key.isEmpty ? [] : accounts.accounts(inGroup: key)
            if hits.count == 1 { return (.group, hits) }
            if hits.count > 1 { return (.ambiguous, hits) }
            return (.new, [])
        }
    }

    private func known(_ position: Int32, _ match: AccountMatch) -> ConversionResult.AccountPart {
        let account = accounts.accounts[Int(position)]
        return .init(match: match, id: account.id, name: account.displayName, domains: account.domains, candidates: [])
    }

    private func text(_ lead: Lead, _ attribute: String?) -> String? {
        guard let attribute, case .string(let s)? = lead.attributes[attribute] else { return nil }
        return s
    }

    /// SPEC §6: a declared attribute whose value does not fit its type is an error naming it.
    private func checkAttributes(_ lead: Lead) throws(LeadError) {
        for declaration in compiled.definition.attributes {
            guard let value = lead.attributes[declaration.name] else { continue }
            if !declaration.type.fits(value) {
                throw LeadError(
                    path: "attributes".joined(declaration.name),
                    message: "expected \(declaration.type.valueDescription), found \(value.kindDescription)")
            }
        }
    }
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
