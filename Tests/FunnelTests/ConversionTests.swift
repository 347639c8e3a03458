import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Funnel

/// SPEC §11 conversion: the section's checks, every key, every matching rule, the result document.
@Suite("Conversion")
struct ConversionTests {
    static let modelJSON = #"""
    {"format": "funnel.model/1",
     "attributes": {"full_name": "string", "email": "string", "phone": "string", "company": "string",
                    "region": "string", "budget": "number", "tags": "strings"},
     "conversion": {"contact": {"name": "full_name", "email": "email", "phone": "phone"},
                    "account": {"by": "company", "name": "company"},
                    "deal": {"value": "budget", "close_in_days": 30}}}
    """#

    static let accountsJSONL = """
        {"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]}
        {"id": "A-8", "name": "Globex Inc.", "domains": ["globex.com", "GLOBEX.io."]}
        {"id": "A-9", "name": "Globex Corp"}
        {"id": "A-10", "name": "Initech", "domains": ["eu.initech.com"]}
        {"id": "A-11", "name": "Initech Holding", "domains": ["initech.com"]}

        {"id": "G-3", "group": "Madrid"}
        {"id": "G-4", "group": " MADRID ", "name": "Madrid Centro"}
        {"id": "G-5", "group": "Sevilla", "name": "Tienda Sevilla"}
        """

    static func model(_ json: String = modelJSON) throws -> Model { try Model(json: json) }

    static func accounts() throws -> AccountIndex {
        var index = AccountIndex()
        try index.add(jsonLines: accountsJSONL)
        return index
    }

    static func convert(_ attributes: [String: LeadValue], account: String? = nil, model: Model? = nil)
        throws -> ConversionResult
    {
        let lead = Lead(id: "L-1", attributes: attributes, account: account)
        return try (model ?? Self.model()).convert(lead, accounts: try accounts(), at: 1_000)
    }

    // MARK: Keys

    @Test func emailKeyAndDomain() {
        #expect(MatchKeys.emailKey("  Ana@ACME.es ") == "ana@acme.es")
        #expect(MatchKeys.emailKey("no-at-sign") == nil)
        #expect(MatchKeys.emailKey("@@@") == "@@@")
        #expect(MatchKeys.emailDomain("ana@Eu.Acme.ES.") == "eu.acme.es")
        #expect(MatchKeys.emailDomain("ana@acme.es..") == "acme.es")
        #expect(MatchKeys.emailDomain("a@b@ Acme.es ") == "acme.es")
        #expect(MatchKeys.emailDomain("@@@") == nil)
        #expect(MatchKeys.emailDomain("ana@") == nil)
        #expect(MatchKeys.emailDomain("ana") == nil)
    }

    @Test func freeMail() {
        for domain in ["gmail.com", "googlemail.com", "hotmail.com", "hotmail.es", "outlook.com", "outlook.es",
                       "live.com", "msn.com", "yahoo.com", "yahoo.es", "icloud.com", "me.com", "aol.com", "gmx.com",
                       "gmx.de", "proton.me", "protonmail.com", "mail.com", "yandex.com", "zoho.com",
                       "telefonica.net"] {
            #expect(MatchKeys.isFreeMail(domain), "\(domain)")
        }
        #expect(!MatchKeys.isFreeMail("acme.es"))
        #expect(MatchKeys.emailDomain("x@GMAIL.com.").map(MatchKeys.isFreeMail) == true)
    }

    @Test func phoneKey() {
        #expect(MatchKeys.phoneKey(" +34 600-111-222 ") == "+34600111222")
        #expect(MatchKeys.phoneKey("(600) 111 222") == "600111222")
        #expect(MatchKeys.phoneKey("600 +111 222") == "600111222")
        #expect(MatchKeys.phoneKey("123456") == nil)
        #expect(MatchKeys.phoneKey("+123456") == nil)
        #expect(MatchKeys.phoneKey("1234567") == "1234567")
        #expect(MatchKeys.phoneKey("٦٠٠١١١٢٢٢") == "600111222")  // Arabic-Indic digits
        #expect(MatchKeys.phoneKey("") == nil)
    }

    @Test func nameKey() {
        #expect(MatchKeys.nameKey("Acme, S.L.") == "acme")
        #expect(MatchKeys.nameKey("ACME SL") == "acme")
        #expect(MatchKeys.nameKey("Acmé") == "acme")
        #expect(MatchKeys.nameKey("  Acme   Iberia, S.A.U. ") == "acme iberia")
        #expect(MatchKeys.nameKey("Acme Co. Ltd. Inc") == "acme")  // repeatedly
        #expect(MatchKeys.nameKey("SL Acme") == "sl acme")  // legal forms only at the end
        #expect(MatchKeys.nameKey("The Acme Company") == "acme")
        #expect(MatchKeys.nameKey("Acme The") == "acme the")  // `the` only at the start
        #expect(MatchKeys.nameKey("The The Band") == "the band")  // one leading `the`
        #expect(MatchKeys.nameKey("Compañía Telefónica, S.A.") == "compania telefonica")
        #expect(MatchKeys.nameKey("Ｆｕｌｌｗｉｄｔｈ Ｃｏ") == "fullwidth")  // compatibility forms
        #expect(MatchKeys.nameKey("Ångström ﬁnance") == "angstrom finance")  // ligature
        #expect(MatchKeys.nameKey("S.L.") == nil)
        #expect(MatchKeys.nameKey("...---...") == nil)
        #expect(MatchKeys.nameKey("") == nil)
        #expect(MatchKeys.nameKey("삼성 전자") == MatchKeys.nameKey("\u{1109}\u{1161}\u{11B7}\u{1109}\u{1165}\u{11BC} 전자"))
        #expect(MatchKeys.nameKey("Straße GmbH") == "straße")
        #expect(MatchKeys.nameKey("İstanbul AŞ") == "istanbul as")
    }

    @Test func hostileTextNeverTraps() {
        let huge = String(repeating: "Ácme, S.L. ", count: 50_000)
        #expect(MatchKeys.nameKey(huge)?.hasPrefix("acme sl acme") == true)
        for text in ["@@@", "\u{0}", "\u{FFFF}\u{10FFFF}", "̈́̈́̈́", "🏳️‍🌈@🏳️‍🌈.", String(repeating: "@", count: 100_000),
                     "\u{1D400}\u{1F130}", "ǅ", "ﷺ"] {
            _ = MatchKeys.nameKey(text)
            _ = MatchKeys.emailKey(text)
            _ = MatchKeys.emailDomain(text)
            _ = MatchKeys.phoneKey(text)
        }
        #expect(MatchKeys.nameKey("\u{1D400}\u{1D401}") == "ab")  // mathematical bold
    }

    // MARK: Model section

    @Test func sectionFaultsAtPaths() {
        let bad = #"""
        {"format": "funnel.model/1", "attributes": {"email": "string", "budget": "number", "n": "number"},
         "conversion": {"contact": {"email": "budget", "phone": "nope"},
                        "account": {"by": "company", "name": "n", "group": "email"},
                        "deal": {"value": "email", "close_in_days": 0}}}
        """#
        do {
            _ = try Model(json: bad)
            Issue.record("expected faults")
        } catch {
            let text = error.faults.map(\.description)
            #expect(text.contains { $0.hasPrefix("conversion.contact.email: attribute \"budget\" is number") })
            #expect(text.contains("conversion.contact.phone: unknown attribute \"nope\""))
            #expect(text.contains { $0.hasPrefix("conversion.account.name: attribute \"n\" is number") })
            #expect(text.contains("conversion.account.group: only with \"by\": \"group\""))
            #expect(text.contains { $0.hasPrefix("conversion.deal.value: attribute \"email\" is string") })
            #expect(text.contains { $0.hasPrefix("conversion.deal.close_in_days:") })
        }
        for (json, fault) in [
            (#"{"format": "funnel.model/1", "conversion": {"account": {"by": "store"}}}"#, "conversion.account.by:"),
            (#"{"format": "funnel.model/1", "conversion": {"account": {"by": "group"}}}"#, "conversion.account.group:"),
            (#"{"format": "funnel.model/1", "conversion": {"deal": {"color": 1}}}"#, "conversion.deal.color: unknown field"),
            (#"{"format": "funnel.model/1", "conversion": {"deal": {"close_in_days": "9"}}}"#, "conversion.deal.close_in_days:"),
        ] {
            do {
                _ = try Model(json: json)
                Issue.record("expected a fault for \(json)")
            } catch {
                #expect(error.faults.contains { $0.description.hasPrefix(fault) }, "\(error.faults)")
            }
        }
    }

    @Test func sectionInSwiftMatchesJSON() throws {
        let definition = ModelDefinition(
            attributes: [AttributeDeclaration("email", .string), AttributeDeclaration("region", .string)],
            conversion: ConversionSettings(
                contact: ContactFields(email: "email"), account: AccountSettings(by: .group, group: "region")))
        let fromJSON = try ModelDefinition(json: #"""
            {"format": "funnel.model/1", "attributes": {"email": "string", "region": "string"},
             "conversion": {"contact": {"email": "email"}, "account": {"by": "group", "group": "region"}}}
            """#)
        #expect(definition == fromJSON)
        #expect(fromJSON.conversion?.deal.closeInDays == 90)
        _ = try Model(definition)
    }

    // MARK: Accounts

    @Test func accountErrorsNameTheLine() {
        var index = AccountIndex()
        do {
            try index.add(jsonLines: "{\"id\": \"A\", \"name\": \"a\"}\n\n{\"id\": \"A\", \"name\": \"b\"}\n")
            Issue.record("duplicate id accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.contains("duplicate account id \"A\""))
        }
        #expect(index.count == 0)  // all or nothing
        for (text, expected) in [
            ("{\"id\": \"A\"}", "line 1: name:"),
            ("{\"id\": \"A\", \"name\": \"a\", \"x\": 1}", "line 1: x: unknown field"),
            ("{\"id\": \"A\", \"group\": \"g\", \"domains\": [\"a.es\"]}", "line 1: domains:"),
            ("{\"id\": \"A\", \"name\": \"a\", \"domains\": [\"...\"]}", "line 1: domains[0]:"),
            ("{\"id\": 7, \"name\": \"a\"}", "line 1: id:"),
            ("{\"id\": \"A\"", "line 1: malformed JSON"),
        ] {
            do {
                try index.add(jsonLines: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(error.description)")
            }
        }
        #expect(throws: AccountError.self) {
            try AccountIndex([Account(id: "A", name: "a"), Account(id: "A", group: "g")])
        }
        var kept = AccountIndex()
        try? kept.add([Account(id: "A", name: "a")])
        #expect(throws: AccountError.self) { try kept.add(jsonLines: "{\"id\": \"A\", \"name\": \"again\"}") }
        #expect(kept.count == 1)
    }

    // MARK: Rules

    @Test func explicitAccount() throws {
        let r = try Self.convert(["email": "ana@acme.es", "company": "Globex"], account: "A-9")
        #expect(r.account == .init(match: .explicit, id: "A-9", name: "Globex Corp", domains: [], candidates: []))
        do {
            _ = try Self.convert(["email": "ana@acme.es"], account: "A-404")
            Issue.record("unknown id accepted")
        } catch {
            #expect((error as? LeadError)?.path == "account")
            #expect((error as? LeadError)?.message.contains("A-404") == true)
        }
    }

    @Test func domainAndParentDomains() throws {
        let r = try Self.convert(["email": "ana@eu.acme.es", "company": "Something Else"])
        #expect(r.account == .init(match: .domain, id: "A-7", name: "Acme S.L.", domains: ["acme.es"], candidates: []))
        let dotted = try Self.convert(["email": " ANA@ACME.ES. "])
        #expect(dotted.account.match == .domain && dotted.account.id == "A-7")
        let upper = try Self.convert(["email": "x@globex.io"])
        #expect(upper.account.id == "A-8")
        #expect(upper.account.domains == ["globex.com", "GLOBEX.io."])  // as the host gave them
        // eu.initech.com belongs to A-10 and, as a subdomain, to A-11: ambiguous.
        let both = try Self.convert(["email": "x@eu.initech.com"])
        #expect(both.account.match == .ambiguous && both.account.candidates == ["A-10", "A-11"])
        #expect(both.account.id == nil && both.account.domains == [])
        let parent = try Self.convert(["email": "x@initech.com"])
        #expect(parent.account.id == "A-11")  // a parent is not a subdomain of its child
        // `notacme.es` is not a subdomain of `acme.es`.
        let lookalike = try Self.convert(["email": "x@notacme.es", "company": "Nobody"])
        #expect(lookalike.account.match == .new)
    }

    @Test func parentDomainsOfEveryDepth() throws {
        let model = try Self.model()
        let index = try AccountIndex([Account(id: "X", name: "Intranet", domains: ["Corp."]),
                                      Account(id: "Y", name: "Deep", domains: ["a.b.c.example"])])
        let deep = try model.convert(Lead(id: "L", attributes: ["email": "x@eu.a.b.corp"]), accounts: index, at: 0)
        #expect(deep.account.match == .domain && deep.account.id == "X")
        let nested = try model.convert(Lead(id: "L", attributes: ["email": "x@z.a.b.c.example"]), accounts: index, at: 0)
        #expect(nested.account.id == "Y")
        let sibling = try model.convert(Lead(id: "L", attributes: ["email": "x@b.c.example"]), accounts: index, at: 0)
        #expect(sibling.account.match == .new)
    }

    @Test func freeMailFallsThroughToName() throws {
        let r = try Self.convert(["email": "ana@gmail.com", "company": "ACME, S.L."])
        #expect(r.account == .init(match: .name, id: "A-7", name: "Acme S.L.", domains: ["acme.es"], candidates: []))
        let fresh = try Self.convert(["email": "ana@gmail.com", "company": "Brand New"])
        #expect(fresh.account == .init(match: .new, id: nil, name: "Brand New", domains: [], candidates: []))
    }

    @Test func unknownDomainFallsThroughToName() throws {
        let r = try Self.convert(["email": "ana@other.es", "company": "Acmé"])
        #expect(r.account.match == .name && r.account.id == "A-7")
        let ambiguous = try Self.convert(["company": "the GLOBEX"])
        #expect(ambiguous.account == .init(
            match: .ambiguous, id: nil, name: "the GLOBEX", domains: [], candidates: ["A-8", "A-9"]))
        #expect(ambiguous.deal.name == "the GLOBEX")
    }

    @Test func newAccount() throws {
        let r = try Self.convert(["email": "ana@newco.es.", "company": "NewCo", "full_name": "Ana"])
        #expect(r.account == .init(match: .new, id: nil, name: "NewCo", domains: ["newco.es"], candidates: []))
        let nameless = try Self.convert(["full_name": "Ana Pérez"])
        #expect(nameless.account == .init(match: .new, id: nil, name: nil, domains: [], candidates: []))
        #expect(nameless.deal.name == "Ana Pérez")
        let bare = try Self.convert([:])
        #expect(bare.deal.name == "L-1")
    }

    @Test func groupAccounts() throws {
        let model = try Self.model(#"""
            {"format": "funnel.model/1", "attributes": {"email": "string", "region": "string", "company": "string"},
             "conversion": {"contact": {"email": "email"}, "account": {"by": "group", "group": "region"}}}
            """#)
        let one = try Self.convert(["region": " sevilla"], model: model)
        #expect(one.account == .init(match: .group, id: "G-5", name: "Tienda Sevilla", domains: [], candidates: []))
        let two = try Self.convert(["region": "madrid"], model: model)
        #expect(two.account == .init(match: .ambiguous, id: nil, name: "madrid", domains: [], candidates: ["G-3", "G-4"]))
        let none = try Self.convert(["region": "Bilbao", "email": "x@acme.es", "company": "Acme"], model: model)
        #expect(none.account.match == .new && none.account.name == "Bilbao")
        let explicit = try Self.convert(["region": "Bilbao"], account: "G-3", model: model)
        #expect(explicit.account == .init(match: .explicit, id: "G-3", name: "Madrid", domains: [], candidates: []))
        let missing = try Self.convert([:], model: model)
        #expect(missing.account.match == .new && missing.account.name == nil)
    }

    @Test func resultDocument() throws {
        let r = try Self.convert(["full_name": "Ana Pérez", "email": "ana@acme.es", "budget": 12000])
        #expect(r.json == #"""
            {"id":"L-1","contact":{"name":"Ana Pérez","email":"ana@acme.es","phone":null},\#
            "account":{"match":"domain","id":"A-7","name":"Acme S.L.","domains":["acme.es"],"candidates":[]},\#
            "deal":{"name":"Acme S.L.","value":12000,"close_date":2593000}}
            """#)
        // Without a conversion section: defaults, close in 90 days.
        let plain = try Model(json: #"{"format": "funnel.model/1"}"#)
        let p = try plain.convert(Lead(id: "L-2"), at: 0)
        #expect(p.deal.closeDate == 90 * 86_400 && p.account.match == .new && p.deal.name == "L-2")
    }

    @Test func badlyTypedAttributeIsAnError() throws {
        do {
            _ = try Self.convert(["budget": "lots"])
            Issue.record("accepted")
        } catch {
            #expect((error as? LeadError)?.path == "attributes.budget")
        }
        #expect(throws: LeadError.self) { try Lead(json: #"{"id": "L", "account": 7}"#) }
        #expect(try Lead(json: #"{"id": "L", "account": "A-7"}"#).account == "A-7")
    }
}

/// The case every front end runs (Tests/fixtures/conversion; also the CLI, C and Python tests).
@Suite("Conversion shared case")
struct ConversionSharedCaseTests {
    static let directory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // FunnelTests/ConversionTests.swift
        return parts.joined(separator: "/") + "/fixtures/conversion/"
    }()

    static func read(_ name: String) throws -> String {
        guard let file = fopen(directory + name, "rb") else { throw LeadError(path: name, message: "cannot open") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func swiftAPIGivesTheExpectedDocuments() throws {
        let model = try Model(json: try Self.read("model.json"))
        var accounts = AccountIndex()
        try accounts.add(jsonLines: try Self.read("accounts.jsonl"))
        let leads = try Self.read("leads.jsonl").split(separator: "\n").map { try Lead(json: String($0)) }
        let converter = Converter(model: model, accounts: accounts)
        let converted = try leads.map { try converter.convert($0, at: 1_000_000_000).json + "\n" }.joined()
        #expect(converted == (try Self.read("convert.expected.jsonl")))
        // Swift values carry no member order, so compare as values: the same groups and merged leads.
        let merged = try model.dedupe(leads)
        let expected = try Self.read("dedupe.expected.jsonl").split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
        #expect(merged.count == expected.count && merged.count == 2)
        for (result, document) in zip(merged, expected) {
            #expect(document["head"] == .string(result.head))
            #expect(document["merged"] == .array(result.merged.map { .string($0) }))
            #expect(document["keys"] == .array(result.keys.map { .string($0) }))
            #expect(try Lead(jsonValue: document["lead"] ?? .null) == result.lead)
        }
    }

    @Test func hostileLeadsNeverTrap() throws {
        let model = try Model(json: try Self.read("model.json"))
        var accounts = AccountIndex()
        try accounts.add(jsonLines: try Self.read("accounts.jsonl"))
        let huge = String(repeating: "Ácme ", count: 200_000)
        for (company, email, phone) in [
            (huge, "@@@", "+"), ("\u{0}", huge + "@" + huge, huge), ("", "@", "++++++++++++"),
            ("S.L.", "ana@.", "\u{FF10}\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}"),
            ("\u{10FFFF}\u{E0001}", "a@\u{10FFFF}.", "\u{1D7CE}\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}"),
        ] {
            let lead = Lead(id: "H", attributes: ["company": .string(company), "email": .string(email),
                                                  "phone": .string(phone)])
            let r = try model.convert(lead, accounts: accounts, at: 0)
            #expect(r.id == "H")
            _ = try model.dedupe([lead, lead])
        }
    }
}

/// The ASCII fast paths of the keys agree with the general ones.
@Suite("Conversion key fast paths")
struct ConversionKeyFastPathTests {
    @Test(arguments: 0..<8)
    func asciiAgreesWithUnicodePath(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 7)
        let pieces = ["Acme", "ACME", "the", "The", "SL", "s.l.", "S.A.", "co", "Inc", "GmbH", "  ", ",", ".", "-", "&",
                      "3", "x9", "@", "+", "\t", "company", "limited", "Ltd.", "a.b", "..", "THE", "(", ")", "'"]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<random.below(8) {
                text += random.pick(pieces)
                if random.chance(0.6) { text += " " }
            }
            #expect(NameKey.asciiKey(text) == NameKey.unicodeKey(text), "\(text)")
            #expect(MatchKeys.phoneKey(text) == MatchKeys.unicodePhoneKey(text), "\(text)")
            let email = text + "@" + random.pick(pieces) + "." + random.pick(pieces)
            if let key = MatchKeys.emailKey(email) { #expect(key == comparisonKey(email), "\(email)") }
            #expect(MatchKeys.emailDomain(email) == MatchKeys.domainKey(String(email.split(separator: "@", omittingEmptySubsequences: false).last!)), "\(email)")
        }
    }
}

@Suite("Conversion errors")
struct ConversionErrorTests {
    /// With several badly typed attributes the error names the first in declaration order, every time.
    @Test func firstBadAttributeInDeclarationOrder() throws {
        let model = try Model(json: ConversionTests.modelJSON)
        let lead = Lead(id: "L", attributes: ["tags": "x", "budget": "y", "email": 7, "full_name": true])
        for _ in 0..<20 {
            #expect(throws: LeadError(path: "attributes.full_name", message: "expected a string, found a boolean")) {
                try model.convert(lead, at: 0)
            }
            #expect(throws: LeadError(path: "leads[1].attributes.full_name", message: "expected a string, found a boolean")) {
                try model.dedupe([Lead(id: "A"), lead])
            }
        }
    }
}

/// `Converter.accountParts` (matching in chunks) against `Converter.account`, lead by lead.
@Suite("Conversion in batches")
struct ConversionBatchTests {
    static let emails: [String?] = [
        "ana@acme.es", "ana@eu.acme.es", " ANA@ACME.ES. ", "x@globex.io", "x@eu.initech.com", "x@initech.com",
        "x@notacme.es", "ana@gmail.com", "ana@other.es", "ana@newco.es.", "no-at-sign", "x@ACMÉ.es", "x@", "@",
        "ana@acme.es.", nil, "", "x@acme.es@globex.com", "x@b.c.example", "ünï@acme.es",
    ]
    static let labels: [String?] = [
        "ACME, S.L.", "Acmé", "the GLOBEX", "Brand New", "Something Else", "Globex Corp", "Initech", nil, "",
        "...", "The", "Initech Holding", "Madrid", "x9 co", "NewCo", "Tienda Sevilla", " sevilla", "Acme Ltd. Inc",
    ]

    static func check(_ converter: Converter, explicit: [String?], emails: [String?], labels: [String?]) throws {
        let parts = try converter.accountParts(explicit: explicit, emails: emails, labels: labels)
        let count = max(explicit.count, emails.count, labels.count)
        #expect(parts.count == count)
        for i in 0..<min(count, parts.count) {
            let one = try converter.account(
                explicit: i < explicit.count ? explicit[i] : nil, email: i < emails.count ? emails[i] : nil,
                label: i < labels.count ? labels[i] : nil)
            #expect(parts[i] == one, "lead \(i)")
        }
    }

    @Test(arguments: 0..<4)
    func sameAsOneByOne(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 11)
        let accounts = try ConversionTests.accounts()
        let company = Converter(model: try ConversionTests.model(), accounts: accounts)
        let group = Converter(model: try ConversionTests.model(#"""
            {"format": "funnel.model/1", "attributes": {"email": "string", "region": "string"},
             "conversion": {"contact": {"email": "email"}, "account": {"by": "group", "group": "region"}}}
            """#), accounts: accounts)
        // Several chunks, columns of different lengths.
        let n = 150 + random.below(100)
        let emails = (0..<n).map { _ in random.pick(Self.emails) }
        let labels = (0..<(n - random.below(20))).map { _ in random.pick(Self.labels) }
        let explicit = (0..<random.below(n)).map { _ in random.chance(0.1) ? random.pick(["A-7", "G-3"]) : nil }
        for converter in [company, group] {
            try Self.check(converter, explicit: explicit, emails: emails, labels: labels)
            try Self.check(converter, explicit: [], emails: emails, labels: [])
            try Self.check(converter, explicit: [], emails: [], labels: labels)
        }
        try Self.check(company, explicit: [], emails: [], labels: [])
    }

    @Test func unknownExplicitIdNamesTheLead() throws {
        let converter = Converter(model: try ConversionTests.model(), accounts: try ConversionTests.accounts())
        do {
            _ = try converter.accountParts(explicit: [nil, "A-404"], emails: ["a@acme.es"], labels: [])
            Issue.record("unknown id accepted")
        } catch {
            #expect(error.path == "explicit[1]")
            #expect(error.message.contains("A-404"))
        }
    }
}
