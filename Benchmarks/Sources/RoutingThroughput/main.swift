import Funnel

#if canImport(Glibc)
import Glibc
#endif

/// Routes N pre-ingested leads through 10 teams × 50 people (500 people) with
/// the Swift API (`Router.route(_:at:reassign:)` on `Router.Leads`) on one
/// core and prints routes per second. Not a test: nothing fails when slow.
///
///   swift run -c release --package-path Benchmarks RoutingThroughput [--leads N] [--rounds R]
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var leadCount = 1_000_000
var rounds = 3
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--leads": leadCount = arguments.next().flatMap { Int($0) } ?? leadCount
    case "--rounds": rounds = arguments.next().flatMap { Int($0) } ?? rounds
    default:
        print("usage: RoutingThroughput [--leads N] [--rounds R]")
        exit(2)
    }
}

var seed: UInt64 = 11
@MainActor func next() -> UInt64 {
    seed &+= 0x9E37_79B9_7F4A_7C15
    var z = seed
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
@MainActor func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

let countries = ["us", "de", "gb", "es", "fr", "mx", "br", "in", "it", "nl", "jp", "ca"]
let industries = ["software", "fintech", "healthcare", "manufacturing", "retail", "education"]

/// 10 teams of 50: nine by country (one strategy each in turn, a third of the
/// members with a capacity, a fifth with an `if` on the industry), and a last
/// weighted team for every lead; what no team takes goes to `nurture`.
func routing(scoreCondition: Bool) -> RoutingDefinition {
    let strategies: [RoutingStrategy] = [.roundRobin, .weighted, .leastLoaded]
    var teams: [RoutingTeam] = []
    for t in 0..<10 {
        var members: [RoutingMember] = []
        for m in 0..<50 {
            let condition: Predicate? =
                m % 5 == 0 ? .attr("industry", .isIn([.string(industries[m % industries.count])])) : nil
            members.append(RoutingMember(
                "p\(t)-\(m)", if: condition, weight: Double(1 + m % 3), capacity: m % 3 == 0 ? 400 : nil))
        }
        let test: Predicate? =
            t < 9 ? .attr("country", .equals(.string(countries[t]))) : (scoreCondition ? .score(.fit, .atLeast(10)) : nil)
        teams.append(RoutingTeam("team\(t)", if: test, strategy: strategies[t % 3], members: members))
    }
    return RoutingDefinition(capacityWindowDays: 30, teams: teams, otherwise: "nurture")
}

let model: Model
do {
    model = try Model.default
} catch {
    print("default model: \(error)")
    exit(2)
}

let asOf = 1_793_491_200.0
var leads: [Lead] = []
leads.reserveCapacity(leadCount)
for i in 0..<leadCount {
    leads.append(Lead(
        id: "L\(i)",
        attributes: ["country": .string(pick(countries)), "industry": .string(pick(industries)),
                     "employees": .number(Double(10 + next() % 5000))],
        owner: next() % 20 == 0 ? "someone" : nil))
}

for scoreCondition in [false, true] {
    let definition = routing(scoreCondition: scoreCondition)
    var best = 0.0
    var owners = 0
    var ingestRate = 0.0
    for _ in 0..<rounds {
        var router: Router
        do {
            router = try Router(model: model, routing: definition)
        } catch {
            print("routing: \(error)")
            exit(2)
        }
        let ingestStart = now()
        let ingested: Router.Leads
        do {
            ingested = try Router.Leads(leads, for: router)
        } catch {
            print("leads: \(error)")
            exit(2)
        }
        ingestRate = max(ingestRate, Double(leadCount) / (now() - ingestStart))
        // Every lead at its own instant, one second apart (30 leads a second
        // would fill the capacities; this keeps them in play).
        let instants = scoreCondition
            ? [Double](repeating: asOf, count: leadCount)
            : (0..<leadCount).map { asOf + Double($0) }
        let start = now()
        let results: [RouteResult]
        do {
            results = try router.route(ingested, at: instants)
        } catch {
            print("route: \(error)")
            exit(2)
        }
        best = max(best, Double(leadCount) / (now() - start))
        owners = results.reduce(0) { $0 + ($1.owner != nil && !$1.kept ? 1 : 0) }
    }
    let label = scoreCondition ? "last team reads the fit score, one instant" : "attribute conditions, one instant per lead"
    print("routing \(leadCount) leads, 10 teams × 50 people, \(label): "
        + "\(Int(best)) routes/s (best of \(rounds)); \(owners) assigned; ingest \(Int(ingestRate)) leads/s")
}
