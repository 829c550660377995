import Datasets
import LinearAlgebra
import NeuralNetwork
import MLPCore

/// Section C5: C2's relu classifier trained on the 32-dimensional bottleneck codes of the C4
/// autoencoders, against the same classifier on raw pixels, with a confusion matrix.
///
/// ``run(_:data:autoencoders:raw:configuration:)`` trains the classifiers (the ``Fits``) and
/// returns the ``Results``; ``render(_:context:)`` turns them into the section.
public enum FeaturesSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "features"

    /// The settings of section C5.
    public struct Configuration: SectionConfiguration, Codable {
        /// C2's classifier, trained with relu on the codes.
        public var classifier = ActivationsSection.Configuration()

        public init() {}

        /// C2's classifier with its defaults (fewer epochs for `--quick`).
        public mutating func makeQuick() { classifier.makeQuick() }
    }

    /// The classifier on one autoencoder's codes, beside C2's classifier on raw pixels.
    public struct ModelResult: Sendable, Codable {
        /// The autoencoder's hidden activation.
        public var activation: Activation
        /// The classifier on the codes; its test accuracy is nil without predictions.
        public var summary: ClassifierSummary
        /// Its predictions for the test rows (empty when training diverged).
        public var predictions: [Int]
        /// C2's classifier with the same activation (else relu) on raw pixels.
        public var rawValidationAccuracy: Double, rawTestAccuracy: Double
    }

    /// The autoencoders whose codes C5 classifies: C4's relu and identity autoencoders at its
    /// default learning rate (``AutoencoderSection/Results/encoders``, or models saved by an
    /// earlier run that `mlp reproduce --resume` continues).
    public struct Encoders: Sendable {
        public var relu: Autoencoder
        public var identity: Autoencoder
        /// The learning rate both were trained with.
        public var learningRate: Double

        public init(relu: Autoencoder, identity: Autoencoder, learningRate: Double) {
            self.relu = relu
            self.identity = identity
            self.learningRate = learningRate
        }
    }

    /// What section C5 trained.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// The split, in words.
        public var splitDescription: String
        /// The autoencoders' learning rate and the width of their codes.
        public var autoencoderLearningRate: Double, codeWidth: Int
        /// The relu autoencoder's codes first, then the identity one's.
        public var models: [ModelResult]
        /// The model with the best validation accuracy among those with predictions, or nil.
        public var best: ModelResult?
        /// Its validation accuracy; −1 without one.
        public var bestValidationAccuracy: Double
        /// The best model's confusion matrix on the test rows.
        public var confusion: ConfusionMatrix?
        public var classNames: [String]
        public var testCount: Int
        /// Seconds the section's run took.
        public var seconds: Double
    }

    /// Trains C2's classifier on the codes of C4's autoencoders, compares with C2's raw-pixel accuracies.
    public static func run(
        _ context: ExperimentContext, data: FashionData, autoencoders: AutoencoderSection.Results,
        raw: ActivationsSection.Results, configuration: Configuration? = nil
    ) throws -> Results {
        try run(context, data: data, encoders: autoencoders.encoders, raw: raw, configuration: configuration)
    }

    /// Trains C2's classifier on the codes of `encoders`, compares with C2's raw-pixel accuracies.
    public static func run(
        _ context: ExperimentContext, data: FashionData, encoders: Encoders, raw: ActivationsSection.Results,
        configuration: Configuration? = nil
    ) throws -> Results {
        let started = MonotonicClock.seconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let fits = Fits(context: context, configuration: configuration, data: data, encoders: encoders, raw: raw)
        let models = try WorkRunner().run(fits)
        let (best, bestValidationAccuracy) = best(of: models)
        let classNames = fits.parts.test.classNames
        let encoder = encoders.relu
        return Results(
            configuration: configuration, splitDescription: data.splitDescription,
            autoencoderLearningRate: encoders.learningRate,
            codeWidth: encoder.network?.layerSizes[encoder.bottleneckLayer + 1] ?? 32, models: models, best: best,
            bestValidationAccuracy: bestValidationAccuracy,
            confusion: best.map { ConfusionMatrix(expected: fits.parts.testLabels, predicted: $0.predictions, classCount: classNames.count) },
            classNames: classNames, testCount: fits.parts.test.sampleCount, seconds: MonotonicClock.seconds() - started)
    }

    /// The first model with the highest validation accuracy among those with predictions, and that
    /// accuracy (−1 when there is none).
    static func best(of models: [ModelResult]) -> (model: ModelResult?, validationAccuracy: Double) {
        var best: ModelResult?
        var accuracy = -1.0
        for model in models where model.summary.validationAccuracy > accuracy && !model.predictions.isEmpty {
            best = model
            accuracy = model.summary.validationAccuracy
        }
        return (best, accuracy)
    }

    /// Codes standardised with the training codes' mean and standard deviation.
    static func standardized(_ matrices: [Matrix]) -> [Matrix] {
        guard let training = matrices.first, training.rows > 0 else { return matrices }
        let means = training.columnMeans()
        var deviations = [Float](repeating: 0, count: training.columns)
        for row in 0..<training.rows {
            for column in 0..<training.columns {
                let difference = training[row, column] - means[column]
                deviations[column] += difference * difference
            }
        }
        deviations = deviations.map { max(($0 / Float(training.rows)).squareRoot(), 1e-6) }
        return matrices.map { matrix in
            var copy = matrix
            for row in 0..<copy.rows {
                for column in 0..<copy.columns { copy[row, column] = (copy[row, column] - means[column]) / deviations[column] }
            }
            return copy
        }
    }
}
