// swift-tools-version: 6.0
import PackageDescription

// The root package depends on the Swift toolchain only. The benchmarks live in
// their own package under Benchmarks/ so that their dependencies never reach users.
let package = Package(
    name: "Funnel",
    products: [
        .library(name: "Funnel", targets: ["Funnel"]),
        .executable(name: "funnel", targets: ["FunnelCLI"]),
        // The C ABI of include/funnel.h; `make lib` links it as libfunnel.so.
        .library(name: "FunnelC", type: .dynamic, targets: ["FunnelC"]),
    ],
    targets: [
        .target(name: "Funnel"),
        .executableTarget(name: "FunnelCLI", dependencies: ["Funnel"]),
        .target(name: "FunnelC", dependencies: ["Funnel"]),
        // Helpers the Swift test suites share (random generators, fixtures); public API only.
        .target(name: "FunnelTestSupport", dependencies: ["Funnel"], path: "Tests/FunnelTestSupport"),
        .testTarget(name: "FunnelTests", dependencies: ["Funnel", "FunnelTestSupport"]),
    ]
)
