import Foundation
import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Optimisers and schedules against hand computations on a tiny problem.
@Suite struct OptimizerTests {
    static let inputs = TestData.normal(rows: 6, columns: 3, seed: 51)
    static let labels = [0, 1, 1, 0, 1, 0]

    static func network() -> Network {
        var generator = SeededGenerator(seed: 52)
        return Network(layerSizes: [3, 4, 2], hiddenActivation: .tanh, loss: .softmaxCrossEntropy,
                       initialization: .xavierUniform, using: &generator)
    }

    /// A full-batch, unshuffled, single-threaded configuration around `network()`.
    static func model(_ optimizer: Optimizer, alpha: Double, adjust: (inout TrainingConfiguration) -> Void = { _ in })
        -> MLPClassifier {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [4], activation: .tanh, optimizer: optimizer, learningRateInit: 0.1,
            batchSize: 6, maxEpochs: 1, alpha: alpha, seed: 1, threads: 1)
        configuration.shuffle = false
        adjust(&configuration)
        return MLPClassifier(network: network(), classes: [0, 1], configuration: configuration)
    }

    static func gradient(_ network: Network, alpha: Double) -> [Double] {
        network.gradient(inputs, targets: .classes(labels), alpha: alpha).gradient.map(Double.init)
    }

    @Test func twoAdamStepsMatchTheClosedForm() throws {
        let (eta, beta1, beta2, epsilon, alpha) = (0.1, 0.9, 0.999, 1e-8, 0.05)
        var model = OptimizerTests.model(.adam, alpha: alpha)
        var theta = OptimizerTests.network().parameters.map(Double.init)
        var m = [Double](repeating: 0, count: theta.count), v = m
        for step in 1...2 {
            let g = OptimizerTests.gradient(Network(layerSizes: [3, 4, 2], hiddenActivation: .tanh,
                                                    loss: .softmaxCrossEntropy, parameters: theta.map(Float.init)),
                                            alpha: alpha)
            let rate = eta * (1 - pow(beta2, Double(step))).squareRoot() / (1 - pow(beta1, Double(step)))
            for k in theta.indices {
                m[k] = beta1 * m[k] + (1 - beta1) * g[k]
                v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k]
                theta[k] -= rate * m[k] / (v[k].squareRoot() + epsilon)
            }
            try model.partialFit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        }
        let trained = model.network!.parameters
        for k in theta.indices {
            #expect(isClose(Double(trained[k]), theta[k], absolute: 2e-5, relative: 1e-4), "parameter \(k)")
        }
    }

    @Test(arguments: [false, true])
    func twoSGDMomentumStepsMatchTheClosedForm(nesterov: Bool) throws {
        let (eta, mu, alpha) = (0.1, 0.9, 0.02)
        var model = OptimizerTests.model(.sgd, alpha: alpha) { $0.nesterov = nesterov; $0.momentum = mu }
        var theta = OptimizerTests.network().parameters.map(Double.init)
        var velocity = [Double](repeating: 0, count: theta.count)
        for _ in 1...2 {
            let g = OptimizerTests.gradient(Network(layerSizes: [3, 4, 2], hiddenActivation: .tanh,
                                                    loss: .softmaxCrossEntropy, parameters: theta.map(Float.init)),
                                            alpha: alpha)
            for k in theta.indices {
                velocity[k] = mu * velocity[k] - eta * g[k]
                theta[k] += nesterov ? mu * velocity[k] - eta * g[k] : velocity[k]
            }
            try model.partialFit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        }
        let trained = model.network!.parameters
        for k in theta.indices {
            #expect(isClose(Double(trained[k]), theta[k], absolute: 1e-6, relative: 1e-5), "parameter \(k)")
        }
    }

    @Test func constantAndInverseScalingSchedules() throws {
        var constant = OptimizerTests.model(.sgd, alpha: 0) { $0.maxEpochs = 4; $0.tolerance = 0; $0.epochsWithoutImprovement = 10 }
        try constant.fit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        #expect(constant.history.learningRates == [0.1, 0.1, 0.1, 0.1])

        var inverse = OptimizerTests.model(.sgd, alpha: 0) {
            $0.maxEpochs = 4; $0.learningRateSchedule = .inverseScaling; $0.powerT = 0.5
        }
        try inverse.fit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        // η after e epochs of 6 samples: 0.1 / (6e + 1)^0.5.
        let expected = [0.1] + (1...3).map { 0.1 / pow(Double(6 * $0 + 1), 0.5) }
        for (actual, wanted) in zip(inverse.history.learningRates, expected) { #expect(isClose(actual, wanted, relative: 1e-12)) }
    }

    /// With a tolerance no epoch can meet, every epoch after the first fails to improve: the
    /// adaptive schedule divides η by 5 after every second such epoch.
    @Test func adaptiveScheduleDividesByFiveAfterTwoBadEpochs() throws {
        var model = OptimizerTests.model(.sgd, alpha: 0) {
            $0.maxEpochs = 7; $0.learningRateSchedule = .adaptive; $0.tolerance = 1e9
        }
        try model.fit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        let expected = [0.1, 0.1, 0.1, 0.02, 0.02, 0.004, 0.004]
        #expect(model.history.learningRates.count == 7)
        for (actual, wanted) in zip(model.history.learningRates, expected) { #expect(isClose(actual, wanted, relative: 1e-12)) }
        #expect(model.history.stopReason == .maxEpochs)
    }

    @Test func noImprovementStopsAfterMoreThanTheAllowedEpochs() throws {
        var model = OptimizerTests.model(.sgd, alpha: 0) {
            $0.maxEpochs = 50; $0.tolerance = 1e9; $0.epochsWithoutImprovement = 3
        }
        try model.fit(OptimizerTests.inputs, labels: OptimizerTests.labels)
        // Epoch 1 sets the best loss; epochs 2…5 fail; the count 4 > 3 stops after epoch 5.
        #expect(model.history.epochsRun == 5)
        #expect(model.history.stopReason == .noImprovement)
    }
}
