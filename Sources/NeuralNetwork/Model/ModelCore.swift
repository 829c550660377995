import LinearAlgebra
import MLPCore

/// What the three models share (see ``NeuralNetworkModel``): the configuration, the network, the
/// input scaling, the history and the state that `partialFit` carries between calls, and the fit
/// procedure itself. Its members are internal to this module.
public struct ModelCore: Sendable {
    var configuration: TrainingConfiguration
    var network: Network?
    var inputScaling: InputScaling
    var history = TrainingHistory()
    var state: TrainerState?
    /// The processes that train together (one by default); not saved with the model.
    var communicator: any Communicator = SingleProcessCommunicator.shared

    init(configuration: TrainingConfiguration, network: Network? = nil, inputScaling: InputScaling) {
        self.configuration = configuration
        self.network = network
        self.inputScaling = inputScaling
    }

    /// What one fit call trains on.
    struct Request {
        var features: any FeatureSource
        var targets: TrainingTargets
        var outputCount: Int
        var loss: LossFunction
        /// An explicit validation set (all of its samples).
        var validation: TrainingSet?
        /// The class of each sample, to stratify an early-stopping split.
        var stratifyBy: [Int32]?
        var score: ValidationScore
        var isPartialFit: Bool
    }

    /// Trains on `request` after dropping the network when `discardingNetwork` (a `fit` that
    /// must not warm-start). On any error the model is left as it was, network included.
    mutating func train(
        _ request: Request, discardingNetwork: Bool, progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        var candidate = self
        if discardingNetwork { candidate.network = nil }
        try candidate.train(request, progress: progress)
        self = candidate
    }

    /// Trains on `request`. On any error the model is left as it was.
    ///
    /// `fit` (re)initialises the network unless `warmStart` keeps a network of the same shape,
    /// and always starts a fresh optimiser and history (as scikit-learn does); `partialFit` keeps
    /// all three and runs one epoch without early stopping.
    mutating func train(_ request: Request, progress: ((EpochReport) -> Void)?) throws(NeuralNetworkError) {
        try configuration.validate()
        let sampleCount = request.features.sampleCount
        let featureCount = request.features.featureCount
        guard sampleCount > 0 else { throw .invalidData("the training data has no samples") }
        guard featureCount > 0 else { throw .invalidData("the training samples have no features") }
        if let validation = request.validation {
            guard validation.features.featureCount == featureCount else {
                throw .invalidData("validation samples have \(validation.features.featureCount) features, training samples \(featureCount)")
            }
            guard !validation.indices.isEmpty else { throw .invalidData("the validation data has no samples") }
        }
        let layerSizes = [featureCount] + configuration.hiddenLayerSizes + [request.outputCount]

        var root = SeededGenerator(seed: configuration.seed)
        var initGenerator = root.split()
        var splitGenerator = root.split()
        let shuffleGenerator = root.split()

        let keepsNetwork = (request.isPartialFit || configuration.warmStart) && network?.layerSizes == layerSizes
            && network?.hiddenActivation == configuration.activation && network?.loss == request.loss
        if request.isPartialFit, let network, !keepsNetwork {
            throw .invalidData("partialFit data gives layer sizes \(layerSizes), the model has \(network.layerSizes)")
        }
        var startNetwork = keepsNetwork ? network! : Network(
            layerSizes: layerSizes, hiddenActivation: configuration.activation, loss: request.loss,
            initialization: configuration.initialization, initScale: configuration.initScale, using: &initGenerator)
        if communicator.size > 1 {
            try agreeAcrossRanks(on: request)
            try broadcastParameters(of: &startNetwork)
        }
        var newState = request.isPartialFit && keepsNetwork ? state : nil
        if newState?.optimizer.firstMoment.count != startNetwork.parameterCount
            || newState?.optimizer.optimizer != configuration.optimizer {
            newState = TrainerState(configuration: configuration, parameterCount: startNetwork.parameterCount,
                                    shuffleGenerator: shuffleGenerator)
        }
        var trainerState = newState!
        var newHistory = keepsNetwork ? history : TrainingHistory()
        newHistory.blasConfiguration = BLAS.configuration

        var training = TrainingSet(features: request.features, targets: request.targets)
        var validation = request.validation
        let earlyStopping = configuration.earlyStopping && !request.isPartialFit
        if earlyStopping && validation == nil {
            let split = try TrainingSet.split(
                sampleCount: sampleCount, fraction: configuration.validationFraction,
                classes: request.stratifyBy, using: &splitGenerator)
            training.indices = split.training
            validation = TrainingSet(features: request.features, targets: request.targets, indices: split.validation)
        }

        let batchCapacity = Swift.min(configuration.batchSize, training.indices.count)
        let trainer = Trainer(
            network: startNetwork, configuration: configuration, optimizerState: trainerState.optimizer,
            batchCapacity: batchCapacity, keepsBestParameters: earlyStopping, communicator: communicator)
        let options = EpochOptions(
            maxEpochs: request.isPartialFit ? 1 : configuration.maxEpochs, earlyStopping: earlyStopping,
            isPartialFit: request.isPartialFit, score: request.score)
        try BLAS.withThreadCount(configuration.blasThreadCount) { () throws(NeuralNetworkError) in
            try trainer.train(training, validation: validation, options: options,
                              history: &newHistory, state: &trainerState, progress: progress)
        }

        var trained = startNetwork
        trained.setParameters(trainer.parameterArray())
        trainerState.optimizer = trainer.optimizer.state
        network = trained
        history = newHistory
        state = trainerState
    }

    /// Checks that every rank trains the same configuration (with the same resolved thread count)
    /// on the same data, as DDP checks its processes' parameters: a difference would make the
    /// ranks' gradients meaningless to add.
    private func agreeAcrossRanks(on request: Request) throws(NeuralNetworkError) {
        var settings = configuration
        settings.threads = configuration.resolvedThreadCount
        let data = DataFingerprint(features: request.features, targets: request.targets)
        let claim = [ModelFile.json(settings), data.description, data.sha256]
        let lines: [[Substring]]
        do {
            lines = try communicator.allgather(variable: Array(claim.joined(separator: "\n").utf8))
                .map { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) }
        } catch {
            throw .distributed(error.message)
        }
        for (rank, theirs) in lines.enumerated() where theirs != lines[0] {
            if theirs.first != lines[0].first {
                throw .distributed("rank \(rank)'s training configuration differs from rank 0's; every rank must run the same options")
            }
            throw .distributed("rank \(rank)'s training data differs from rank 0's (\(theirs.dropFirst().first ?? "") against "
                               + "\(lines[0].dropFirst().first ?? "")); every rank must train on the same data")
        }
    }

    /// Rank 0's initial parameters on every rank (they are equal already, since the seed is, but
    /// a run then depends on rank 0 alone, as DDP's).
    private func broadcastParameters(of network: inout Network) throws(NeuralNetworkError) {
        var parameters = network.parameters
        do { try communicator.broadcast(&parameters, from: 0) } catch { throw .distributed(error.message) }
        network.setParameters(parameters)
    }

    /// The fitted network; calling a prediction before `fit` is a programmer's error.
    func fitted(_ operation: String) -> Network {
        guard let network else { preconditionFailure("\(operation) needs a fitted model: call fit or partialFit first") }
        return network
    }
}
