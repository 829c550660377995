import LinearAlgebra
import MLPCore

/// An autoencoder: a network trained to reproduce its input (`X → X`) through narrower hidden
/// layers, with identity outputs and the configured squared error. Any hidden layer's output,
/// typically the narrowest (the bottleneck), serves as learned features.
///
/// ```swift
/// var configuration = TrainingConfiguration(hiddenLayerSizes: [128, 32, 128], seed: 1)
/// var autoencoder = Autoencoder(configuration: configuration)
/// try autoencoder.fit(images)
/// let codes = autoencoder.features(of: images, layer: autoencoder.bottleneckLayer)  // n × 32
/// ```
public struct Autoencoder: NeuralNetworkModel {
    public var core: ModelCore
    /// This autoencoder as the kind a model file holds.
    public var savedModel: SavedModel { .autoencoder(self) }
    public static let kind = ModelKind.autoencoder

    /// An unfitted autoencoder.
    /// A model around `core` (a checkpoint's).
    init(core: ModelCore) {
        self.core = core
    }

    public init(configuration: TrainingConfiguration = TrainingConfiguration()) {
        core = ModelCore(configuration: configuration, inputScaling: .unitInterval)
    }

    /// An autoencoder around an existing squared-error network with as many outputs as inputs.
    public init(network: Network, configuration: TrainingConfiguration = TrainingConfiguration()) {
        precondition(network.inputCount == network.outputCount,
                     "an autoencoder's network maps \(network.inputCount) inputs to \(network.outputCount) outputs")
        guard case .squaredError = network.loss else {
            preconditionFailure("an autoencoder needs a squared-error network, got \(network.loss.name)")
        }
        core = ModelCore(configuration: configuration, network: network, inputScaling: .unitInterval)
    }

    /// The index of the narrowest hidden layer (the first of equals), for ``features(of:layer:)``.
    public var bottleneckLayer: Int {
        let sizes = core.network.map { Array($0.layerSizes.dropFirst().dropLast()) } ?? configuration.hiddenLayerSizes
        guard let smallest = sizes.min() else { return 0 }
        return sizes.firstIndex(of: smallest) ?? 0
    }

    /// Trains from scratch (or from the current weights with `warmStart`) to reproduce `features`.
    /// With `sampleWeights` (one per sample; see ``SampleWeights``), each sample's reconstruction
    /// error counts that many times. With `validation`, its reconstruction loss is recorded after
    /// every epoch (the stopping score is its negation, unweighted).
    /// - Throws: ``NeuralNetworkError`` for an invalid configuration or data, or divergence.
    public mutating func fit(
        _ features: some FeatureSource, sampleWeights: [Float]? = nil, validation: (any FeatureSource)? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        try train(features, sampleWeights: sampleWeights, validation: validation, partial: false, progress: progress)
    }

    /// One epoch, continuing from the current weights and optimiser state.
    public mutating func partialFit(
        _ features: some FeatureSource, validation: (any FeatureSource)? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        try train(features, sampleWeights: nil, validation: validation, partial: true, progress: progress)
    }

    private mutating func train(
        _ features: some FeatureSource, sampleWeights: [Float]?, validation: (any FeatureSource)?, partial: Bool,
        progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        guard !configuration.hiddenLayerSizes.isEmpty else {
            throw .invalidConfiguration(parameter: "hiddenLayerSizes", value: "[]",
                                        requirement: "an autoencoder needs at least one hidden layer")
        }
        let validationSet = validation.map { TrainingSet(features: $0, targets: .inputs) }
        try core.train(
            ModelCore.Request(
                features: features, targets: .inputs, sampleWeights: sampleWeights, outputCount: features.featureCount,
                loss: .squaredError(configuration.squaredErrorConvention), validation: validationSet,
                stratifyBy: nil, score: .negativeLoss, isPartialFit: partial, model: { core in .autoencoder(Autoencoder(core: core)) }),
            discardingNetwork: !partial && !configuration.warmStart, progress: progress)
    }

    /// The reconstruction of each sample (`n × features`).
    public func reconstruct(_ features: some FeatureSource) -> Matrix {
        core.fitted("reconstruct").outputs(for: features)
    }

    /// The output of hidden layer `layer` (0-based) for each sample, for example the bottleneck's
    /// codes with `layer: bottleneckLayer`.
    public func features(of input: some FeatureSource, layer: Int) -> Matrix {
        let network = core.fitted("features(of:layer:)")
        precondition(layer >= 0 && layer < network.layers.count - 1,
                     "hidden layer \(layer) is outside 0..<\(network.layers.count - 1)")
        return network.layerOutputs(for: input, layer: layer)
    }

    /// The mean reconstruction loss of `features` under the configured squared-error convention.
    public func reconstructionError(_ features: Matrix) -> Double {
        core.fitted("reconstructionError").evaluate(features, targets: .values(features)).loss
    }
}
