import Datasets
import LinearAlgebra
import NeuralNetwork
import MLPCore

/// Section C4: 784-512-128-32-128-512-784 autoencoders with relu and with identity hidden
/// activations, against the PCA floor of 32 linear components.
///
/// ``run(_:data:configuration:)`` fits PCA and trains the autoencoders (the ``Fits``) and returns
/// the ``Results``, whose autoencoders C5 uses; ``render(_:context:)`` turns them into the section.
public enum AutoencoderSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "autoencoder"

    /// The settings of section C4.
    public struct Configuration: SectionConfiguration, Codable {
        public var hiddenLayerSizes = [512, 128, 32, 128, 512]
        public var learningRate = 1e-3
        public var maxEpochs = 100
        public var batchSize = 200
        /// Also train both autoencoders at the original's learning rate 2e-5 (as `mlp reproduce` does).
        public var includeOriginalRate = false
        public var originalLearningRate = 2e-5
        /// Training stops after this many epochs plus one without a lower validation loss, and
        /// the parameters of the best validation epoch are kept. Near the floor, Adam at 1e-3 now
        /// and then takes a step that throws the linear autoencoder far back up (its loss spiked
        /// from 0.0154 to 0.48 at epoch 52 and took 40 epochs to return); stopping on a plateau of
        /// the training loss then kept the spoiled weights.
        public var patience = 10

        public init() {}

        public mutating func makeQuick() { maxEpochs = 3 }

        /// The bottleneck width.
        public var codeSize: Int { hiddenLayerSizes.min() ?? 0 }

        /// The learning rates trained: the default, then the original's when included and different.
        public var learningRates: [Double] {
            includeOriginalRate && originalLearningRate != learningRate ? [learningRate, originalLearningRate] : [learningRate]
        }

        /// The engine's configuration: identity outputs, squared error as the mean over every
        /// pixel (so the loss is the per-pixel MSE that PCA's floor is stated in), Adam, no L2
        /// penalty (it would keep the linear autoencoder off the PCA floor), and early stopping on
        /// the validation loss: any decrease counts (tolerance 0), training ends after
        /// `patience + 1` epochs without one, and the best epoch's parameters are restored.
        public func training(_ activation: Activation, learningRate: Double, seed: UInt64, threads: Int) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: hiddenLayerSizes, activation: activation, initialization: .sklearn, optimizer: .adam,
                learningRateInit: learningRate, batchSize: batchSize, maxEpochs: maxEpochs, alpha: 0, seed: seed, threads: threads)
            configuration.squaredErrorConvention = .meanOverElements
            configuration.tolerance = 0
            configuration.earlyStopping = true
            configuration.epochsWithoutImprovement = patience
            return configuration
        }
    }

    /// Mean squared errors per pixel on the three parts of the split.
    public struct ReconstructionErrors: Sendable, Codable, Equatable {
        public var training: Double
        public var validation: Double
        /// On the held-out test rows, which played no part in training or stopping.
        public var test: Double
    }

    /// One trained autoencoder and its errors.
    public struct ModelResult: Sendable {
        /// "relu, lr 0.001".
        public var name: String
        public var activation: Activation
        public var learningRate: Double
        public var model: Autoencoder
        public var errors: ReconstructionErrors
        public var seconds: Double

        /// The epoch whose parameters were kept (the best validation epoch), 1-based.
        public var keptEpoch: Int { model.history.bestValidationEpoch ?? model.history.epochsRun }
    }

    /// What section C4 trained and measured.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// The split, in words.
        public var splitDescription: String
        public var trainingCount: Int, testCount: Int
        /// Every autoencoder, learning rate by learning rate, relu before identity.
        public var models: [ModelResult]
        /// The relu and the identity autoencoder at the default learning rate (C5 uses their codes).
        public var relu: ModelResult, identity: ModelResult
        /// PCA with ``Configuration/codeSize`` components, and its errors (the floor).
        public var pca: PCABaseline
        public var pcaErrors: ReconstructionErrors
        /// The first (up to) 10 test rows: the originals, then their reconstructions by the relu
        /// autoencoder, the identity autoencoder and PCA.
        public var reconstructions: [Matrix]
        /// Seconds the section's run took.
        public var seconds: Double

        /// The relu and the identity autoencoder at the default learning rate, whose codes C5 classifies.
        public var encoders: FeaturesSection.Encoders {
            FeaturesSection.Encoders(relu: relu.model, identity: identity.model, learningRate: relu.learningRate)
        }
    }

    /// Fits PCA, trains the autoencoders and reconstructs the first test images.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration? = nil) throws -> Results {
        let started = MonotonicClock.seconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let fits = Fits(context: context, configuration: configuration, data: data)
        context.log("autoencoder: PCA baseline")
        let pca = try PCABaseline(fitting: fits.trainingMatrix, components: configuration.codeSize)
        let pcaErrors = fits.errors { pca.reconstruct($0) }
        let models = try WorkRunner().run(fits)
        guard let relu = models.first(where: { $0.activation == .relu }),
              let identity = models.first(where: { $0.activation == .identity }) else {
            preconditionFailure("both autoencoders run at the default rate")
        }
        let test = fits.parts.test
        let originals = test.featureMatrix(of: Array(0..<min(10, test.sampleCount)))
        return Results(
            configuration: configuration, splitDescription: data.splitDescription, trainingCount: fits.parts.training.sampleCount,
            testCount: test.sampleCount, models: models, relu: relu, identity: identity, pca: pca, pcaErrors: pcaErrors,
            reconstructions: [originals, relu.model.reconstruct(originals), identity.model.reconstruct(originals),
                              pca.reconstruct(originals)],
            seconds: MonotonicClock.seconds() - started)
    }
}
