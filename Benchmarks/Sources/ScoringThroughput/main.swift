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
var compare = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--leads": leadCount = arguments.next().flatMap { Int($0) } ?? leadCount
    case "--rounds": rounds = arguments.next().flatMap { Int($0) } ?? rounds
    case "--second-edition": secondEdition = true
    case "--second-edition-without-frequency": groupsOnly = true
    case "--compare-second-edition": compare = true
    default:
        print(
            "usage: ScoringThroughput [--leads N] [--rounds R] [--second-edition | --second-edition-without-frequency | --compare-second-edition]"
        )
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

/// A batch of `leadCount` synthetic leads for `model`: the same leads for every model.
@MainActor func buildBatch(_ model: Model) -> LeadBatch {
random = SplitMix64(seed: 7)
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
return batch
}

/// Seconds of CPU time this process has used.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

if compare {
    // The reference model, the second-edition model without its frequency rule
    // and with it, on the same leads, one core, rounds interleaved so that the
    // machine's load falls on all three alike; best CPU time of each.
    let models: [(String, String)] = [
        ("reference", referenceModelJSON), ("second edition without frequency", groupsModelJSON),
        ("second edition", secondEditionModelJSON),
    ]
    var batches: [LeadBatch] = []
    for (name, json) in models {
        do {
            batches.append(buildBatch(try Model(json: json)))
        } catch {
            print("\(name): \(error)")
            exit(2)
        }
    }
    var best = [Double](repeating: .infinity, count: models.count)
    var checksums = [Double](repeating: 0, count: models.count)
    for _ in 0..<rounds {
        for (m, batch) in batches.enumerated() {
            let start = cpuNow()
            let scores = batch.scores(at: asOf, threads: 1)
            best[m] = min(best[m], cpuNow() - start)
            checksums[m] = scores.total.reduce(0, +)
        }
    }
    print("one core, CPU time, best of \(rounds), \(leadCount) leads × 20 events:")
    for (m, (name, _)) in models.enumerated() {
        print(
            "  \(name): \(Int(Double(leadCount) / best[m])) leads/s, \(format2(best[m] / best[0]))× the reference's CPU time (checksum \(format2(checksums[m])))"
        )
    }
    exit(0)
}

let buildStart = now()
let batch = buildBatch(model)
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
