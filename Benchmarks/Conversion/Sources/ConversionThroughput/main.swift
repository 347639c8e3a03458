// Matching N leads (default 1,000,000) against M known accounts (default
// 100,000) on one core once the index is built, and dedupe of N leads. JSON is
// left out: leads are Swift values made before the clock starts. Times are user
// CPU seconds, best of three.
import Funnel

#if canImport(Glibc)
import Glibc
#endif

// User CPU time of the process (one thread does the work): the machine is
// shared, so wall time says more about the neighbours than about Funnel.
func now() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
}

struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let arguments = CommandLine.arguments
let leadCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let accountCount = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
let rounds = 3
let only = arguments.count > 3 ? arguments[3] : "both"  // "convert", "match" (no convert loop), "dedupe" or both

let model = try Model(json: """
    {"format": "funnel.model/1",
     "attributes": {"name": "string", "email": "string", "phone": "string", "company": "string", "budget": "number"},
     "stages": {"initial": "new", "list": [{"id": "new"}, {"id": "sql"}, {"id": "lost", "outcome": "lost"}],
                "transitions": [{"from": "new", "to": "sql"}]},
     "conversion": {"contact": {"name": "name", "email": "email", "phone": "phone"},
                    "account": {"by": "company", "name": "company"}, "deal": {"value": "budget"}}}
    """)
let legal = ["S.L.", "Inc.", "GmbH", "Ltd", "", "", "S.A.", "Corp."]
let free = ["gmail.com", "hotmail.es", "outlook.com", "yahoo.com"]

var random = Random(state: 42)
var accounts: [Account] = []
accounts.reserveCapacity(accountCount)
for i in 0..<accountCount {
    accounts.append(Account(id: "A-\(i)", name: "Company \(i) \(legal[i % legal.count])",
                            domains: ["company\(i).com", "company\(i).es"]))
}
var t0 = now()
let index = try AccountIndex(accounts)
print("index of \(accountCount) accounts built in \(String(format3(now() - t0))) s")

// Leads: 40 % by domain (a tenth through a subdomain), 30 % free mail + a known
// name (name key), 20 % unknown company, 10 % with no email.
var leads: [Lead] = []
leads.reserveCapacity(leadCount)
for i in 0..<leadCount {
    let a = random.below(accountCount)
    var attributes: [String: LeadValue] = ["name": .string("Person \(i)"), "budget": .number(Double(i % 50) * 1000)]
    switch i % 10 {
    case 0..<4:
        attributes["email"] = .string("p\(i)@\(i % 40 == 0 ? "eu." : "")company\(a).com")
        attributes["company"] = .string("Company \(a)")
    case 4..<7:
        attributes["email"] = .string("p\(i)@\(free[i % free.count])")
        attributes["company"] = .string("COMPANY \(a), \(legal[(i / 10) % legal.count])")
    case 7..<9:
        attributes["email"] = .string("p\(i)@startup\(i).io")
        attributes["company"] = .string("Startup \(i) Ltd.")
    default:
        attributes["company"] = .string("Company \(a)")
    }
    // Phones from a pool five times the leads: about 18 % of the leads share one.
    attributes["phone"] = .string("+34 6\(String(100_000_000 + random.below(leadCount * 5)))")
    leads.append(Lead(id: "L-\(i)", attributes: attributes))
}

func format3(_ x: Double) -> String {
    let scaled = Int((x * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}

if only != "dedupe" {
let converter = Converter(model: model, accounts: index)
var best = Double.infinity
let kinds: [AccountMatch] = [.explicit, .domain, .name, .group, .new, .ambiguous]
var tally = [Int](repeating: 0, count: kinds.count)
for _ in 0..<(only == "match" ? 0 : rounds) {
    tally = [Int](repeating: 0, count: kinds.count)
    t0 = now()
    for lead in leads {
        let result = try converter.convert(lead, at: 1_000_000_000)
        tally[kinds.firstIndex(of: result.account.match)!] += 1
    }
    best = min(best, now() - t0)
}
var counts: [String: Int] = [:]
for (k, n) in zip(kinds, tally) where n > 0 { counts[k.rawValue] = n }
let convertSeconds = best

// The matching alone: the values a host keeps in its own columns, no Lead dictionary.
var emails: [String?] = []
var companies: [String?] = []
for lead in leads {
    if case .string(let e)? = lead.attributes["email"] { emails.append(e) } else { emails.append(nil) }
    if case .string(let c)? = lead.attributes["company"] { companies.append(c) } else { companies.append(nil) }
}
if only == "parts" {
    var sink = 0
    t0 = now()
    for i in 0..<leadCount { if let e = emails[i], let d = MatchKeys.emailDomain(e) { sink &+= d.utf8.count } }
    print("  emailDomain: \(format3(now() - t0)) s")
    t0 = now()
    for i in 0..<leadCount { if let e = emails[i], let d = MatchKeys.emailDomain(e), MatchKeys.isFreeMail(d) { sink &+= 1 } }
    print("  emailDomain + isFreeMail: \(format3(now() - t0)) s")
    t0 = now()
    for i in 0..<leadCount { if let c = companies[i], let k = MatchKeys.nameKey(c) { sink &+= k.utf8.count } }
    print("  nameKey: \(format3(now() - t0)) s")
    let plain = Set(emails.compactMap { $0 })
    t0 = now()
    for i in 0..<leadCount { if let e = emails[i], plain.contains(e) { sink &+= 1 } }
    print("  Set<String>.contains(email): \(format3(now() - t0)) s (\(sink))")
}
best = .infinity
var matched = 0
for _ in 0..<rounds {
    matched = 0
    t0 = now()
    for i in 0..<leadCount {
        let part = try converter.account(explicit: nil, email: emails[i], label: companies[i])
        if part.id != nil { matched += 1 }
    }
    best = min(best, now() - t0)
}
print("match: \(leadCount) leads against \(accountCount) accounts (Converter.account), one core: best of \(rounds) "
      + "\(format3(best)) s = \(Int(Double(leadCount) / best)) leads/s, \(matched) matched a known account")
let perLead = best
// The same matching in one batch call (Converter.accountParts), checked against the per-lead results.
best = .infinity
var batch: [ConversionResult.AccountPart] = []
for _ in 0..<rounds {
    batch = []
    t0 = now()
    batch = try converter.accountParts(emails: emails, labels: companies)
    best = min(best, now() - t0)
}
var same = batch.count == leadCount
for i in 0..<leadCount where same {
    same = try batch[i] == converter.account(explicit: nil, email: emails[i], label: companies[i])
}
print("match, batch: \(leadCount) leads (Converter.accountParts), one core: best of \(rounds) \(format3(best)) s = "
      + "\(Int(Double(leadCount) / best)) leads/s, \(format3(perLead / best))× the per-lead calls; "
      + (same ? "same results" : "DIFFERENT RESULTS"))
best = convertSeconds
if only != "match" {
print("convert: \(leadCount) leads against \(accountCount) accounts, one core: best of \(rounds) \(format3(best)) s = "
      + "\(Int(Double(leadCount) / best)) leads/s; matches \(counts.sorted { $0.key < $1.key })")
}

}

if only == "dedupe" || only == "both" {
var best = Double.infinity
var groups = 0
var grouped = 0
for _ in 0..<rounds {
    t0 = now()
    let results = try model.dedupe(leads)
    best = min(best, now() - t0)
    groups = results.count
    grouped = results.reduce(0) { $0 + 1 + $1.merged.count }
}
print("dedupe: \(leadCount) leads in \(format3(best)) s (best of \(rounds)): \(groups) groups holding \(grouped) leads")
}
