#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic pseudo-random numbers (SplitMix64): the same leads on every run.
public struct SplitMix64 {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Synthetic leads for the reference model, kept in columns (the form the C ABI
/// and `LeadBatch`'s column setters take). Row `i` is one lead; ``lead(_:)``-style
/// builders in the suites turn a row into a `Lead` document with the same values,
/// so the Swift and the C paths score the same data.
///
/// The columns are raw, stable allocations so that they can be handed to C as is.
/// This module does not depend on Funnel (the C ABI suite links Funnel only
/// through libFunnelC).
public final class SyntheticLeads: @unchecked Sendable {
    public static let eventsPerLead = 20
    /// The instant leads are scored at; events lie up to 400 days before it.
    public static let asOf = 1_793_491_200.0

    public static let industries = ["software", "fintech", "saas", "healthcare", "manufacturing", "ecommerce", "retail", "education"]
    public static let roles = ["ceo", "cto", "founder", "vp", "engineer", "analyst", "manager", "student"]
    public static let countries = ["us", "ca", "gb", "de", "fr", "nl", "es", "mx", "br", "in"]
    public static let sources = ["referral", "partner", "ads", "organic", "event", "outbound"]
    public static let needs = ["analytics", "automation", "reporting", "crm"]
    public static let tags = ["webinar", "trial", "newsletter", "competitor", "conference"]
    public static let eventTypes = [
        "email.open", "email.reply", "email.click", "page.visit", "page.pricing", "newsletter.subscribe",
        "call.completed", "demo.request", "newsletter.unsubscribe", "meeting.no_show",
    ]
    /// The numeric event property the model reads (on `call.completed`).
    public static let propertyName = "minutes"

    public let count: Int
    public var eventCount: Int { count * Self.eventsPerLead }

    // Attributes: NaN / -1 mean missing.
    public let employees: UnsafeMutableBufferPointer<Double>
    public let budget: UnsafeMutableBufferPointer<Double>
    public let timelineDays: UnsafeMutableBufferPointer<Double>
    public let decisionMaker: UnsafeMutableBufferPointer<Int8>  // 0, 1, -1 missing
    public let industry: UnsafeMutableBufferPointer<Int32>
    public let role: UnsafeMutableBufferPointer<Int32>
    public let country: UnsafeMutableBufferPointer<Int32>
    public let source: UnsafeMutableBufferPointer<Int32>
    public let need: UnsafeMutableBufferPointer<Int32>
    /// Tags of lead i: tagMembers[tagOffsets[i]..<tagOffsets[i+1]].
    public let tagOffsets: UnsafeMutableBufferPointer<Int64>
    public let tagMembers: UnsafeMutableBufferPointer<Int32>

    // Events, grouped by lead (20 per lead).
    public let eventLead: UnsafeMutableBufferPointer<UInt32>
    public let eventType: UnsafeMutableBufferPointer<Int32>
    public let eventAt: UnsafeMutableBufferPointer<Double>
    /// `minutes` of `call.completed` events; NaN for the others.
    public let eventMinutes: UnsafeMutableBufferPointer<Double>

    /// `count` leads × 20 events from `seed`.
    public init(count: Int, seed: UInt64 = 7) {
        self.count = count
        var random = SplitMix64(seed: seed)
        func column<T>(_ n: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, n))
            p.initialize(repeating: value)
            return UnsafeMutableBufferPointer(rebasing: p[0..<n])
        }
        employees = column(count, .nan)
        budget = column(count, .nan)
        timelineDays = column(count, .nan)
        decisionMaker = column(count, -1)
        industry = column(count, -1)
        role = column(count, -1)
        country = column(count, -1)
        source = column(count, -1)
        need = column(count, -1)
        tagOffsets = column(count + 1, 0)
        var members: [Int32] = []
        members.reserveCapacity(count / 2)
        for i in 0..<count {
            // About one attribute in ten is missing, as in real CRM exports.
            if random.below(10) != 0 { employees[i] = Double(random.below(10_000)) }
            if random.below(10) != 0 { budget[i] = Double(random.below(50)) * 1000 }
            if random.below(10) != 0 { timelineDays[i] = Double(random.below(365)) }
            if random.below(10) != 0 { decisionMaker[i] = Int8(random.below(3) == 0 ? 1 : 0) }
            if random.below(10) != 0 { industry[i] = Int32(random.below(Self.industries.count)) }
            if random.below(10) != 0 { role[i] = Int32(random.below(Self.roles.count)) }
            if random.below(10) != 0 { country[i] = Int32(random.below(Self.countries.count)) }
            if random.below(10) != 0 { source[i] = Int32(random.below(Self.sources.count)) }
            if random.below(2) != 0 { need[i] = Int32(random.below(Self.needs.count)) }
            for t in 0..<Self.tags.count where random.below(6) == 0 { members.append(Int32(t)) }
            tagOffsets[i + 1] = Int64(members.count)
        }
        tagMembers = column(members.count, 0)
        _ = tagMembers.initialize(from: members)

        let events = count * Self.eventsPerLead
        eventLead = column(events, 0)
        eventType = column(events, 0)
        eventAt = column(events, 0)
        eventMinutes = column(events, .nan)
        let call = Int32(Self.eventTypes.firstIndex(of: "call.completed")!)
        for k in 0..<events {
            eventLead[k] = UInt32(k / Self.eventsPerLead)
            let type = Int32(random.below(Self.eventTypes.count))
            eventType[k] = type
            eventAt[k] = Self.asOf - Double(random.below(400 * 86_400))
            if type == call { eventMinutes[k] = Double(random.below(60)) }
        }
    }

    deinit {
        employees.deallocate(); budget.deallocate(); timelineDays.deallocate(); decisionMaker.deallocate()
        industry.deallocate(); role.deallocate(); country.deallocate(); source.deallocate(); need.deallocate()
        tagOffsets.deallocate(); tagMembers.deallocate()
        eventLead.deallocate(); eventType.deallocate(); eventAt.deallocate(); eventMinutes.deallocate()
    }
}

/// NUL-terminated copies of strings, for `const char *const *` dictionaries.
public final class CStringArray: @unchecked Sendable {
    public let pointers: UnsafeMutableBufferPointer<UnsafePointer<CChar>?>
    public var count: Int { pointers.count }
    public init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count)
        for (i, s) in strings.enumerated() { pointers[i] = UnsafePointer(strdup(s)) }
    }
    deinit {
        for p in pointers { free(UnsafeMutablePointer(mutating: p)) }
        pointers.deallocate()
    }
}
