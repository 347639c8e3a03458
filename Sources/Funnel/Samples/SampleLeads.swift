/// A deterministic sample of leads for the default model: the same seed gives
/// the same leads on every machine, so demos and examples print the same table.
public enum SampleLeads {
    /// The instant the demo scores at: 2026-11-01T00:00:00Z.
    public static let demoAsOf: Double = 1_793_491_200

    /// `count` leads with attributes and events in the year before `asOf`.
    public static func generate(count: Int, seed: UInt64 = 42, asOf: Double = demoAsOf) -> [Lead] {
        var random = SplitMix64(seed: seed)
        return (0..<max(0, count)).map { i in lead(i, asOf: asOf, &random) }
    }

    private static let industries = [
        "Software", "fintech", "Healthcare", "manufacturing", "Retail", "education", "Logistics", " SOFTWARE ",
    ]
    private static let roles = [
        "CEO", "cto", "Founder", "VP Sales", "Marketing Manager", "engineer", "analyst", "Product Manager", "student",
    ]
    private static let countries = ["US", "DE", "ES", "MX", "GB", "FR", "BR", "IN"]
    private static let sources = ["web", "webinar", "referral", "paid_search", "event", "outbound"]
    private static let needs = ["automation", "reporting", "compliance", "integration"]

    private static func lead(_ i: Int, asOf: Double, _ random: inout SplitMix64) -> Lead {
        let engagement = random.below(4)  // 0 cold … 3 hot; hot leads tend to be qualified too
        let qualified = engagement == 3 && random.chance(0.6)
        var attributes: [String: LeadValue] = [:]
        attributes["industry"] = .string(random.pick(industries))
        let sizes = [8.0, 25, 60, 120, 400, 900, 2500, 4800, 12000]
        attributes["employees"] = .number(random.pick(sizes))
        attributes["role"] = .string(random.pick(roles))
        attributes["country"] = .string(random.pick(countries))
        attributes["source"] = .string(random.pick(sources))
        if random.chance(0.97) { attributes["email"] = .string("lead\(i)@example.com") }
        if qualified || random.chance(0.6) {
            attributes["budget"] = .number(Double(qualified ? 10 + random.below(40) : random.below(50)) * 1000)
        }
        attributes["decision_maker"] = .bool(qualified || random.chance(0.35))
        if qualified || random.chance(0.55) { attributes["need"] = .string(random.pick(needs)) }
        if qualified || random.chance(0.7) {
            attributes["timeline_days"] = .number(Double(15 * (1 + random.below(qualified ? 6 : 12))))
        }
        var tags: [String] = []
        if random.chance(0.03) { tags.append("competitor") }
        if random.chance(0.3) { tags.append("webinar") }
        attributes["tags"] = .strings(tags)

        var events: [Event] = []
        let eventCount = random.below(3 + engagement * 6)
        let recency = [400, 200, 90, 30][engagement]  // hot leads acted lately
        for _ in 0..<eventCount {
            let age = Double(random.below(recency * 86_400))
            let at = asOf - age
            let roll = random.below(100)
            switch roll {
            case ..<30: events.append(Event("email.open", at: at))
            case ..<55: events.append(Event("email.reply", at: at))
            case ..<70: events.append(Event("newsletter.subscribe", at: at))
            case ..<85:
                let minutes = Double(5 + random.below(40))
                events.append(Event("call.completed", at: at, properties: ["minutes": .number(minutes)]))
            case ..<93: events.append(Event("page.visit", at: at, properties: ["path": "/pricing"]))
            case ..<97: events.append(Event("newsletter.unsubscribe", at: at))
            default: events.append(Event("meeting.no_show", at: at))
            }
        }
        let id = "L-" + String(100_001 + i)
        return Lead(id: id, attributes: attributes, events: events)
    }
}

/// SplitMix64: tiny, fast, and the same everywhere. `package` so that the
/// test suites use this one copy (a `RandomNumberGenerator` for `random(in:using:)`).
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (n > 0).
    package mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    package mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    package mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
