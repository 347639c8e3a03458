// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that nothing they need reaches the
// users of Funnel. Run from the repository root:
//   swift run -c release --package-path Benchmarks ScoringThroughput
//   Benchmarks/compare/run.sh [N]        (builds CompareSwift itself)
let package = Package(
    name: "FunnelBenchmarks",
    dependencies: [
        .package(name: "Funnel", path: ".."),
        // package-benchmark suites: `swift package benchmark` (see README.md). The
        // MallocInterposer trait gives the malloc metrics without jemalloc.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScoringThroughput",
            dependencies: [.product(name: "Funnel", package: "Funnel"), "FunnelBenchmarkSupport"]
        ),
        // Routing throughput (SPEC §10): routes/s for 10 teams × 50 people, Swift API.
        .executableTarget(
            name: "RoutingThroughput",
            dependencies: [.product(name: "Funnel", package: "Funnel")]
        ),
        // package-benchmark suites, one executable per suite (swift-nio's layout).
        .executableTarget(
            name: "FunnelBenchmarks",
            dependencies: [
                .product(name: "Funnel", package: "Funnel"),
                .product(name: "Benchmark", package: "package-benchmark"),
                "FunnelBenchmarkSupport",
            ],
            path: "Benchmarks/FunnelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "FunnelCABIBenchmarks",
            dependencies: [
                // libFunnelC.so: the functions of include/funnel.h, declared by CFunnelABI.
                .product(name: "FunnelC", package: "Funnel"),
                .product(name: "Benchmark", package: "package-benchmark"),
                "CFunnelABI",
                "FunnelBenchmarkSupport",
            ],
            path: "Benchmarks/FunnelCABIBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // The throughput comparison of issue 4: Funnel's Swift batch on the columns of
        // data/generate.py (driven by compare/run.sh, which builds it).
        .executableTarget(
            name: "CompareSwift",
            dependencies: [.product(name: "Funnel", package: "Funnel")]
        ),
        // Synthetic leads, the one SplitMix64 of the benchmarks, and the reference
        // model (data/reference-model.json); no Funnel.
        .target(name: "FunnelBenchmarkSupport"),
        // include/funnel.h for Swift, plus a C helper that fills a batch as a C host would.
        .target(name: "CFunnelABI"),
    ]
)
