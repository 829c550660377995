import LinearAlgebra
import MLPCore

/// A multilayer-perceptron regressor (scikit-learn's `MLPRegressor`): hidden layers with the
/// configured activation, identity outputs and the squared error of
/// ``TrainingConfiguration/squaredErrorConvention`` (scikit-learn's `½ · mean Σⱼ (ŷ − y)²` by default).
public struct MLPRegressor: NeuralNetworkModel {
    public var core: ModelCore
    /// This regressor as the kind a model file holds.
    public var savedModel: SavedModel { .regressor(self) }
    public static let kind = ModelKind.regressor

    /// An unfitted regressor.
    /// A model around `core` (a checkpoint's).
    init(core: ModelCore) {
        self.core = core
    }

    public init(configuration: TrainingConfiguration = TrainingConfiguration()) {
        core = ModelCore(configuration: configuration, inputScaling: .none)
    }

    /// A regressor around an existing squared-error network.
    public init(network: Network, configuration: TrainingConfiguration = TrainingConfiguration()) {
        guard case .squaredError = network.loss else {
            preconditionFailure("a regressor needs a squared-error network, got \(network.loss.name)")
        }
        core = ModelCore(configuration: configuration, network: network, inputScaling: .none)
    }

    /// Trains from scratch (or from the current weights with `warmStart`) on `targets`, one row
    /// per sample. With `sampleWeights` (one per sample; see ``SampleWeights``), each sample's
    /// squared error counts that many times. With `validation`, its loss and R² are recorded after
    /// every epoch; with `earlyStopping` it replaces the held-out fraction, and R² is the stopping score.
    /// - Throws: ``NeuralNetworkError`` for an invalid configuration or data, or divergence.
    public mutating func fit(
        _ features: some FeatureSource, targets: some FeatureSource, sampleWeights: [Float]? = nil,
        validation: (features: any FeatureSource, targets: any FeatureSource)? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        try train(features, targets: targets, sampleWeights: sampleWeights, validation: validation, partial: false,
                  progress: progress)
    }

    /// Trains on one target value per sample.
    public mutating func fit(
        _ features: some FeatureSource, targets: [Float], sampleWeights: [Float]? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        try fit(features, targets: Matrix(rows: targets.count, columns: 1, elements: targets), sampleWeights: sampleWeights,
                progress: progress)
    }

    /// One epoch, continuing from the current weights and optimiser state.
    public mutating func partialFit(
        _ features: some FeatureSource, targets: some FeatureSource, sampleWeights: [Float]? = nil,
        validation: (features: any FeatureSource, targets: any FeatureSource)? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        try train(features, targets: targets, sampleWeights: sampleWeights, validation: validation, partial: true,
                  progress: progress)
    }

    private mutating func train(
        _ features: some FeatureSource, targets: some FeatureSource, sampleWeights: [Float]?,
        validation: (features: any FeatureSource, targets: any FeatureSource)?, partial: Bool,
        progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        guard targets.sampleCount == features.sampleCount else {
            throw .invalidData("\(targets.sampleCount) target rows for \(features.sampleCount) samples")
        }
        guard targets.featureCount > 0 else { throw .invalidData("the targets have no columns") }
        var validationSet: TrainingSet?
        if let validation {
            guard validation.targets.sampleCount == validation.features.sampleCount,
                  validation.targets.featureCount == targets.featureCount else {
                throw .invalidData("validation targets are \(validation.targets.sampleCount)×\(validation.targets.featureCount) "
                    + "for \(validation.features.sampleCount) samples; training targets have \(targets.featureCount) columns")
            }
            validationSet = TrainingSet(features: validation.features, targets: .values(validation.targets))
        }
        try core.train(
            ModelCore.Request(
                features: features, targets: .values(targets), sampleWeights: sampleWeights, outputCount: targets.featureCount,
                loss: .squaredError(configuration.squaredErrorConvention), validation: validationSet,
                stratifyBy: nil, score: .rSquared, isPartialFit: partial, model: { core in .regressor(MLPRegressor(core: core)) }),
            discardingNetwork: !partial && !configuration.warmStart, progress: progress)
    }

    /// The predicted values (`n × outputs`).
    public func predict(_ features: some FeatureSource) -> Matrix {
        core.fitted("predict").outputs(for: features)
    }

    /// R² of the predictions against `targets`, averaged over the outputs.
    public func score(_ features: some FeatureSource, targets: Matrix) -> Double {
        Metrics.rSquared(predicted: predict(features), expected: targets)
    }
}
