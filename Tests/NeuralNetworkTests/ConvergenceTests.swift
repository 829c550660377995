import Foundation
import LinearAlgebra
@testable import NeuralNetwork
import Testing

/// Small problems that must be learned. Each claim is checked over several seeds (see
/// ``expectMostSeeds(_:seeds:atLeast:sourceLocation:_:)``), with settings whose results clear the
/// threshold for (nearly) every seed under every BLAS kernel tried, not just for one lucky seed.
@Suite struct ConvergenceTests {
    /// Sweep of seeds 1–200 under the Zen, Sandybridge and Nehalem kernels: the smallest
    /// probability of the right class was 0.997 (16 hidden units; with 8, ReLU lost XOR at seed 2).
    @Test(arguments: [Activation.tanh, .relu, .sigmoid])
    func xorIsLearned(activation: Activation) throws {
        try expectMostSeeds("\(activation.name) learns XOR", seeds: 1...3, atLeast: 3) { seed in
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [16], activation: activation, learningRateInit: 0.05, batchSize: 4,
                maxEpochs: 600, alpha: 0, seed: seed, threads: 1)
            configuration.tolerance = 0
            configuration.epochsWithoutImprovement = 600
            var model = MLPClassifier(configuration: configuration)
            try model.fit(TestData.xor.features, labels: TestData.xor.labels)
            let probabilities = model.predictProbabilities(TestData.xor.features)
            let smallest = (0..<4).map { probabilities[$0, TestData.xor.labels[$0]] }.min()!
            return (model.predict(TestData.xor.features) == TestData.xor.labels && smallest > 0.8,
                    "smallest probability of the right class \(smallest)")
        }
    }

    /// Two spirals of 1.5 turns must be separated to at least 97 % training accuracy by 4 of 5
    /// seeds. Sweep of seeds 1–200 under Zen, Sandybridge and Nehalem: every ReLU and leaky-ReLU
    /// run reached 1.0; tanh (rate 0.003) and sigmoid (0.005) fell below 0.97 once each in 200
    /// (0.95), so two failures among five seeds would take a real regression.
    @Test(arguments: [Activation.tanh, .relu, .leakyReLU, .sigmoid])
    func twoSpiralsAreLearned(activation: Activation) throws {
        let spirals = TestData.spirals(perClass: 100, seed: 9, radius: 4)
        try expectMostSeeds("\(activation.name) separates the spirals", seeds: 1...5, atLeast: 4) { seed in
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [32, 32], activation: activation,
                learningRateInit: activation == .tanh ? 0.003 : 0.005, batchSize: 8,
                maxEpochs: 800, alpha: 0, seed: seed, threads: 1)
            configuration.initialization = .varianceScaling(for: activation)
            configuration.tolerance = 0
            configuration.epochsWithoutImprovement = 800
            var model = MLPClassifier(configuration: configuration)
            try model.fit(spirals.features, labels: spirals.labels)
            let accuracy = model.score(spirals.features, labels: spirals.labels)
            let decreased = model.history.lossCurve.last! < model.history.lossCurve.first!
            return (accuracy >= 0.97 && decreased, "accuracy \(accuracy)")
        }
    }

    /// `y = sin(2x₀) + x₁²` on 200 points must be fitted to R² > 0.97 by 4 of 5 seeds. Sweep of
    /// seeds 1–200: one seed reached only 0.945, the next lowest 0.973, the median 0.998.
    @Test func regressorFitsASmoothFunction() throws {
        let features = TestData.normal(rows: 200, columns: 2, seed: 4)
        let targets = Matrix(rows: 200, columns: 1) { row, _ in
            Float(sin(2 * Double(features[row, 0]))) + features[row, 1] * features[row, 1]
        }
        try expectMostSeeds("the regressor fits sin(2x₀) + x₁²", seeds: 1...5, atLeast: 4) { seed in
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [32, 32], activation: .tanh, learningRateInit: 0.01, batchSize: 20,
                maxEpochs: 300, seed: seed, threads: 1)
            configuration.tolerance = 0
            configuration.epochsWithoutImprovement = 300
            var model = MLPRegressor(configuration: configuration)
            try model.fit(features, targets: targets)
            let r2 = model.score(features, targets: targets)
            return (r2 > 0.97, "R² \(r2)")
        }
    }

    /// 8-dimensional data on a 2-dimensional plane must be reconstructed through a 2-unit
    /// bottleneck to under 5 % of `½‖x‖²`. Sweep of seeds 1–200: at most 3.6 %, median 0.2 %.
    @Test func autoencoderReconstructsLowRankData() throws {
        let codes = TestData.normal(rows: 300, columns: 2, seed: 6)
        let mixing = TestData.normal(rows: 2, columns: 8, seed: 7)
        let data = Matrix.product(codes, .none, mixing, .none)
        let baseline = Autoencoder.meanSquaredNorm(data)
        func configuration(seed: UInt64) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [16, 2, 16], activation: .tanh, learningRateInit: 0.01, batchSize: 30,
                maxEpochs: 200, alpha: 0, seed: seed, threads: 1)
            configuration.tolerance = 0
            configuration.epochsWithoutImprovement = 200
            return configuration
        }
        try expectMostSeeds("the autoencoder reconstructs rank-2 data", seeds: 1...3, atLeast: 3) { seed in
            var autoencoder = Autoencoder(configuration: configuration(seed: seed))
            try autoencoder.fit(data)
            let error = autoencoder.reconstructionError(data)
            return (error < 0.05 * baseline, "error \(error / baseline) of ½‖x‖²")
        }
        var autoencoder = Autoencoder(configuration: configuration(seed: 5))
        try autoencoder.fit(data)
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
