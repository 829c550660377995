import Foundation
import LinearAlgebra
import MLPCore
import NeuralNetwork

/// Trains a tiny MLP classifier on two interleaved spirals, saves it, loads it back and predicts
/// with it. Exits non-zero when the reloaded model predicts differently or poorly.
@main
struct TinyClassifier {
    static func main() throws {
        let (features, labels) = spirals(pointsPerClass: 200, seed: 7)

        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [32, 32], activation: .tanh, learningRateInit: 0.01,
            batchSize: 32, maxEpochs: 300, seed: 42, threads: 1)
        configuration.epochsWithoutImprovement = 30
        var model = MLPClassifier(configuration: configuration)
        model.inputScaling = .none
        try model.fit(features, labels: labels)
        let accuracy = model.score(features, labels: labels)
        print("trained \(model.network?.layerSizes ?? []) for \(model.history.lossCurve.count) epochs, "
              + "training accuracy \(String(format: "%.3f", accuracy))")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-classifier.safetensors").path
        try model.save(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try MLPClassifier.load(from: path)

        let queries = Matrix([[0, 0], [0.5, 0.5], [-0.5, 0.5]])
        let probabilities = loaded.predictProbabilities(queries)
        for (row, label) in loaded.predict(queries).enumerated() {
            let shown = probabilities.row(row).map { String(format: "%.3f", $0) }.joined(separator: ", ")
            print("point \(queries.row(row)) → class \(label)  (probabilities \(shown))")
        }

        guard loaded.predict(features) == model.predict(features) else {
            print("error: the reloaded model predicts differently")
            exit(1)
        }
        guard accuracy >= 0.9 else {
            print("error: training accuracy \(accuracy) is below 0.9")
            exit(1)
        }
        print("ok")
    }

    /// Two spirals of `pointsPerClass` points each, labelled 0 and 1, with a little noise.
    static func spirals(pointsPerClass: Int, seed: UInt64) -> (Matrix, [Int]) {
        var generator = SeededGenerator(seed: seed)
        var rows = [[Float]]()
        var labels = [Int]()
        for label in 0..<2 {
            for index in 0..<pointsPerClass {
                let t = Float(index) / Float(pointsPerClass)
                let radius = 0.1 + 0.9 * t
                let angle = 1.75 * .pi * t + Float(label) * .pi
                let noise = { Float.random(in: -0.03...0.03, using: &generator) }
                rows.append([radius * cos(angle) + noise(), radius * sin(angle) + noise()])
                labels.append(label)
            }
        }
        return (Matrix(rows), labels)
    }
}
