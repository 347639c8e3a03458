import Testing

@testable import Funnel

/// The byte-level paths of conversion and dedupe (``ByteKeyTable``, keys read
/// as bytes, account lookups, grouping over flat arrays) held equal to the
/// `String` and `Dictionary` computations they replaced, on random and hostile text.
@Suite("Byte keys")
struct ByteKeyTests {
    /// Pieces of hostile and ordinary text: odd Unicode, capitals, marks, spaces, `@@@`.
    static let pieces = [
        "Acme", "ACME", "acmé", "Acmé", "the", "The", "SL", "s.l.", "S.A.", "Inc", "GmbH", " ", "  ", ",", ".", "..",
        "-", "@", "@@@", "+", "\t", "\n", "company", "Ltd.", "a.b", "İ", "ß", "ΟΔΌΣ", "ﬁ", "①", "Ⅻ", "\u{301}",
        "\u{0}", "😀", "東京", "한국", "٣", "７", "x9", "eu.", "acme.es", "ACME.ES", "gmail.com", "GMail.com", "es",
        "com", "co.uk", "\u{200B}", "\u{FEFF}", "Å", "e\u{301}", "34", "600", "123", "(", ")",
    ]

    static func text(_ random: inout SplitMix64, maxPieces: Int = 8) -> String {
        var text = ""
        for _ in 0..<random.below(maxPieces + 1) {
            text += random.pick(pieces)
            if random.chance(0.4) { text += " " }
        }
        return text
    }

    @Test func tableAgreesWithDictionary() {
        var random = SplitMix64(seed: 11)
        var table = ByteKeyTable()
        var reference: [[UInt8]: Int32] = [:]
        for round in 0..<20_000 {
            var key: [UInt8] = []
            let length = random.chance(0.01) ? random.below(100_000) : random.below(24)
            for _ in 0..<length { key.append(UInt8(truncatingIfNeeded: random.below(random.chance(0.5) ? 4 : 256))) }
            let (id, inserted) = key.withUnsafeBufferPointer { table.insert($0) }
            if let known = reference[key] {
                #expect(!inserted && id == known, "round \(round)")
            } else {
                #expect(inserted && Int(id) == reference.count, "round \(round)")
                reference[key] = id
            }
        }
        #expect(table.count == reference.count)
        for (key, id) in reference {
            #expect(key.withUnsafeBufferPointer { table.find($0) } == id)
            #expect(table.withKey(id) { Array($0) } == key)
        }
        #expect([UInt8(1), 2, 3, 4, 5].withUnsafeBufferPointer { table.find($0) } == reference[[1, 2, 3, 4, 5]])
    }

    @Test(arguments: 0..<6)
    func byteKeysAgreeWithStringKeys(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 100)
        for _ in 0..<3_000 {
            let text = Self.text(&random)
            let email = Self.text(&random, maxPieces: 3) + (random.chance(0.8) ? "@" : "") + Self.text(&random, maxPieces: 3)
            #expect(MatchKeys.withNameKey(text) { $0.map { String(decoding: $0, as: UTF8.self) } } == NameKey.unicodeKey(text), "\(text.debugDescription)")
            #expect(MatchKeys.withPhoneKey(text) { $0.map { String(decoding: $0, as: UTF8.self) } } == MatchKeys.unicodePhoneKey(text), "\(text.debugDescription)")
            #expect(MatchKeys.withEmailKey(email) { $0.map { String(decoding: $0, as: UTF8.self) } } == MatchKeys.emailKey(email), "\(email.debugDescription)")
            let domain: String? = email.utf8.lastIndex(of: UInt8(ascii: "@")).flatMap { at in
                MatchKeys.domainKey(String(Substring(email.utf8[email.utf8.index(after: at)...])))
            }
            #expect(MatchKeys.withEmailDomain(email) { $0.map { String(decoding: $0, as: UTF8.self) } } == domain, "\(email.debugDescription)")
            if let domain {
                #expect(MatchKeys.isFreeMail(domain) == MatchKeys.freeMailDomains.contains(domain))
            }
        }
    }

    /// The rules of SPEC §11 with plain dictionaries of `String` keys: what the index did before it read bytes.
    struct ReferenceMatcher {
        var accounts: [Account]
        var byID: [String: Int32] = [:]
        var byDomain: [String: [Int32]] = [:]
        var byNameKey: [String: [Int32]] = [:]
        var byGroupKey: [String: [Int32]] = [:]

        init(_ accounts: [Account]) {
            self.accounts = accounts
            for (i, account) in accounts.enumerated() {
                let p = Int32(i)
                byID[account.id] = p
                if let group = account.group {
                    byGroupKey[comparisonKey(group), default: []].append(p)
                } else {
                    var seen: Set<String> = []
                    for domain in account.domains {
                        if let key = MatchKeys.domainKey(domain), seen.insert(key).inserted { byDomain[key, default: []].append(p) }
                    }
                    if let name = account.name, let key = NameKey.unicodeKey(name) { byNameKey[key, default: []].append(p) }
                }
            }
        }

        func inDomain(_ domain: String) -> [Int32] {
            var found: [Int32] = []
            var labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            while !labels.isEmpty {
                let candidate = labels.joined(separator: ".")
                if !candidate.isEmpty { found += byDomain[candidate] ?? [] }
                labels.removeFirst()
            }
            return Array(Set(found)).sorted()
        }

        func part(email: String?, label: String?, by: AccountKind) -> (AccountMatch, [String], [String]) {
            var domain: String?
            if let email, let d = MatchKeys.emailDomain(email), !MatchKeys.freeMailDomains.contains(d) { domain = d }
            func result(_ match: AccountMatch, _ hits: [Int32]) -> (AccountMatch, [String], [String]) {
                (match, hits.map { accounts[Int($0)].id }, match == .new ? (domain.map { [$0] } ?? []) : [])
            }
            switch by {
            case .company:
                if let domain {
                    let hits = inDomain(domain)
                    if hits.count == 1 { return result(.domain, hits) }
                    if hits.count > 1 { return result(.ambiguous, hits) }
                }
                if let label, let key = NameKey.unicodeKey(label) {
                    let hits = byNameKey[key] ?? []
                    if hits.count == 1 { return result(.name, hits) }
                    if hits.count > 1 { return result(.ambiguous, hits) }
                }
            case .group:
                if let label {
                    let key = comparisonKey(label)
                    let hits = key.isEmpty ? [] : byGroupKey[key] ?? []
                    if hits.count == 1 { return result(.group, hits) }
                    if hits.count > 1 { return result(.ambiguous, hits) }
                }
            }
            return result(.new, [])
        }
    }

    @Test(arguments: [AccountKind.company, .group])
    func matchingAgreesWithReference(by: AccountKind) throws {
        var random = SplitMix64(seed: by == .company ? 5 : 6)
        let domains = ["acme.es", "eu.acme.es", "ACME.es.", "beta.com", "com", "es", "gmail.com", "x.y.z.beta.com", "東京.jp", "a..b"]
        var accounts: [Account] = []
        for i in 0..<300 {
            if by == .group || random.chance(0.1) {
                accounts.append(Account(id: "G\(i)", group: Self.text(&random, maxPieces: 2) + "g", name: random.chance(0.5) ? "n" : nil))
            } else {
                var ds: [String] = []
                for _ in 0..<random.below(3) { ds.append(random.chance(0.5) ? random.pick(domains) : "d\(random.below(50)).com") }
                accounts.append(Account(id: "A\(i)", name: Self.text(&random, maxPieces: 3) + "n", domains: ds))
            }
        }
        let index = try AccountIndex(accounts)
        let reference = ReferenceMatcher(accounts)
        let model = try Model(json: """
            {"format": "funnel.model/1", "attributes": {"email": "string", "company": "string"},
             "conversion": {"contact": {"email": "email"},
                            "account": \(by == .company ? #"{"name": "company"}"# : #"{"by": "group", "group": "company"}"#)}}
            """)
        let converter = Converter(model: model, accounts: index)
        for _ in 0..<5_000 {
            let email: String? = random.chance(0.8)
                ? Self.text(&random, maxPieces: 2) + "@" + (random.chance(0.5) ? random.pick(domains) : Self.text(&random, maxPieces: 2))
                : nil
            let label: String? = random.chance(0.8)
                ? (random.chance(0.5) ? (accounts[random.below(accounts.count)].name ?? "") + random.pick(["", " SL", ", Inc."]) : Self.text(&random, maxPieces: 3))
                : nil
            let part = try converter.account(explicit: nil, email: email, label: label)
            let (match, ids, newDomains) = reference.part(email: email, label: label, by: by)
            #expect(part.match == match, "\(String(describing: email)) \(String(describing: label))")
            if match == .ambiguous { #expect(part.candidates == ids) } else { #expect(part.id == ids.first) }
            if match == .new { #expect(part.domains == newDomains) }
        }
    }

    /// Groups with `String` keys and pairwise closure: the reference for dedupe's byte-keyed union–find.
    @Test(arguments: 0..<4)
    func dedupeGroupsAgreeWithReference(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 900)
        let model = try Model(json: """
            {"format": "funnel.model/1", "attributes": {"email": "string", "phone": "string"},
             "conversion": {"contact": {"email": "email", "phone": "phone"}}}
            """)
        let emails = ["a@x.com", "A@X.COM", " a@x.com ", "b@y.es", "@@@", "c@東京.jp", "C@東京.JP", "", "no-at", "İ@x.com"]
        let phones = ["+34 600 111 222", "600111222", "+34600111222", "600 111 22", "٣٣٣٣٣٣٣٣", "33333333", "+1", ""]
        var leads: [Lead] = []
        for i in 0..<400 {
            var attributes: [String: LeadValue] = [:]
            if random.chance(0.7) { attributes["email"] = .string(random.chance(0.5) ? random.pick(emails) : "u\(random.below(300))@z.com") }
            if random.chance(0.7) { attributes["phone"] = .string(random.chance(0.5) ? random.pick(phones) : "6\(random.below(300) + 1_000_000)") }
            leads.append(Lead(id: "L\(i)", attributes: attributes))
        }
        let results = try model.dedupe(leads)

        // Reference: String keys, sets merged by relabelling.
        var label = Array(0..<leads.count)
        var owner: [String: Int] = [:]
        var counts: [String: Int] = [:]
        for (i, lead) in leads.enumerated() {
            var keys: [String] = []
            if case .string(let e)? = lead.attributes["email"], let k = MatchKeys.emailKey(e) { keys.append("email:" + k) }
            if case .string(let p)? = lead.attributes["phone"], let k = MatchKeys.phoneKey(p) { keys.append("phone:" + k) }
            for key in keys {
                counts[key, default: 0] += 1
                if let j = owner[key] {
                    let (from, to) = (label[i], label[j])
                    for k in label.indices where label[k] == from { label[k] = to }
                } else {
                    owner[key] = i
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in leads.indices { groups[label[i], default: []].append(i) }
        let expected = groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
        #expect(results.count == expected.count)
        for (result, members) in zip(results, expected) {
            let ids = Set(members.map { leads[$0].id })
            #expect(Set([result.head] + result.merged) == ids)
            let keys = counts.filter { $0.value > 1 && members.contains(owner[$0.key] ?? -1) }.keys
            #expect(result.keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
    }

    @Test func tenThousandLeadsSharingAPhoneAndHugeNames() throws {
        let model = try Model(json: """
            {"format": "funnel.model/1", "attributes": {"email": "string", "phone": "string", "company": "string"},
             "conversion": {"contact": {"email": "email", "phone": "phone"}, "account": {"name": "company"}}}
            """)
        let huge = String(repeating: "Ácme ", count: 200_000) + "S.L."
        let leads = (0..<10_000).map { (i: Int) -> Lead in
            let email = "x\(i)@\(String(repeating: "a", count: i % 100)).es"
            let company = i == 0 ? huge : "@@@"
            return Lead(id: "L\(i)", attributes: ["phone": .string("+34 600 000 000"), "email": .string(email), "company": .string(company)])
        }
        let results = try model.dedupe(leads)
        #expect(results.count == 1 && results[0].merged.count == 9_999 && results[0].keys == ["phone:+34600000000"])
        let index = try AccountIndex([Account(id: "A", name: huge, domains: [String(repeating: "b.", count: 10_000) + "es"])])
        let converter = Converter(model: model, accounts: index)
        for lead in leads.prefix(3) {
            let result = try converter.convert(lead, at: 0)
            let expected: AccountMatch = lead.id == "L0" ? .name : .new
            #expect(result.account.match == expected)
        }
    }
}

/// The history log interns leads, channels and reasons as bytes: the same
/// report whether the log is read as text (the byte-level scanner), as one
/// JSON Lines block, or given as values (the `String` path).
@Suite("History log byte interning")
struct HistoryInterningTests {
    @Test(arguments: 0..<3)
    func textAndValuesGiveTheSameReport(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 4_000)
        let model = try Model(json: """
            {"format": "funnel.model/1",
             "stages": {"initial": "new",
               "list": [{"id": "new"}, {"id": "mql"}, {"id": "sql"}, {"id": "won", "outcome": "won"},
                        {"id": "lost", "outcome": "lost"}],
               "transitions": [{"from": "new", "to": "mql"}, {"from": "mql", "to": "sql"},
                               {"from": "sql", "to": ["won", "lost"]}]}}
            """)
        let names = ["L", "l", "Ł", "L\u{301}", "東京", "😀", "a\"b", "x\\y", "İ", String(repeating: "z", count: 300), "\u{7F}"]
        let stages = ["new", "mql", "sql", "won", "lost"]
        func text(_ s: String?) -> String {
            guard let s else { return "null" }
            var writer = JSONWriter(reservingCapacity: 16)
            writer.writeValue(.string(s))
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        var lines: [String] = []
        var values: [HistoryLine] = []
        for _ in 0..<3_000 {
            let lead = random.pick(names) + String(random.below(200))
            let at = Double(random.below(1_000_000))
            switch random.below(4) {
            case 0:
                let channel: String? = random.chance(0.2) ? nil : random.pick(names)
                lines.append(#"{"kind":"lead","lead":\#(text(lead)),"at":\#(Int(at)),"channel":\#(text(channel))}"#)
                values.append(.lead(lead: lead, at: at, channel: channel))
            case 1, 2:
                let (from, to) = (random.pick(stages), random.pick(stages))
                let reason: String? = random.chance(0.5) ? nil : random.pick(names)
                lines.append(#"{"kind":"move","lead":\#(text(lead)),"from":"\#(from)","to":"\#(to)","at":\#(Int(at)),"reason":\#(text(reason))}"#)
                values.append(.move(lead: lead, from: from, to: to, at: at, reason: reason, by: nil))
            default:
                let channel: String? = random.chance(0.3) ? nil : random.pick(names)
                let amount = random.below(500)
                lines.append(#"{"kind":"cost","channel":\#(text(channel)),"amount":\#(amount),"at":\#(Int(at))}"#)
                values.append(.cost(channel: channel, amount: Double(amount), at: at))
            }
        }
        var byLine = HistoryLog(model: model)
        for line in lines { try byLine.add(line: line) }
        var byBlock = HistoryLog(model: model)
        try byBlock.add(jsonLines: lines.joined(separator: "\r\n") + "\n")
        var byValue = HistoryLog(model: model)
        for value in values { try byValue.add(value) }
        let expected = byValue.report(from: 100_000, to: 900_000).json
        #expect(byLine.report(from: 100_000, to: 900_000).json == expected)
        #expect(byBlock.report(from: 100_000, to: 900_000).json == expected)
        #expect(byLine.leadCount == Set(values.compactMap(\.lead)).count)
    }
}

/// The report's radix sort of durations gives, bit for bit and in order, what `sort()` gives.
@Suite("Duration sort")
struct DurationSortTests {
    @Test(arguments: [0, 1, 100, 2_047, 2_048, 5_000, 70_000])
    func agreesWithSort(count: Int) {
        var random = SplitMix64(seed: UInt64(count) &+ 77)
        var values: [Double] = []
        for _ in 0..<count {
            switch random.below(6) {
            case 0: values.append(0)
            case 1: values.append(-0.0)
            case 2: values.append(Double(random.below(10)) / 3)
            case 3: values.append(.infinity)
            case 4: values.append(Double(bitPattern: random.next() >> 1))  // any non-negative, NaN aside
            default: values.append(random.unit() * 1e6)
            }
        }
        values = values.map { $0.isNaN ? 1 : $0 }
        var expected = values
        expected.sort()
        var sorted = values
        DurationSort.sort(&sorted)
        #expect(sorted.map(\.bitPattern) == expected.map(\.bitPattern))
        var withNegative = values + [-1]
        var expectedNegative = withNegative
        expectedNegative.sort()
        DurationSort.sort(&withNegative)
        #expect(withNegative.map(\.bitPattern) == expectedNegative.map(\.bitPattern))
    }
}
