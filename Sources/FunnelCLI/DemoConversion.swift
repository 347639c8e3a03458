import Funnel

/// The conversion part of `funnel demo` (SPEC §11): the sample's sales-qualified
/// leads are moved on to Opportunity and converted against a small embedded
/// account list; the table shows how each found its account.
enum DemoConversion {
    /// The known accounts of the demo, as a host would send them.
    static let accountsJSONL = """
        {"id": "A-1", "name": "Acme Iberia, S.L.", "domains": ["acme.es"]}
        {"id": "A-2", "name": "Globex Corporation", "domains": ["globex.com"]}
        {"id": "A-3", "name": "Hooli Inc."}
        {"id": "A-4", "name": "HOOLI"}
        {"id": "A-5", "name": "Initech GmbH", "domains": ["initech.de"]}
        """

    /// Who each opportunity works for, in turn: (company, email domain, explicit account).
    static let profiles: [(company: String, domain: String, account: String?)] = [
        ("Acme", "eu.acme.es", nil),  // domain, through a subdomain
        ("GLOBEX corp.", "gmail.com", nil),  // free mail: the name key decides
        ("Hooli", "hooli-mail.net", nil),  // two accounts share the name key: ambiguous
        ("Umbrella S.A.", "umbrella.pt", nil),  // nobody: a new account
        ("Initech", "initech.example", "A-5"),  // the host says which
    ]

    static func report(model: Model, leads: [Lead], stages: [String], asOf: Double) throws(CLIError) -> String {
        var definition = model.definition
        definition.attributes.append(AttributeDeclaration("company", .string))
        definition.conversion = ConversionSettings(
            contact: ContactFields(email: "email"), account: AccountSettings(by: .company, name: "company"),
            deal: DealSettings(value: "budget", closeInDays: 60))
        let converter: Converter
        do {
            var accounts = AccountIndex()
            try accounts.add(jsonLines: accountsJSONL)
            converter = Converter(model: try Model(definition), accounts: accounts)
        } catch {
            throw CLIError.usage("the demo's conversion setup does not load: \(error)")
        }
        var rows: [[String]] = []
        var n = 0
        for (i, lead) in leads.enumerated() where stages[i] == "sql" {
            var opportunity = lead
            opportunity.stage = "sql"
            do {
                try model.move(&opportunity, to: "opportunity", by: "demo", at: asOf)
            } catch {
                continue
            }
            let profile = profiles[n % profiles.count]
            n += 1
            let user = opportunity.id.lowercased()
            opportunity.attributes["company"] = .string(profile.company)
            opportunity.attributes["email"] = .string("\(user)@\(profile.domain)")
            opportunity.account = profile.account
            do {
                let r = try converter.convert(opportunity, at: asOf)
                let account = r.account.id ?? (r.account.candidates.isEmpty ? "(new)" : r.account.candidates.joined(separator: "|"))
                rows.append([
                    r.id, profile.company, r.contact.email ?? "-", r.account.match.rawValue, account,
                    r.deal.name, r.deal.value.map { fixed($0, digits: 0) } ?? "-",
                ])
            } catch {
                throw CLIError.input("the demo cannot convert \(lead.id): \(error)")
            }
        }
        var text = "\nOpportunities converted (SQL moved on to opportunity; \(n) leads, 5 known accounts):\n"
        if rows.isEmpty { return text + "  none in this sample; try --count 1000\n" }
        text += table(["id", "company", "email", "match", "account", "deal", "value"], rows, rightAligned: [6])
        return text
    }
}
