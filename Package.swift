// swift-tools-version: 6.1
import PackageDescription

// One portable build: everything is compiled for the architecture's baseline (SSE2 on x86-64)
// except our own vector kernels (the sparse first layer, element-wise and update kernels, the
// blocked product, the FMA peak probe), which are compiled once per instruction set from the same
// source (Sources/KernelsBaseline; the other two folders hold symbolic links to its files) and
// chosen at start-up from the CPU's flags (MLPCore's KernelPath, LinearAlgebra's Kernels).
#if arch(x86_64)
let avx2Settings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"]), .define("KERNELS_AVX2")]
let avx512Settings: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "skylake-avx512", "-Xcc", "-mprefer-vector-width=512"]), .define("KERNELS_AVX512"),
]
#else
let avx2Settings: [SwiftSetting] = []
let avx512Settings: [SwiftSetting] = []
#endif

// The targets form a chain, and an arrow never points back up. Each C library is wrapped once,
// by the one small target whose concern it is:
//
//   MLPCore ──────────────┬───────────────┬──────────────────┐   (no C)
//   Deflate (zlib) ───────┼──> Datasets   ├──> Reporting     │
//   LinearAlgebra (BLAS) ─┴───────────────┴──> NeuralNetwork ┘
//   MLPCore ──> KernelsBaseline, KernelsAVX2, KernelsAVX512 ──> LinearAlgebra (which picks one)
//   NeuralNetwork + Open MPI ──> MessagePassing (the only target that links MPI)
//   MLPCore, NeuralNetwork + SwiftProtobuf ──> ModelExport (ONNX; the only target that uses protobuf)
//   Datasets, NeuralNetwork, Reporting ──> Experiments, Performance ──> mlp (+ MessagePassing, ModelExport)
//   MLPCore, LinearAlgebra, Datasets, NeuralNetwork, MessagePassing ──> MLPCAPI (libmlpc.so over CMLP's mlp.h)
let package = Package(
    name: "SwiftMLP",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MLPCore", targets: ["MLPCore"]),
        .library(name: "Deflate", targets: ["Deflate"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
        .library(name: "MessagePassing", targets: ["MessagePassing"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "ModelExport", targets: ["ModelExport"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Performance", targets: ["Performance"]),
        .executable(name: "mlp", targets: ["mlp"]),
        .library(name: "mlpc", type: .dynamic, targets: ["MLPCAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C libraries, each behind a 4-line module map.
        .systemLibrary(
            name: "CBLAS", path: "Modules/CBLAS",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Modules/CLAPACKE",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Modules/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CMPI", path: "Modules/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]),
        // The compiler's prefetch hint, which Swift lacks (a header-only shim; links nothing).
        .systemLibrary(name: "CPrefetch", path: "Modules/CPrefetch"),

        // The foundation every other target shares; imports no C.
        .target(name: "MLPCore"),
        // Our vector kernels, one target per instruction set, the same source.
        .target(name: "KernelsBaseline", dependencies: ["MLPCore", "CPrefetch"]),
        .target(name: "KernelsAVX2", dependencies: ["MLPCore", "CPrefetch"], swiftSettings: avx2Settings),
        .target(name: "KernelsAVX512", dependencies: ["MLPCore", "CPrefetch"], swiftSettings: avx512Settings),
        // gzip/zlib compression and CRC-32 (Datasets' readers, Reporting's PNG writer).
        .target(name: "Deflate", dependencies: ["CZlib"]),
        // Matrix, BLAS and LAPACK.
        .target(
            name: "LinearAlgebra",
            dependencies: ["MLPCore", "KernelsBaseline", "KernelsAVX2", "KernelsAVX512", "CBLAS", "CLAPACKE"]),
        // IDX and CSV readers, MNIST lookup and download (SHA-256 from swift-crypto), splits.
        .target(
            name: "Datasets",
            dependencies: ["MLPCore", "Deflate", "LinearAlgebra", .product(name: "Crypto", package: "swift-crypto")]),
        // Models, networks, training and optimisation.
        .target(
            name: "NeuralNetwork",
            dependencies: ["MLPCore", "LinearAlgebra", .product(name: "Crypto", package: "swift-crypto")]),
        // Distributed training over Open MPI: the only target that links MPI, so the others build
        // and run without it.
        .target(name: "MessagePassing", dependencies: ["NeuralNetwork", "CMPI"]),
        // ONNX export of trained models (onnx.proto's messages, generated once by
        // scripts/generate-onnx-swift.sh, over SwiftProtobuf's runtime library).
        .target(
            name: "ModelExport",
            dependencies: ["MLPCore", "NeuralNetwork", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Tables, SVG plots, PNG images, HTML and Markdown reports.
        .target(
            name: "Reporting",
            dependencies: ["MLPCore", "Deflate"]),
        // The course assignment's sections.
        .target(
            name: "Experiments",
            dependencies: ["MLPCore", "LinearAlgebra", "Datasets", "NeuralNetwork", "Reporting"]),
        // Benchmarks: GEMM, training epochs, the fp32 peak probe, synthetic MNIST.
        .target(
            name: "Performance",
            dependencies: ["MLPCore", "LinearAlgebra", "Datasets", "NeuralNetwork", "Reporting"]),
        // The thin command-line tool.
        .executableTarget(
            name: "mlp",
            dependencies: [
                "MLPCore", "LinearAlgebra", "Datasets", "NeuralNetwork", "MessagePassing", "ModelExport", "Reporting", "Experiments",
                "Performance", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The C API: the hand-written header (CMLP) and its @_cdecl exports, built as libmlpc.so.
        .target(name: "CMLP", path: "Sources/CMLP"),
        .target(name: "MLPCAPI", dependencies: ["CMLP", "MLPCore", "LinearAlgebra", "Datasets", "NeuralNetwork", "MessagePassing"]),

        // Helpers the test targets share (temporary directories, tolerances).
        .target(name: "TestSupport", dependencies: ["NeuralNetwork"], path: "Tests/TestSupport"),
        .testTarget(name: "MLPCoreTests", dependencies: ["MLPCore", "TestSupport"]),
        .testTarget(name: "DeflateTests", dependencies: ["Deflate", "MLPCore"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "MLPCore", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "MLPCore", "Deflate", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "MLPCore", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "ModelExportTests", dependencies: ["ModelExport", "NeuralNetwork", "MLPCore", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "MLPCore", "Deflate", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Datasets", "MLPCore", "Deflate", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "PerformanceTests", dependencies: ["Performance", "MLPCore", "LinearAlgebra", "TestSupport"]),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "Datasets", "NeuralNetwork", "MLPCore", "LinearAlgebra", "Reporting", "TestSupport"]),
        .testTarget(
            name: "CAPITests",
            dependencies: ["MLPCAPI", "CMLP", "MLPCore", "LinearAlgebra", "NeuralNetwork", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
