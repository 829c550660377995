import MLPCore

/// What the classifier, the regressor and the autoencoder share: a configuration for the next
/// `fit`, the trained network, the history of its training, and how raw inputs are scaled.
///
/// Their common state lives in one ``ModelCore`` value, whose members are internal to this
/// module; the conforming models add what their task needs (a classifier's classes, an
/// autoencoder's bottleneck).
public protocol NeuralNetworkModel: Sendable {
    /// The state the models share (opaque outside this module).
    var core: ModelCore { get set }
    /// The kind of model this type is.
    static var kind: ModelKind { get }
    /// This model as one of the kinds a model file holds.
    var savedModel: SavedModel { get }
    /// An unfitted model that `fit` trains with `configuration`.
    init(configuration: TrainingConfiguration)
}

extension NeuralNetworkModel {
    /// The configuration used by the next `fit`.
    public var configuration: TrainingConfiguration {
        get { core.configuration }
        set { core.configuration = newValue }
    }

    /// How raw inputs are scaled before the network sees them, saved with the model (the
    /// classifier and the autoencoder default to `InputScaling.unitInterval` for pixels, the
    /// regressor to `InputScaling.none`).
    public var inputScaling: InputScaling {
        get { core.inputScaling }
        set { core.inputScaling = newValue }
    }

    /// The names of the input columns, when the model was trained on a table with a header row:
    /// `mlp predict` and `mlp evaluate` pick these columns, by name, from a table. Saved with the model.
    public var featureNames: [String]? {
        get { core.featureNames }
        set { core.featureNames = newValue }
    }

    /// The names of the target columns, when the model was trained on a table (a classifier's
    /// label column, a regressor's targets); `nil` for image data. Saved with the model.
    public var targetNames: [String]? {
        get { core.targetNames }
        set { core.targetNames = newValue }
    }

    /// The trained network, once fitted.
    public var network: Network? { core.network }

    /// The epochs of the last `fit` and any `partialFit` calls after it.
    public var history: TrainingHistory { core.history }

    /// Whether `fit` or `partialFit` has run.
    public var isFitted: Bool { core.network != nil }

    /// The processes that train this model together: ``SingleProcessCommunicator`` by default, or
    /// an MPI communicator (the `MessagePassing` module) for data-parallel training across
    /// processes and machines. Every rank calls `fit` with the same configuration and data; rank
    /// 0's initial weights are broadcast, each rank computes its share of every batch, and the
    /// gradients are summed as ``TrainingConfiguration/gradientReduction`` says. Not saved.
    public var communicator: any Communicator {
        get { core.communicator }
        set { core.communicator = newValue }
    }

    /// Writes the fitted model as one safetensors file, atomically (see ``SavedModel``'s format).
    /// - Throws: ``ModelFileError`` when the file cannot be written.
    public func save(to path: String) throws(ModelFileError) {
        try ModelFile.write(ModelFile.encode(savedModel), to: path)
    }

    /// Reads a model of this kind written by ``save(to:)``.
    /// - Throws: ``ModelFileError`` for a missing, truncated or corrupt file, or one that holds
    ///   another kind of model.
    public static func load(from path: String) throws(ModelFileError) -> Self {
        let saved = try SavedModel.load(from: path)
        guard let model = saved.model as? Self else {
            throw ModelFileError(path: path, problem: .invalid(.badMetadata(
                "the file holds \(saved.kind.withArticle), not \(Self.kind.withArticle)")))
        }
        return model
    }
}
