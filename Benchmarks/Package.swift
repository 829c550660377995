// swift-tools-version: 6.1
import PackageDescription

// The benchmarks live in a package of their own so that the main build stays lean.
// Run from this directory: `swift package benchmark` (see README.md).
let package = Package(
    name: "SwiftMLPBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "SwiftMLP", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GEMM",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinearAlgebra", package: "SwiftMLP"),
            ],
            path: "Benchmarks/GEMM",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ],
    swiftLanguageModes: [.v6]
)
