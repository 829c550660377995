// swift-tools-version: 5.4
import PackageDescription

// The libFuzzer harnesses live in a package of their own (as the benchmarks do), so that the main
// build never sees the sanitizers. Build and run them with `bash scripts/fuzz.sh` from the
// repository root; it builds this package with
//
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// Each executable target is one harness: its `LLVMFuzzerTestOneInput` feeds libFuzzer's bytes to
// one reader of files from outside. A thrown error is a correct answer; a trap, a sanitizer report,
// a timeout or running out of memory is a finding. Seeds/<harness>/ holds each harness's committed
// seed corpus, Dictionaries/<harness>.dict its dictionary and Regressions/<harness>/ the inputs
// that crashed it.
let datasets = Target.Dependency.product(name: "Datasets", package: "SwiftMLP")
let neuralNetwork = Target.Dependency.product(name: "NeuralNetwork", package: "SwiftMLP")
let linearAlgebra = Target.Dependency.product(name: "LinearAlgebra", package: "SwiftMLP")
let deflate = Target.Dependency.product(name: "Deflate", package: "SwiftMLP")
let core = Target.Dependency.product(name: "MLPCore", package: "SwiftMLP")

let package = Package(
    name: "SwiftMLPFuzz",
    dependencies: [
        .package(name: "SwiftMLP", path: ".."),
    ],
    targets: [
        // IDX files, raw or gzip-compressed, through the same path as `IDXFile.read(at:expecting:)`.
        .executableTarget(name: "FuzzIDXFile", dependencies: ["FuzzSupport", datasets, deflate]),
        // Kaggle-layout CSV files under several reader settings.
        .executableTarget(name: "FuzzCSVReader", dependencies: ["FuzzSupport", datasets, core]),
        // NumPy .npy files, through the header validation of `NPYArray(path:)`, then a table over them.
        .executableTarget(name: "FuzzNPYArray", dependencies: ["FuzzSupport", datasets, core]),
        // CSV tables with a header row, under several target, feature and weight settings.
        .executableTarget(name: "FuzzTabularCSV", dependencies: ["FuzzSupport", datasets, linearAlgebra, core]),
        // safetensors streams and model files, then a prediction with the model loaded.
        .executableTarget(name: "FuzzModelFile", dependencies: ["FuzzSupport", neuralNetwork, linearAlgebra]),
        // Training checkpoints, then a prediction and a resumed epoch.
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzSupport", neuralNetwork, linearAlgebra, core]),
        // What the model and checkpoint harnesses do with a model that loaded.
        .target(name: "FuzzSupport", dependencies: [neuralNetwork, linearAlgebra]),
        // Writes Seeds/ with the library (not a harness: run it without the sanitizers).
        .executableTarget(name: "MakeSeeds", dependencies: ["FuzzSupport", datasets, deflate, neuralNetwork, linearAlgebra]),
    ],
    swiftLanguageVersions: [.v5]
)
