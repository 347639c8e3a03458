// swift-tools-version: 6.0
import PackageDescription

// A small package that uses Funnel the way a Swift user's package would: by path
// (a real project would write `.package(url: ..., from: "0.1.0")`).
//
//   swift run --package-path Examples/swift ScoreLeads        # the example
//   Scripts/readme_snippets.py && swift run --package-path Examples/swift ReadmeSnippets
//
// `make examples` builds and runs both.
let package = Package(
    name: "FunnelSwiftExample",
    dependencies: [
        // `name:` because a path dependency is otherwise named after its folder
        // (a clone named `funnel` needs no name; this one is whatever the clone is called).
        .package(name: "Funnel", path: "../.."),
    ],
    targets: [
        // Scores the embedded default model on a few leads and prints the results.
        .executableTarget(
            name: "ScoreLeads",
            dependencies: [.product(name: "Funnel", package: "Funnel")]),
        // The README's ```swift blocks, extracted by Scripts/readme_snippets.py into
        // Snippets.swift (generated, not committed) and run with the values in Context.swift.
        .executableTarget(
            name: "ReadmeSnippets",
            dependencies: [.product(name: "Funnel", package: "Funnel")]),
    ]
)
