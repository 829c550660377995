// swift-tools-version: 6.1
import PackageDescription

// The hot loops (tuned product, fused activations, the FMA peak probe) need AVX2 and FMA to
// vectorise; Swift's default x86-64 baseline is SSE2 only. Every x86-64 server since 2013 has them.
#if arch(x86_64)
let vectorSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let vectorSettings: [SwiftSetting] = []
#endif

// The chain of targets: system modules -> LinearAlgebra -> NeuralNetwork / Datasets
// -> Experiments -> the `mlp` command. Only LinearAlgebra imports C.
let package = Package(
    name: "SwiftMLP",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Performance", targets: ["Performance"]),
        .executable(name: "mlp", targets: ["mlp"]),
        .library(name: "mlpc", type: .dynamic, targets: ["MLPCAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", path: "Modules/CBLAS",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Modules/CLAPACKE",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Modules/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CBLAS", "CLAPACKE", "CZlib"],
            swiftSettings: vectorSettings),
        .target(
            name: "Datasets",
            dependencies: ["LinearAlgebra"],
            swiftSettings: vectorSettings),
        .target(
            name: "NeuralNetwork",
            dependencies: ["LinearAlgebra"],
            swiftSettings: vectorSettings),
        .target(
            name: "Reporting",
            dependencies: ["LinearAlgebra"]),
        .target(
            name: "Experiments",
            dependencies: ["LinearAlgebra", "Datasets", "NeuralNetwork", "Reporting"]),
        .target(
            name: "Performance",
            dependencies: ["LinearAlgebra", "Datasets", "NeuralNetwork", "Reporting"],
            swiftSettings: vectorSettings),
        .executableTarget(
            name: "mlp",
            dependencies: [
                "LinearAlgebra", "Datasets", "NeuralNetwork", "Reporting", "Experiments", "Performance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "LinearAlgebra"]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "LinearAlgebra"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "LinearAlgebra"]),
        .testTarget(name: "CLITests", dependencies: ["Datasets", "LinearAlgebra"]),
        .testTarget(name: "PerformanceTests", dependencies: ["Performance", "LinearAlgebra"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Datasets", "NeuralNetwork", "LinearAlgebra"]),
        // The C API: the hand-written header (CMLP) and its @_cdecl exports, built as libmlpc.so.
        .target(name: "CMLP", path: "Sources/CMLP"),
        .target(name: "MLPCAPI", dependencies: ["CMLP", "LinearAlgebra", "Datasets", "NeuralNetwork"]),
        .testTarget(name: "CAPITests", dependencies: ["MLPCAPI", "CMLP", "LinearAlgebra", "NeuralNetwork"]),
    ],
    swiftLanguageModes: [.v6]
)
