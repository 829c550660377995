import Datasets
import NeuralNetwork
import MLPCore

/// Section C2: one Fashion-MNIST classifier per activation (logistic, tanh, relu, identity).
///
/// ``run(_:data:configuration:)`` trains the classifiers (the ``Fits``) and returns the
/// ``Results``, which C5 compares with; ``render(_:context:)`` turns them into the section.
public enum ActivationsSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "activations"

    /// The settings of section C2.
    public struct Configuration: SectionConfiguration, Codable {
        public var activations: [Activation] = [.sigmoid, .tanh, .relu, .identity]
        public var hiddenLayerSizes = [128, 64]
        public var learningRate = 0.002
        public var batchSize = 256
        public var maxEpochs = 100
        /// Epochs without a validation gain of 1e-4 before stopping (scikit-learn's `n_iter_no_change`).
        public var patience = 10

        public init() {}

        public mutating func makeQuick() { maxEpochs = 3 }

        /// The engine's configuration for one activation.
        public func training(_ activation: Activation, seed: UInt64, threads: Int) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: hiddenLayerSizes, activation: activation, optimizer: .adam,
                learningRateInit: learningRate, batchSize: batchSize, maxEpochs: maxEpochs, seed: seed, threads: threads)
            configuration.earlyStopping = true
            configuration.epochsWithoutImprovement = patience
            return configuration
        }
    }

    /// One activation's classifier on raw pixels.
    public struct ModelResult: Sendable, Codable {
        public var activation: Activation
        public var summary: ClassifierSummary
    }

    /// What section C2 trained. `mlp reproduce` saves it for C5 (see ``Reproduction``).
    public struct Results: Sendable, Codable {
        public var configuration: Configuration
        /// The split, in words.
        public var splitDescription: String
        /// One classifier per activation, in the configuration's order.
        public var models: [ModelResult]
        /// Seconds the section's run took.
        public var seconds: Double

        /// The classifier of `activation` (the last, should one be listed twice), or nil.
        public func model(_ activation: Activation) -> ModelResult? { models.last { $0.activation == activation } }
        /// The validation accuracy of `activation`'s classifier at its kept epoch, or nil without one.
        public func validationAccuracy(of activation: Activation) -> Double? { model(activation)?.summary.validationAccuracy }
        /// The test accuracy of `activation`'s classifier (NaN when it diverged), or nil without one.
        public func testAccuracy(of activation: Activation) -> Double? { model(activation).map { $0.summary.testAccuracy ?? .nan } }
    }

    static let labels: [Activation: String] = [.sigmoid: "logistic", .tanh: "tanh", .relu: "relu", .identity: "identity"]
    /// scikit-learn's name of an activation ("logistic" for the sigmoid).
    static func label(_ activation: Activation) -> String { labels[activation] ?? activation.name }

    /// Trains section C2's classifiers.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration? = nil) throws -> Results {
        let started = MonotonicClock.seconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let models = try WorkRunner().run(Fits(context: context, configuration: configuration, data: data))
        return Results(configuration: configuration, splitDescription: data.splitDescription, models: models,
                       seconds: MonotonicClock.seconds() - started)
    }
}
