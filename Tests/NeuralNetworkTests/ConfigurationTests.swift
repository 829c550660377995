import Foundation
import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Names, validation and the initialisers' formulas.
@Suite struct ConfigurationTests {
    @Test func activationNamesParse() throws {
        #expect(try Activation(name: "sigmoid") == .sigmoid)
        #expect(try Activation(name: "logistic") == .sigmoid)
        #expect(try Activation(name: "TanH") == .tanh)
        #expect(try Activation(name: "relu") == .relu)
        #expect(try Activation(name: "leaky-relu") == .leakyReLU(slope: 0.01))
        #expect(try Activation(name: "leaky_relu(0.2)") == .leakyReLU(slope: 0.2))
        #expect(try Activation(name: "identity") == .identity)
        #expect(throws: NeuralNetworkError.self) { try Activation(name: "leaky-relu(-0.1)") }
        for activation in [Activation.sigmoid, .tanh, .relu, .leakyReLU, .leakyReLU(slope: 0.3), .identity] {
            #expect(try Activation(name: activation.name) == activation)
        }
    }

    @Test func unknownNamesListTheValidChoices() {
        do {
            _ = try Activation(name: "swish")
            Issue.record("swish parsed")
        } catch {
            #expect(error.description == "unknown activation 'swish'; valid choices: sigmoid, logistic, tanh, relu, leaky-relu, identity")
        }
        #expect(throws: NeuralNetworkError.self) { try Initialization(name: "lecun") }
        #expect(throws: NeuralNetworkError.self) { try Optimizer(name: "rmsprop") }
        #expect(throws: NeuralNetworkError.self) { try LearningRateSchedule(name: "cyclic") }
        #expect(throws: NeuralNetworkError.self) { try Parallelism(name: "gpu") }
    }

    @Test func otherNamesParse() throws {
        #expect(try Initialization(name: "glorot-uniform") == .xavierUniform)
        #expect(try Initialization(name: "he_normal") == .heNormal)
        #expect(try Initialization(name: "sklearn") == .sklearn)
        #expect(try Optimizer(name: "SGD") == .sgd)
        #expect(try LearningRateSchedule(name: "invscaling") == .inverseScaling)
        #expect(try LearningRateSchedule(name: "adaptive") == .adaptive)
        #expect(try LossFunction(name: "squared-error(mean-over-samples)") == .squaredError(.meanOverSamples))
        for initialization in Initialization.allCases { #expect(try Initialization(name: initialization.rawValue) == initialization) }
    }

    @Test func invalidConfigurationsAreOneLineTypedErrors() {
        var configuration = TrainingConfiguration()
        configuration.learningRateInit = -0.1
        do {
            try configuration.validate()
            Issue.record("a negative learning rate validated")
        } catch {
            #expect(error == .invalidConfiguration(parameter: "learningRateInit", value: "-0.1",
                                                   requirement: "must be positive and finite"))
            #expect(!error.description.contains("\n"))
        }
        let broken: [(inout TrainingConfiguration) -> Void] = [
            { $0.hiddenLayerSizes = [10, 0] }, { $0.batchSize = 0 }, { $0.momentum = 1 }, { $0.beta2 = 1.5 },
            { $0.validationFraction = 1 }, { $0.alpha = -1 }, { $0.maxEpochs = 0 }, { $0.gradientClipNorm = 0 },
            { $0.threads = -1 }, { $0.initScale = -2 }, { $0.activation = .leakyReLU(slope: -1) },
        ]
        for breakIt in broken {
            var bad = TrainingConfiguration()
            breakIt(&bad)
            #expect(throws: NeuralNetworkError.self) { try bad.validate() }
            var model = MLPClassifier(configuration: bad)
            #expect(throws: NeuralNetworkError.self) { try model.fit(TestData.xor.features, labels: TestData.xor.labels) }
        }
        #expect(throws: Never.self) { try TrainingConfiguration().validate() }
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        var configuration = TrainingConfiguration(hiddenLayerSizes: [256, 128], activation: .leakyReLU(slope: 0.2))
        configuration.learningRateSchedule = .adaptive
        configuration.gradientClipNorm = 5
        configuration.initScale = 0.05
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data) == configuration)
        // Missing fields keep their defaults.
        let partial = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(#"{"hiddenLayerSizes":[7]}"#.utf8))
        #expect(partial.hiddenLayerSizes == [7] && partial.learningRateInit == 0.001)
    }

    /// The sample moments of each scheme match its formula.
    @Test(arguments: Initialization.allCases)
    func initializationsFollowTheirFormulas(initialization: Initialization) {
        let (fanIn, fanOut) = (300, 200)
        for activation in [Activation.relu, .sigmoid] {
            var generator = SeededGenerator(seed: 3)
            let network = Network(layerSizes: [fanIn, fanOut], hiddenActivation: activation, loss: .meanSquaredError,
                                  initialization: initialization, initScale: nil, using: &generator)
            let weights = network.weights(ofLayer: 0).elements.map(Double.init)
            let bias = network.bias(ofLayer: 0).map(Double.init)
            let mean = weights.reduce(0, +) / Double(weights.count)
            let deviation = (weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(weights.count)).squareRoot()
            let largest = weights.map(abs).max() ?? 0
            let sigma0 = Double(Initialization.standardDeviation(for: activation, fanIn: fanIn, fanOut: fanOut))
            let expectedDeviation: Double
            var limit: Double?
            switch initialization {
            case .zero: expectedDeviation = 0
            case .uniform: limit = 3.0.squareRoot() * sigma0; expectedDeviation = sigma0
            case .normal: expectedDeviation = sigma0
            case .xavierUniform: limit = (6.0 / Double(fanIn + fanOut)).squareRoot(); expectedDeviation = limit! / 3.0.squareRoot()
            case .xavierNormal: expectedDeviation = (2.0 / Double(fanIn + fanOut)).squareRoot()
            case .heUniform: limit = (6.0 / Double(fanIn)).squareRoot(); expectedDeviation = limit! / 3.0.squareRoot()
            case .heNormal: expectedDeviation = (2.0 / Double(fanIn)).squareRoot()
            case .sklearn:
                limit = ((activation == .sigmoid ? 2.0 : 6.0) / Double(fanIn + fanOut)).squareRoot()
                expectedDeviation = limit! / 3.0.squareRoot()
            }
            #expect(abs(mean) < 0.05 * max(expectedDeviation, 1e-3))
            #expect(isClose(deviation, expectedDeviation, absolute: 1e-9, relative: 0.02), "\(initialization) \(activation)")
            if let limit { #expect(largest <= limit && largest > 0.99 * limit) }
            if initialization == .sklearn {
                #expect(bias.contains { $0 != 0 } && bias.allSatisfy { abs($0) <= limit! })
            } else {
                #expect(bias.allSatisfy { $0 == 0 })
            }
        }
        // An explicit scale overrides the default of uniform and normal.
        var generator = SeededGenerator(seed: 4)
        let scaled = Network(layerSizes: [100, 100], hiddenActivation: .relu, loss: .meanSquaredError,
                             initialization: .uniform, initScale: 0.5, using: &generator)
        #expect(scaled.parameters.map(abs).max()! <= 0.5)
    }

    @Test func varianceScalingPicksHeForRectifiers() {
        #expect(Initialization.varianceScaling(for: .relu) == .heNormal)
        #expect(Initialization.varianceScaling(for: .leakyReLU) == .heNormal)
        #expect(Initialization.varianceScaling(for: .tanh) == .xavierNormal)
        #expect(isClose(Double(Initialization.standardDeviation(for: .relu, fanIn: 50, fanOut: 10)), 0.2, relative: 1e-6))
        #expect(isClose(Double(Initialization.standardDeviation(for: .sigmoid, fanIn: 50, fanOut: 50)), 0.141_421_356, relative: 1e-6))
    }
}
