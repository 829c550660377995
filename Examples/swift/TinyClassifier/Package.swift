// swift-tools-version: 6.1
import PackageDescription

// A downstream package: depends on SwiftMLP by path, as another Swift tool would (with a URL
// and a version instead of the path).
let package = Package(
    name: "TinyClassifier",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "SwiftMLP", path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "TinyClassifier",
            dependencies: [
                .product(name: "MLPCore", package: "SwiftMLP"),
                .product(name: "LinearAlgebra", package: "SwiftMLP"),
                .product(name: "NeuralNetwork", package: "SwiftMLP"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
