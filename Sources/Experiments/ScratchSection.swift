import Datasets
import NeuralNetwork
import MLPCore

/// Section B: twelve MNIST classifiers, {sigmoid, tanh, relu, leaky-relu} × {zero, random, normal}.
///
/// ``run(_:configuration:data:)`` trains the models (the ``Fits``) and returns the ``Results``;
/// ``render(_:context:)`` turns them into the section's tables, figure, text and goals.
public enum ScratchSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "scratch"

    /// The initialisations compared: zero, uniform ("random") and normal.
    public enum InitializationChoice: String, Sendable, Codable, CaseIterable {
        case zero, random, normal

        /// The engine's initialisation: `zero`, `uniform` in [−s, s], `normal` N(0, s²).
        public var initialization: Initialization {
            switch self {
            case .zero: return .zero
            case .random: return .uniform
            case .normal: return .normal
            }
        }
    }

    /// The settings of section B.
    public struct Configuration: SectionConfiguration, Codable {
        public var activations: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU]
        public var initializations: [InitializationChoice] = InitializationChoice.allCases
        public var hiddenLayerSizes = [256, 128, 64, 32]
        public var batchSize = 128
        public var learningRate = 1e-3
        /// The epoch cap; early stopping on the validation rows usually ends sooner.
        public var maxEpochs = 20
        /// Training stops after this many epochs plus one without a validation gain of 1e-4.
        public var patience = 3
        /// The scale `s` of the random and normal draws; nil is the variance-preserving one
        /// (He for the ReLU family, Xavier otherwise). 1 reproduces the original's unscaled draws.
        public var initScale: Float? = nil
        /// The fraction of the 60,000 training rows held out (seeded) for validation.
        public var validationFraction = 0.1
        /// Use only this many training rows (nil: all), for `--quick`.
        public var trainingLimit: Int? = nil
        /// Use only this many test rows (nil: all), for `--quick`.
        public var testLimit: Int? = nil

        public init() {}

        /// The defaults, shrunk for `--quick`: 2,000 training rows, 1,000 test rows, 2 epochs.
        public mutating func makeQuick() {
            maxEpochs = 2
            trainingLimit = 2_000
            testLimit = 1_000
        }

        /// The engine's configuration of one model: Adam, early stopping on the validation rows.
        public func training(
            _ activation: Activation, _ initialization: InitializationChoice, seed: UInt64, threads: Int
        ) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: hiddenLayerSizes, activation: activation, initialization: initialization.initialization,
                optimizer: .adam, learningRateInit: learningRate, batchSize: batchSize, maxEpochs: maxEpochs, seed: seed,
                threads: threads)
            configuration.initScale = initScale
            configuration.earlyStopping = true
            configuration.epochsWithoutImprovement = patience
            return configuration
        }
    }

    /// One of section B's models: what it scored, or the epoch in which it diverged.
    public struct ModelResult: Sendable, Codable {
        public var activation: Activation
        public var initialization: InitializationChoice
        public var summary: ClassifierSummary
    }

    /// What section B trained.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// Rows trained on, held out for validation, and tested on.
        public var trainingCount: Int, validationCount: Int, testCount: Int
        /// Every model, activation by activation, in the configuration's order.
        public var models: [ModelResult]
        /// Seconds the section's run took.
        public var seconds: Double
    }

    /// Loads MNIST through the context's locator.
    /// - Throws: the locator's `DatasetError` (one clear line) when MNIST is missing.
    public static func loadMNIST(_ context: ExperimentContext) throws(DatasetError) -> (training: Dataset, test: Dataset) {
        let location = try context.locator.locate(.mnist, explicitDirectory: context.mnistDirectory)
        return (try Dataset.load(.mnist, part: .training, from: location), try Dataset.load(.mnist, part: .test, from: location))
    }

    /// Trains section B's models on MNIST (loaded through the context when `data` is nil).
    public static func run(
        _ context: ExperimentContext, configuration: Configuration? = nil,
        data: (training: Dataset, test: Dataset)? = nil
    ) throws -> Results {
        let started = MonotonicClock.seconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let fits = try Fits(context: context, configuration: configuration, data: data ?? loadMNIST(context))
        let models = try WorkRunner().run(fits, across: context.communicator)
        return Results(configuration: configuration, trainingCount: fits.parts.training.sampleCount,
                       validationCount: fits.parts.validation.sampleCount, testCount: fits.parts.test.sampleCount,
                       models: models, seconds: MonotonicClock.seconds() - started)
    }
}
