// onelead_probe.swift — the one-lead calls of issue 10, goal 2, for callgrind
// and paired CPU times: Model.score(lead) and funnel_score_json on one lead.
//
//   onelead_probe MODE CALLS ROUNDS LEAD_JSON MODEL_JSON
//
// MODE: score (Model.score), json (funnel_score_json), both, or print (each
// result once). With ROUNDS > 1 it prints the best ns a call of each. Built
// against the objects of `make lib` (Benchmarks/compare/onelead_callgrind.sh
// does it); instructions a call are the difference of 2,000 and 1,000 calls.
import Funnel
import FunnelC
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
func slurp(_ path: String) -> [UInt8] {
    let f = fopen(path, "rb")!
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    fclose(f)
    return out
}
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
let mode = args[1]
let n = Int(args[2])!
let rounds = args.count > 3 ? Int(args[3])! : 1
let modelBytes = slurp(args[5])
var leadBytes = slurp(args[4])
while leadBytes.last == 10 { leadBytes.removeLast() }
let model = try! Model(jsonBytes: modelBytes)
let lead = try! leadBytes.withUnsafeBytes { try Lead(jsonBytes: $0) }
let asOf = 1796083200.0
var sink = 0.0
var best = 1e30
if mode == "score" || mode == "both" {
    for _ in 0..<rounds {
        let t0 = cpu()
        for _ in 0..<n {
            let r = try! model.score(lead, at: asOf)
            sink += r.total
        }
        best = min(best, (cpu() - t0) * 1e9 / Double(n))
    }
    if rounds > 1 { print("score ns/call \(best)") }
}
if mode == "json" || mode == "both" || mode == "print" {
    var m: OpaquePointer? = nil
    let s = modelBytes.withUnsafeBufferPointer { b in
        b.withMemoryRebound(to: CChar.self) { funnel_model_load($0.baseAddress, $0.count, &m) }
    }
    precondition(s == 0)
    best = 1e30
    let reps = mode == "print" ? 1 : n
    leadBytes.withUnsafeBufferPointer { b in
        b.withMemoryRebound(to: CChar.self) { lb in
            for _ in 0..<rounds {
                let t0 = cpu()
                for _ in 0..<reps {
                    var out: UnsafeMutablePointer<CChar>? = nil
                    let st = funnel_score_json(m, lb.baseAddress, lb.count, asOf, &out)
                    precondition(st == 0)
                    if mode == "print" { print(String(cString: out!)) }
                    sink += Double(out![0])
                    funnel_string_free(out)
                }
                best = min(best, (cpu() - t0) * 1e9 / Double(reps))
            }
        }
    }
    if rounds > 1 { print("json ns/call \(best)") }
}
if mode == "print" {
    print(try! model.score(lead, at: asOf).json)
}
if sink == 42 { print(sink) }
