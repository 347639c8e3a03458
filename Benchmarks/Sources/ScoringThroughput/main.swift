import Funnel
import FunnelBenchmarkSupport

#if canImport(Glibc)
import Glibc
#endif

/// Scores N synthetic leads × 20 events with the reference model and prints
/// leads per second on one core and on every core. Figures are measured in
/// this process, one after the other, on the same batch.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var leadCount = 1_000_000
var rounds = 3
var secondEdition = false
var groupsOnly = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--leads": leadCount = arguments.next().flatMap { Int($0) } ?? leadCount
    case "--rounds": rounds = arguments.next().flatMap { Int($0) } ?? rounds
    case "--second-edition": secondEdition = true
    case "--second-edition-without-frequency": groupsOnly = true
    default:
        print("usage: ScoringThroughput [--leads N] [--rounds R] [--second-edition | --second-edition-without-frequency]")
        exit(2)
    }
}

let model: Model
do {
    model = try Model(
        json: secondEdition ? secondEditionModelJSON : groupsOnly ? groupsModelJSON : referenceModelJSON)
    print("model: \(model.name ?? "")")
} catch {
    print("reference model: \(error)")
    exit(2)
}

// Deterministic synthetic data: FunnelBenchmarkSupport's SplitMix64, seed 7.
var random = SplitMix64(seed: 7)
@MainActor func next() -> UInt64 { random.next() }
@MainActor func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }

let asOf = 1_793_491_200.0
let industries = ["software", "fintech", "healthcare", "manufacturing", "retail", "education"]
let roles = ["ceo", "cto", "founder", "engineer", "analyst", "manager"]
let countries = ["us", "de", "gb", "es", "fr", "mx"]
let types = [
    "email.open", "email.reply", "email.click", "page.visit", "page.pricing", "newsletter.subscribe",
    "call.completed", "demo.request", "newsletter.unsubscribe", "meeting.no_show",
]

let buildStart = now()
var batch = LeadBatch(model: model)
batch.reserveCapacity(leads: leadCount, events: leadCount * 20)
for i in 0..<leadCount {
    var events: [Event] = []
    events.reserveCapacity(20)
    for _ in 0..<20 {
        events.append(Event(pick(types), at: asOf - Double(next() % (400 * 86_400))))
    }
    let lead = Lead(
        id: "L\(i)",
        attributes: [
            "industry": .string(pick(industries)), "employees": .number(Double(next() % 10_000)),
            "role": .string(pick(roles)), "budget": .number(Double(next() % 50) * 1000),
            "decision_maker": .bool(next() % 3 == 0), "timeline_days": .number(Double(next() % 365)),
            "country": .string(pick(countries)), "tags": .strings(next() % 4 == 0 ? ["webinar"] : []),
        ],
        events: events)
    do {
        try batch.append(lead)
    } catch {
        print("lead \(i): \(error)")
        exit(1)
    }
}
let buildSeconds = now() - buildStart
print("built \(leadCount) leads × 20 events in \(String(format2(buildSeconds))) s")

@MainActor func measure(threads: Int) -> Double {
    var best = Double.infinity
    var checksum = 0.0
    for _ in 0..<rounds {
        let start = now()
        let scores = batch.scores(at: asOf, threads: threads)
        best = min(best, now() - start)
        checksum = scores.total.reduce(0, +)
    }
    print("  threads \(threads): checksum \(format2(checksum))")
    return Double(leadCount) / best
}

func format2(_ x: Double) -> String {
    let scaled = (x * 100).rounded()
    return "\(Int(scaled) / 100).\(String(Int(abs(scaled)) % 100).leftPadded(2))"
}
extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

let one = measure(threads: 1)
let all = measure(threads: defaultThreadCount)
print("one core:  \(Int(one)) leads/s (\(Int(one * 20)) events/s)")
print("all cores (\(defaultThreadCount)): \(Int(all)) leads/s, \(format2(all / one))× one core")
