#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the benchmark reference model lives: `Benchmarks/data/reference-model.json`,
/// found next to this source file (so it works from any working directory the
/// benchmark plugin picks), or `FUNNEL_BENCH_MODEL` when set.
public var referenceModelPath: String {
    if let path = getenv("FUNNEL_BENCH_MODEL").map({ String(cString: $0) }), !path.isEmpty { return path }
    // .../Benchmarks/Sources/FunnelBenchmarkSupport/ReferenceModel.swift -> .../Benchmarks/data/
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/data/reference-model.json"
}

/// The text of the reference model; stops the benchmark with a clear message when it is missing.
public func loadReferenceModelJSON() -> String {
    let path = referenceModelPath
    guard let file = fopen(path, "rb") else {
        fatalError("cannot open the benchmark reference model at \(path) (set FUNNEL_BENCH_MODEL)")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
