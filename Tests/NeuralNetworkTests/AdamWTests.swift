import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// AdamW against a naive `Double` implementation of PyTorch's `torch.optim.AdamW` algorithm.
@Suite struct AdamWTests {
    /// PyTorch's AdamW (documented algorithm, `amsgrad = false`), step by step in `Double`.
    static func reference(
        parameters: [Double], gradients: [[Double]], learningRate: Double, beta1: Double, beta2: Double,
        epsilon: Double, weightDecay: Double
    ) -> [Double] {
        var theta = parameters
        var m = [Double](repeating: 0, count: theta.count), v = m
        for (index, g) in gradients.enumerated() {
            let t = Double(index + 1)
            for k in theta.indices {
                theta[k] -= learningRate * weightDecay * theta[k]
                m[k] = beta1 * m[k] + (1 - beta1) * g[k]
                v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k]
                let mHat = m[k] / (1 - pow(beta1, t))
                let vHat = v[k] / (1 - pow(beta2, t))
                theta[k] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
            }
        }
        return theta
    }

    @Test(arguments: [0.0, 0.01, 0.3])
    func tenStepsMatchPyTorchsFormula(weightDecay: Double) {
        let count = 37, steps = 10
        var generator = SeededGenerator(seed: 3)
        let start = (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
        // Gradients of several scales, including tiny ones where ε matters.
        let gradients = (0..<steps).map { step in
            (0..<count).map { k in Double.random(in: -1...1, using: &generator) * (k % 3 == 0 ? 1e-6 : 1) * Double(step + 1) }
        }
        var configuration = TrainingConfiguration()
        configuration.optimizer = .adamw
        configuration.learningRateInit = 0.01
        configuration.weightDecay = weightDecay
        configuration.beta1 = 0.8
        configuration.beta2 = 0.99
        configuration.epsilon = 1e-6
        let optimizer = ParameterOptimizer(configuration: configuration, parameterCount: count)
        var theta = start.map(Float.init)
        for g in gradients {
            let gradient = g.map(Float.init)
            optimizer.beginStep()
            theta.withUnsafeMutableBufferPointer { parameters in
                gradient.withUnsafeBufferPointer { gradientBuffer in
                    optimizer.update(parameters: parameters.baseAddress!, gradient: gradientBuffer.baseAddress!,
                                     range: 0..<count, gradientScale: 1, isWeight: true)
                }
            }
        }
        let expected = Self.reference(parameters: start.map { Double(Float($0)) }, gradients: gradients.map { $0.map { Double(Float($0)) } },
                                      learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: weightDecay)
        for k in 0..<count {
            #expect(isClose(Double(theta[k]), expected[k], absolute: 1e-6, relative: 1e-5),
                    "parameter \(k): \(theta[k]) vs PyTorch's \(expected[k])")
        }
        #expect(optimizer.state.secondMoment.count == count)
    }

    /// The decay applies to the weights only: with a zero gradient a weight shrinks by `1 − ηλ`
    /// per step and a bias stays where it is.
    @Test func theDecaySparesTheBiases() {
        var configuration = TrainingConfiguration()
        configuration.optimizer = .adamw
        configuration.learningRateInit = 0.1
        configuration.weightDecay = 0.5
        let optimizer = ParameterOptimizer(configuration: configuration, parameterCount: 2)
        var theta: [Float] = [2, 2]
        let zero: [Float] = [0, 0]
        for _ in 0..<3 {
            optimizer.beginStep()
            theta.withUnsafeMutableBufferPointer { parameters in
                zero.withUnsafeBufferPointer { gradient in
                    optimizer.update(parameters: parameters.baseAddress!, gradient: gradient.baseAddress!, range: 0..<1,
                                     gradientScale: 1, isWeight: true)
                    optimizer.update(parameters: parameters.baseAddress!, gradient: gradient.baseAddress!, range: 1..<2,
                                     gradientScale: 1, isWeight: false)
                }
            }
        }
        #expect(isClose(Double(theta[0]), 2 * pow(0.95, 3), relative: 1e-6))
        #expect(theta[1] == 2)
    }

    /// Training with AdamW: a strong decay gives smaller weights than none, and a fit is
    /// reproducible.
    @Test func trainingDecaysTheWeights() throws {
        let features = TestData.normal(rows: 120, columns: 5, seed: 8)
        let labels = TestData.labels(count: 120, classes: 3, seed: 9)
        func fit(_ decay: Double) throws -> Network {
            var configuration = TrainingConfiguration(hiddenLayerSizes: [8], optimizer: .adamw, learningRateInit: 0.01,
                                                      batchSize: 30, maxEpochs: 15, alpha: 0, seed: 4, threads: 1)
            configuration.weightDecay = decay
            configuration.tolerance = 0
            configuration.epochsWithoutImprovement = 100
            var model = MLPClassifier(configuration: configuration)
            try model.fit(features, labels: labels)
            return model.network!
        }
        let none = try fit(0), strong = try fit(5), again = try fit(5)
        #expect(strong.squaredWeightNorm < 0.8 * none.squaredWeightNorm)
        #expect(bits(strong.parameters) == bits(again.parameters))
    }

    @Test func adamwIsNamedAndValidated() throws {
        #expect(try Optimizer(name: "AdamW") == .adamw)
        var configuration = TrainingConfiguration()
        configuration.weightDecay = -1
        #expect(throws: NeuralNetworkError.self) { try configuration.validate() }
        configuration.weightDecay = .nan
        #expect(throws: NeuralNetworkError.self) { try configuration.validate() }
    }
}
