import Funnel

#if canImport(Glibc)
import Glibc
#endif

/// Measures the win model (SPEC §14) on one core: learning examples (Swift
/// values, then JSON Lines text), and predicting pre-ingested leads in a
/// `LeadBatch` (probabilities only, then with factors), then a lead at a time.
/// Not a test: it prints figures and never fails on a slow machine.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var count = 1_000_000
var rounds = 3
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--leads": count = arguments.next().flatMap { Int($0) } ?? count
    case "--rounds": rounds = arguments.next().flatMap { Int($0) } ?? rounds
    default:
        print("usage: WinModelThroughput [--leads N] [--rounds R]")
        exit(2)
    }
}

let modelJSON = """
    {"format": "funnel.model/1", "name": "win-bench",
     "attributes": {"industry": "string", "employees": "number", "role": "string", "decision_maker": "bool",
                    "source": "string", "tags": "strings", "budget": "number"},
     "stages": {"initial": "names",
       "list": [{"id": "names"}, {"id": "profiled"}, {"id": "mql"}, {"id": "sal"}, {"id": "sql"},
                {"id": "opportunity"}, {"id": "won", "outcome": "won"}, {"id": "lost", "outcome": "lost"},
                {"id": "nurture"}, {"id": "disqualified", "outcome": "disqualified"}],
       "transitions": [{"from": "names", "to": "profiled"}]},
     "predict": {"bins": {"employees": [10, 50, 250, 1000, 5000]}}}
    """
let model = try Model(json: modelJSON)

/// SplitMix64, as everywhere in Funnel.
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
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

let industries = ["Software", "fintech", "Healthcare", "manufacturing", "Retail", "education", "Logistics", "media"]
let roles = ["CEO", "cto", "Founder", "VP Sales", "Marketing Manager", "engineer", "analyst", "student"]
let sources = ["web", "webinar", "referral", "paid_search", "event", "outbound"]
let tagWords = ["webinar", "newsletter", "trial", "pricing", "partner", "vip"]
let path = ["names", "profiled", "mql", "sal", "sql", "opportunity"]
let stages = path + ["nurture"]

var random = Random(state: 7)
@MainActor func lead(_ i: Int) -> Lead {
    var tags: [String] = []
    for _ in 0..<random.below(3) { tags.append(random.pick(tagWords)) }
    return Lead(
        id: "L-\(i)",
        attributes: [
            "industry": .string(random.pick(industries)), "employees": .number(Double(random.below(8000))),
            "role": .string(random.pick(roles)), "decision_maker": .bool(random.below(3) == 0),
            "source": .string(random.pick(sources)), "tags": .strings(tags),
            "budget": .number(Double(random.below(50_000))),
        ],
        stage: random.pick(stages))
}

print("win model throughput, \(count) leads, best of \(rounds) rounds, one core (\(model.name ?? ""): 7 attributes, 6 fields + stage)")
let examples = (0..<count).map { i in
    let won = random.below(3) == 0
    return WinExample(lead(i), outcome: won ? .won : .lost, stage: won ? nil : random.pick(path))
}

@MainActor func best(_ label: String, per unit: String, count: Int, _ body: () throws -> Void) rethrows {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = now()
        try body()
        fastest = min(fastest, now() - start)
    }
    let rate = Double(count) / fastest
    let text = rate >= 1e6 ? "\(Double(Int(rate / 1e4)) / 100) M" : "\(Double(Int(rate / 10)) / 100) k"
    print("  \(label): \(text) \(unit)/s (\(Double(Int(fastest * 1e5)) / 100) ms)")
}

var trained = WinModel(model: model)
try best("learn (WinExample values)", per: "examples", count: count) {
    var win = WinModel(model: model)
    for example in examples { try win.learn(example) }
    trained = win
}
let examplesBatch = try LeadBatch(model: model, leads: examples.map(\.lead))
let outcomes = examples.map(\.outcome)
let reached = examples.map(\.stage)
var fromBatch = WinModel(model: model)
try best("learn (pre-ingested: LeadBatch)", per: "examples", count: count) {
    fromBatch = WinModel(model: model)
    try fromBatch.learn(examplesBatch, outcomes: outcomes, stages: reached)
}
precondition(fromBatch == trained, "a batch learns what the examples one by one do")
let jsonl = examples.prefix(200_000).map { example in
    var attributes = "{"
    var first = true
    for (key, value) in example.lead.attributes.sorted(by: { $0.key < $1.key }) {
        let text: String
        switch value {
        case .string(let s): text = "\"\(s)\""
        case .number(let x): text = "\(Int(x))"
        case .bool(let b): text = b ? "true" : "false"
        case .strings(let list): text = "[" + list.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        default: text = "null"
        }
        attributes += (first ? "" : ",") + "\"\(key)\":\(text)"
        first = false
    }
    return "{\"lead\":{\"id\":\"\(example.lead.id)\",\"attributes\":\(attributes)}},\"outcome\":\"\(example.outcome.rawValue)\""
        + (example.stage.map { ",\"stage\":\"\($0)\"" } ?? "") + "}"
}.joined(separator: "\n")
try best("learn (JSON Lines, parsed)", per: "examples", count: min(count, 200_000)) {
    var win = WinModel(model: model)
    try win.learn(jsonLines: jsonl)
}
var forgotten = trained
try best("forget (WinExample values, 100k)", per: "examples", count: min(count, 100_000)) {
    var win = trained
    for example in examples.prefix(100_000) { try win.forget(example) }
    forgotten = win
}

let leads = (0..<count).map { lead($0) }
let batch = try LeadBatch(model: model, leads: leads)
let predictor = trained.predictor
var probabilities: [Double] = []
try best("predict a batch, probabilities (LeadBatch, 1 thread)", per: "leads", count: count) {
    probabilities = try predictor.probabilities(of: batch, threads: 1)
}
try best("predict a batch, probabilities (LeadBatch, 2 threads)", per: "leads", count: count) {
    probabilities = try predictor.probabilities(of: batch, threads: 2)
}
var explained: [WinPrediction] = []
try best("predict a batch with factors (LeadBatch, 1 thread)", per: "leads", count: count) {
    explained = try predictor.predictions(of: batch, threads: 1)
}
try best("predict one Lead at a time (100k)", per: "leads", count: min(count, 100_000)) {
    for lead in leads.prefix(100_000) { _ = try predictor.predict(lead) }
}
// Keep the results alive, and check them: the batch and the lead paths agree.
let mean = probabilities.reduce(0, +) / Double(probabilities.count)
let agree = try leads.prefix(1000).indices.allSatisfy { try predictor.predict(leads[$0]).probability == probabilities[$0] }
print("  (mean probability \(mean); won \(trained.won), lost \(trained.lost); batch = one by one on 1000 leads: \(agree); \(explained.count) explained)")
