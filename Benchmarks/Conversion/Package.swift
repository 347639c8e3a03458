// swift-tools-version: 6.0
import PackageDescription

// Conversion throughput (SPEC §11), with no dependency but Funnel, so that it
// builds offline. Run from the repository root:
//   swift run -c release --package-path Benchmarks/Conversion ConversionThroughput [LEADS] [ACCOUNTS]
let package = Package(
    name: "ConversionBenchmarks",
    dependencies: [.package(name: "Funnel", path: "../..")],
    targets: [
        .executableTarget(name: "ConversionThroughput", dependencies: [.product(name: "Funnel", package: "Funnel")])
    ]
)
