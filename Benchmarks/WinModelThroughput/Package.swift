// swift-tools-version: 6.0
import PackageDescription

// The win model's throughput (SPEC §14): training and batch prediction.
// Its own tiny package (no dependency but Funnel), so it builds offline:
//   swift run -c release --package-path Benchmarks/WinModelThroughput WinModelThroughput [--leads N]
let package = Package(
    name: "WinModelThroughput",
    dependencies: [.package(name: "Funnel", path: "../..")],
    targets: [
        .executableTarget(name: "WinModelThroughput", dependencies: [.product(name: "Funnel", package: "Funnel")])
    ]
)
