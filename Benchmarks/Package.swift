// swift-tools-version: 6.1
import PackageDescription

// The benchmarks live in a package of their own so that the main build stays lean.
// Run from this directory: `swift package benchmark` (see README.md).
//
// Each folder under Benchmarks/ is one suite (an executable the benchmark plugin runs). Under
// Sources/: CGemmLoop, the only C here (a loop of cblas_sgemm calls); SgemmLoops, the same
// loops from Swift and their interleaved timing; SgemmSwiftVsC, the executable that prints it;
// BenchmarkSupport, the rate metrics the suites share.

/// A suite: an executable under Benchmarks/<name> that the benchmark plugin builds and runs.
func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
}

let linearAlgebra = Target.Dependency.product(name: "LinearAlgebra", package: "SwiftMLP")
let neuralNetwork = Target.Dependency.product(name: "NeuralNetwork", package: "SwiftMLP")
let core = Target.Dependency.product(name: "MLPCore", package: "SwiftMLP")
let performance = Target.Dependency.product(name: "Performance", package: "SwiftMLP")

let package = Package(
    name: "SwiftMLPBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "SwiftMLP", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        suite("GEMM", [linearAlgebra, core]),
        suite("TrainingStep", ["BenchmarkSupport", core, neuralNetwork, performance]),
        suite("Elementwise", ["BenchmarkSupport", linearAlgebra, neuralNetwork, core]),
        suite("SgemmCallOverhead", ["SgemmLoops", linearAlgebra]),
        .target(name: "BenchmarkSupport", dependencies: [.product(name: "Benchmark", package: "benchmark")]),
        .target(name: "CGemmLoop", linkerSettings: [.linkedLibrary("openblas")]),
        .target(
            name: "SgemmLoops",
            dependencies: ["CGemmLoop", linearAlgebra, core, performance, .product(name: "Reporting", package: "SwiftMLP")]),
        .executableTarget(name: "SgemmSwiftVsC", dependencies: ["SgemmLoops", linearAlgebra]),
    ],
    swiftLanguageModes: [.v6]
)
