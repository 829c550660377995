import Foundation
import LinearAlgebra
@testable import NeuralNetwork
import Testing

/// Small problems that must be learned, with fixed seeds.
@Suite struct ConvergenceTests {
    @Test(arguments: [Activation.tanh, .relu, .sigmoid])
    func xorIsLearned(activation: Activation) throws {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [8], activation: activation, learningRateInit: 0.05, batchSize: 4,
            maxEpochs: 600, alpha: 0, seed: 3, threads: 1)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 600
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TestData.xor.features, labels: TestData.xor.labels)
        #expect(model.predict(TestData.xor.features) == TestData.xor.labels)
        let probabilities = model.predictProbabilities(TestData.xor.features)
        for row in 0..<4 { #expect(probabilities[row, TestData.xor.labels[row]] > 0.8) }
    }

    @Test(arguments: [Activation.tanh, .relu, .leakyReLU, .sigmoid])
    func twoSpiralsAreLearned(activation: Activation) throws {
        let spirals = TestData.spirals(perClass: 100, seed: 9)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [32, 32], activation: activation, learningRateInit: 0.05, batchSize: 32,
            maxEpochs: 300, alpha: 0, seed: 1, threads: 1)
        configuration.initialization = .varianceScaling(for: activation)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 300
        var model = MLPClassifier(configuration: configuration)
        try model.fit(spirals.features, labels: spirals.labels)
        let accuracy = model.score(spirals.features, labels: spirals.labels)
        #expect(accuracy >= 0.97, "\(activation): spiral accuracy \(accuracy)")
        #expect(model.history.lossCurve.last! < model.history.lossCurve.first!)
    }

    @Test func regressorFitsASmoothFunction() throws {
        // y = sin(2x₀) + x₁² on 200 points.
        let features = TestData.normal(rows: 200, columns: 2, seed: 4)
        let targets = Matrix(rows: 200, columns: 1) { row, _ in
            Float(sin(2 * Double(features[row, 0]))) + features[row, 1] * features[row, 1]
        }
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [32, 32], activation: .tanh, learningRateInit: 0.01, batchSize: 20,
            maxEpochs: 300, seed: 2, threads: 1)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 300
        var model = MLPRegressor(configuration: configuration)
        try model.fit(features, targets: targets)
        let r2 = model.score(features, targets: targets)
        #expect(r2 > 0.97, "R² \(r2)")
    }

    @Test func autoencoderReconstructsLowRankData() throws {
        // 8-dimensional data on a 2-dimensional plane.
        let codes = TestData.normal(rows: 300, columns: 2, seed: 6)
        let mixing = TestData.normal(rows: 2, columns: 8, seed: 7)
        let data = Matrix.product(codes, .none, mixing, .none)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16, 2, 16], activation: .tanh, learningRateInit: 0.01, batchSize: 30,
            maxEpochs: 200, alpha: 0, seed: 5, threads: 1)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 200
        var autoencoder = Autoencoder(configuration: configuration)
        try autoencoder.fit(data)
        let baseline = Autoencoder.meanSquaredNorm(data)
        let error = autoencoder.reconstructionError(data)
        #expect(error < 0.05 * baseline, "reconstruction error \(error) vs data ½‖x‖² \(baseline)")
        #expect(autoencoder.bottleneckLayer == 1)
        let bottleneck = autoencoder.features(of: data, layer: autoencoder.bottleneckLayer)
        #expect(bottleneck.rows == 300 && bottleneck.columns == 2)
        #expect(autoencoder.reconstruct(data).columns == 8)
    }
}

extension Autoencoder {
    /// `½ · mean over samples of ‖x‖²`: the loss of always reconstructing zero.
    static func meanSquaredNorm(_ data: Matrix) -> Double {
        var total: Double = 0
        for value in data.elements { total += Double(value) * Double(value) }
        return 0.5 * total / Double(data.rows)
    }
}
