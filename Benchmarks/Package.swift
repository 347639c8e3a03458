// swift-tools-version: 6.0
import PackageDescription

// Benchmarks live in their own package so that nothing they need reaches the
// users of Funnel. Run from the repository root:
//   swift run -c release --package-path Benchmarks ScoringThroughput
let package = Package(
    name: "FunnelBenchmarks",
    dependencies: [.package(name: "Funnel", path: "..")],
    targets: [
        .executableTarget(
            name: "ScoringThroughput",
            dependencies: [.product(name: "Funnel", package: "Funnel")]
        )
    ]
)
