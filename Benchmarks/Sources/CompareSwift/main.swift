import Funnel

#if canImport(Glibc)
import Glibc
#endif

/// Funnel's Swift batch on the benchmark columns (issue 4's comparison run).
///
///     CompareSwift DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]
///
/// Loads the model and the columns written by Benchmarks/data/generate.py into a
/// `LeadBatch(model:count:)` with the public columnar setters (not timed beyond a
/// line on stderr), then times `batch.scores(at:threads:into:)` (arrays re-used)
/// and `batch.scores(at:threads:)` (new arrays) with 1 and 2 threads, best of
/// ROUNDS (default 3), printing one JSON line per variant and thread count; it
/// exits non-zero if any run differs from the first by a bit. Each variant's
/// 1-thread scores go to OUT_DIR/<variant>.{fit,behavior,total}.f64.

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes to standard error (fd 2: Swift 6 refuses the C global `stderr`).
func printError(_ text: String) {
    var text = text + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    printError("CompareSwift: \(message)")
    exit(2)
}

func readBytes(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("\(path): cannot open") }
    defer { fclose(f) }
    fseek(f, 0, SEEK_END)
    let size = ftell(f)
    rewind(f)
    var bytes = [UInt8](repeating: 0, count: size)
    let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
    guard got == size else { fail("\(path): short read") }
    return bytes
}

/// A raw little-endian array of `T` (the machine's order on every platform Swift runs here).
func readArray<T: BitwiseCopyable>(_ dir: String, _ name: String, as _: T.Type) -> [T] {
    let bytes = readBytes(dir + "/" + name)
    let width = MemoryLayout<T>.stride
    guard bytes.count % width == 0 else { fail("\(name): size is not a multiple of \(width)") }
    return [T](unsafeUninitializedCapacity: bytes.count / width) { buffer, count in
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
        }
        count = bytes.count / width
    }
}

/// A JSON array of strings as generate.py writes it (json.dump, no \u escapes).
func readStringList(_ dir: String, _ name: String) -> [String] {
    let bytes = readBytes(dir + "/" + name)
    var out: [String] = []
    var i = 0
    while i < bytes.count, bytes[i] != UInt8(ascii: "[") { i += 1 }
    i += 1
    while i < bytes.count {
        let c = bytes[i]
        if c == UInt8(ascii: "]") { break }
        if c != UInt8(ascii: "\"") {
            i += 1
            continue
        }
        i += 1
        var s: [UInt8] = []
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 1
                switch bytes[i] {
                case UInt8(ascii: "n"): s.append(10)
                case UInt8(ascii: "t"): s.append(9)
                case UInt8(ascii: "u"): fail("\(name): \\u escapes are not supported")
                default: s.append(bytes[i])
                }
            } else {
                s.append(bytes[i])
            }
            i += 1
        }
        i += 1
        out.append(String(decoding: s, as: UTF8.self))
    }
    return out
}

/// The integer after `"key":` in meta.json.
func metaInt(_ text: String, _ key: String) -> Int {
    let bytes = Array(text.utf8)
    let pattern = Array("\"\(key)\":".utf8)
    guard pattern.count <= bytes.count,
        let start = (0...(bytes.count - pattern.count)).first(where: { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) })
    else { fail("meta.json: no \(key)") }
    let digits = bytes[(start + pattern.count)...].drop(while: { $0 == UInt8(ascii: " ") })
        .prefix(while: { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") })
    guard let value = Int(String(decoding: digits, as: UTF8.self)) else { fail("meta.json: bad \(key)") }
    return value
}

func writeDoubles(_ path: String, _ values: [Double]) {
    guard let f = fopen(path, "wb") else { fail("\(path): cannot create") }
    let written = values.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    guard written == values.count * 8, fclose(f) == 0 else { fail("\(path): write failed") }
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    printError("usage: CompareSwift DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]")
    exit(2)
}
let dir = arguments[1]
let outDir = arguments[3]
let rounds = max(1, arguments.count > 4 ? Int(arguments[4]) ?? 3 : 3)
let meta = String(decoding: readBytes(dir + "/meta.json"), as: UTF8.self)
let leadCount = metaInt(meta, "N")
let asOf = Double(metaInt(meta, "as_of"))

let loadStart = now()
let model: Model
do {
    model = try Model(jsonBytes: readBytes(arguments[2]))
} catch {
    fail("model: \(error)")
}

var batch: LeadBatch
var eventCount = 0
do {
    batch = try LeadBatch(model: model, count: leadCount)
    for name in ["employees", "budget", "timeline_days"] {
        try batch.setNumbers(name, readArray(dir, name + ".f64", as: Double.self))
    }
    for name in ["decision_maker"] {
        let values = readArray(dir, name + ".i8", as: Int8.self)
        try values.withUnsafeBufferPointer { (buffer) throws(ColumnError) in try batch.setBools(name, buffer) }
    }
    for name in ["industry", "role", "country", "source", "need"] {
        try batch.setStrings(
            name, dictionary: readStringList(dir, name + ".dict.json"),
            ids: readArray(dir, name + ".i32", as: Int32.self))
    }
    for name in ["tags"] {
        let dictionary = readStringList(dir, name + ".dict.json")
        let offsets = readArray(dir, name + ".offsets.i64", as: Int64.self)
        let members = readArray(dir, name + ".members.i32", as: Int32.self)
        let present = readArray(dir, name + ".present.u8", as: UInt8.self)
        try offsets.withUnsafeBufferPointer { (o) throws(ColumnError) in
            try members.withUnsafeBufferPointer { (m) throws(ColumnError) in
                try present.withUnsafeBufferPointer { (p) throws(ColumnError) in
                    try batch.setStringSets(name, dictionary: dictionary, offsets: o, memberIDs: m, present: p)
                }
            }
        }
    }
    let lead = readArray(dir, "event_lead.u32", as: UInt32.self)
    eventCount = lead.count
    try batch.setEvents(
        types: readStringList(dir, "event_types.json"), lead: lead,
        type: readArray(dir, "event_type.i32", as: Int32.self), at: readArray(dir, "event_at.f64", as: Double.self),
        property: "minutes", values: readArray(dir, "event_minutes.f64", as: Double.self))
} catch {
    fail("columns: \(error)")
}
printError("CompareSwift: loaded \(leadCount) leads, \(eventCount) events in \(now() - loadStart) s")

// The reference: `scores(at:threads:into:)`, re-using its arrays from round to
// round as a nightly job (and the C caller) would; then `scores(at:threads:)`,
// which returns new arrays each time (their first touch is part of its cost).
var first: (fit: [Double], behavior: [Double], total: [Double])?
@MainActor func check(_ scores: BatchScores, _ what: String) {
    if let first, first.fit != scores.fit || first.behavior != scores.behavior || first.total != scores.total {
        fail("\(what) disagrees with 1 thread")
    }
    if first == nil {
        // Copies of its own: sharing the arrays would make the next re-use copy them.
        first = (scores.fit.map { $0 }, scores.behavior.map { $0 }, scores.total.map { $0 })
    }
}
var reused = BatchScores()
for (impl, fresh) in [("swift-batch", false), ("swift-batch-alloc", true)] {
    for threads in [1, 2] {
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = now()
            if fresh {
                reused = batch.scores(at: asOf, threads: threads)
            } else {
                batch.scores(at: asOf, threads: threads, into: &reused)
            }
            best = min(best, now() - start)
        }
        print(
            "{\"impl\": \"\(impl)\", \"threads\": \(threads), \"seconds\": \(best), \"leads\": \(leadCount), \"events\": \(eventCount)}"
        )
        fflush(nil)
        check(reused, "\(impl) on \(threads) threads")
        if threads == 1 {
            writeDoubles(outDir + "/\(impl).fit.f64", reused.fit)
            writeDoubles(outDir + "/\(impl).behavior.f64", reused.behavior)
            writeDoubles(outDir + "/\(impl).total.f64", reused.total)
        }
    }
}
