import LinearAlgebra
import MLPCore

/// What the three models share (see ``NeuralNetworkModel``): the configuration, the network, the
/// input scaling, the history and the state that `partialFit` carries between calls, and the fit
/// procedure itself. Its members are internal to this module.
public struct ModelCore: Sendable {
    var configuration: TrainingConfiguration
    var network: Network?
    var inputScaling: InputScaling
    /// The names of the input columns, for a model trained on a table with a header row.
    var featureNames: [String]?
    /// The names of the target columns, for a model trained on a table (a classifier's one label
    /// column, a regressor's targets).
    var targetNames: [String]?
    var history = TrainingHistory()
    var state: TrainerState?
    /// The processes that train together (one by default); not saved with the model.
    var communicator: any Communicator = SingleProcessCommunicator.shared
    /// Where and how often `fit` writes checkpoints (none by default); not saved.
    var checkpointing: Checkpointing?
    /// Raised to stop a run after its current batch; not saved.
    var stopSignal: StopSignal?
    /// What the last run left besides the network and history, for a checkpoint; nil before
    /// training and in a model read from a model file.
    var resumePoint: ResumePoint?
    /// Whether the next `fit` continues ``resumePoint`` (a model made from a checkpoint) instead of
    /// starting over.
    var resumesNextFit = false

    init(configuration: TrainingConfiguration, network: Network? = nil, inputScaling: InputScaling) {
        self.configuration = configuration
        self.network = network
        self.inputScaling = inputScaling
    }

    /// What one fit call trains on.
    struct Request {
        var features: any FeatureSource
        var targets: TrainingTargets
        /// Each training sample's weight (validated by the model), or nil.
        var sampleWeights: [Float]? = nil
        var outputCount: Int
        var loss: LossFunction
        /// An explicit validation set (all of its samples).
        var validation: TrainingSet?
        /// The class of each sample, to stratify an early-stopping split.
        var stratifyBy: [Int32]?
        var score: ValidationScore
        var isPartialFit: Bool
        /// The model a checkpoint saves, given its core (a classifier adds its classes).
        var model: @Sendable (ModelCore) -> SavedModel
    }

    /// Trains on `request` after dropping the network when `discardingNetwork` (a `fit` that
    /// must not warm-start, unless it resumes a checkpoint). On any error the model is left as it
    /// was, network included.
    mutating func train(
        _ request: Request, discardingNetwork: Bool, progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        var candidate = self
        if discardingNetwork && !(resumesNextFit && !request.isPartialFit) { candidate.network = nil }
        try candidate.train(request, progress: progress)
        self = candidate
    }

    /// Trains on `request`. On any error the model is left as it was.
    ///
    /// `fit` (re)initialises the network unless `warmStart` keeps a network of the same shape,
    /// and always starts a fresh optimiser and history (as scikit-learn does), unless the model
    /// was made from a checkpoint, which it continues; `partialFit` keeps all three and runs one
    /// epoch without early stopping.
    mutating func train(_ request: Request, progress: ((EpochReport) -> Void)?) throws(NeuralNetworkError) {
        try configuration.validate()
        let sampleCount = request.features.sampleCount
        let featureCount = request.features.featureCount
        guard sampleCount > 0 else { throw .invalidData("the training data has no samples") }
        guard featureCount > 0 else { throw .invalidData("the training samples have no features") }
        if let weights = request.sampleWeights { try SampleWeights.validate(weights, sampleCount: sampleCount) }
        if let validation = request.validation {
            guard validation.features.featureCount == featureCount else {
                throw .invalidData("validation samples have \(validation.features.featureCount) features, training samples \(featureCount)")
            }
            guard !validation.indices.isEmpty else { throw .invalidData("the validation data has no samples") }
        }
        let layerSizes = [featureCount] + configuration.hiddenLayerSizes + [request.outputCount]
        try MemoryBudget.check(
            configuration.estimatedTrainingBytes(inputCount: featureCount, outputCount: request.outputCount,
                                                 batchRows: Swift.min(configuration.batchSize, sampleCount)),
            for: "training the \(layerSizes.map(String.init).joined(separator: "-")) network with \(configuration.resolvedThreadCount) threads",
            threads: configuration.resolvedThreadCount)

        var root = SeededGenerator(seed: configuration.seed)
        var initGenerator = root.split()
        var splitGenerator = root.split()
        let shuffleGenerator = root.split()

        let resuming = resumesNextFit && !request.isPartialFit ? resumePoint : nil
        let data = resuming != nil || checkpointing != nil || communicator.size > 1
            ? DataFingerprint(features: request.features, targets: request.targets, sampleWeights: request.sampleWeights) : nil
        let keepsNetwork = resuming != nil || (request.isPartialFit || configuration.warmStart) && network?.layerSizes == layerSizes
            && network?.hiddenActivation == configuration.activation && network?.loss == request.loss
        if request.isPartialFit, let network, !keepsNetwork {
            throw .invalidData("partialFit data gives layer sizes \(layerSizes), the model has \(network.layerSizes)")
        }
        var startNetwork = keepsNetwork ? network! : Network(
            layerSizes: layerSizes, hiddenActivation: configuration.activation, loss: request.loss,
            initialization: configuration.initialization, initScale: configuration.initScale, using: &initGenerator)
        if communicator.size > 1, let data { try agreeAcrossRanks(on: data, resuming: resuming) }
        if let resuming {
            try checkResume(resuming, data: data, layerSizes: layerSizes, loss: request.loss)
            startNetwork.setParameters(resuming.parameters)
        }
        if communicator.size > 1 { try broadcastParameters(of: &startNetwork) }
        var newState = resuming?.trainer ?? (request.isPartialFit && keepsNetwork ? state : nil)
        if newState?.optimizer.firstMoment.count != startNetwork.parameterCount
            || newState?.optimizer.optimizer != configuration.optimizer {
            newState = TrainerState(configuration: configuration, parameterCount: startNetwork.parameterCount,
                                    shuffleGenerator: shuffleGenerator)
        }
        var trainerState = newState!
        var newHistory = keepsNetwork ? history : TrainingHistory()
        newHistory.blasConfiguration = BLAS.configuration
        newHistory.kernelPath = Kernels.activePath.rawValue

        var training = TrainingSet(features: request.features, targets: request.targets, sampleWeights: request.sampleWeights)
        var validation = request.validation
        let earlyStopping = configuration.earlyStopping && !request.isPartialFit
        if earlyStopping && validation == nil {
            let split = try TrainingSet.split(
                sampleCount: sampleCount, fraction: configuration.validationFraction,
                classes: request.stratifyBy, using: &splitGenerator)
            training.indices = split.training
            validation = TrainingSet(features: request.features, targets: request.targets, indices: split.validation)
        }
        let order = try resuming.map { point throws(NeuralNetworkError) in
            try ModelCore.replayedOrder(of: training, resuming: point, history: newHistory,
                                        shuffle: configuration.shuffle, from: shuffleGenerator)
        } ?? training.indices

        let batchCapacity = Swift.min(configuration.batchSize, training.indices.count)
        let trainer = Trainer(
            network: startNetwork, configuration: configuration, optimizerState: trainerState.optimizer,
            batchCapacity: batchCapacity, keepsBestParameters: earlyStopping, communicator: communicator)
        if let best = resuming?.bestParameters, let buffer = trainer.bestParameters, best.count == trainer.parameterCount {
            best.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: best.count) }
        }
        let finished = resuming != nil && newHistory.converged && newHistory.stopReason != .interrupted
        let options = EpochOptions(
            lastEpoch: request.isPartialFit ? newHistory.epochsRun + 1 : finished ? newHistory.epochsRun : configuration.maxEpochs,
            earlyStopping: earlyStopping, isPartialFit: request.isPartialFit, score: request.score)
        let base = self
        /// Writes the checkpoint of the trainer's current state (rank 0 alone).
        func writeCheckpoint(position: EpochProgress?, state: TrainerState, history: TrainingHistory) throws(NeuralNetworkError) {
            guard let policy = base.checkpointing, base.communicator.rank == 0 else { return }
            var point = ResumePoint(
                configuration: base.configuration, trainer: state, parameters: trainer.parameterArray(),
                bestParameters: trainer.bestParameters == nil ? nil : trainer.parameterArray(best: true),
                epochInProgress: position, data: data, continuesFit: !request.isPartialFit)
            point.trainer.optimizer = trainer.optimizer.state
            try base.writeCheckpoint(point, network: startNetwork, history: history, request: request, to: policy.path)
        }
        var control = RunControl(stopSignal: stopSignal, checkpointEvery: checkpointing?.every ?? 1)
        if checkpointing != nil { control.checkpoint = writeCheckpoint }
        let inProgress = try BLAS.withThreadCount(configuration.blasThreadCount) { () throws(NeuralNetworkError) in
            try trainer.train(training, validation: validation, options: options, order: order,
                              resuming: resuming?.epochInProgress, history: &newHistory, state: &trainerState,
                              control: control, progress: progress)
        }

        trainerState.optimizer = trainer.optimizer.state
        let current = trainer.parameterArray()
        let restoresBest = earlyStopping && newHistory.stopReason != .interrupted && newHistory.bestValidationEpoch != nil
        var trained = startNetwork
        trained.setParameters(restoresBest ? trainer.parameterArray(best: true) : current)
        network = trained
        history = newHistory
        state = trainerState
        resumePoint = ResumePoint(
            configuration: configuration, trainer: trainerState, parameters: current,
            bestParameters: earlyStopping ? trainer.parameterArray(best: true) : nil,
            epochInProgress: inProgress, data: data, continuesFit: !request.isPartialFit)
        resumesNextFit = false
    }

    /// Checks that every rank trains the same configuration (with the same resolved thread count)
    /// on the same data, as DDP checks its processes' parameters: a difference would make the
    /// ranks' gradients meaningless to add.
    private func agreeAcrossRanks(on data: DataFingerprint, resuming: ResumePoint?) throws(NeuralNetworkError) {
        var settings = configuration
        settings.threads = configuration.resolvedThreadCount
        // A resumed run's ranks must resume the same checkpoint: its epoch, position and weights.
        let resumption = resuming.map { point in
            "\(history.epochsRun) \(point.epochInProgress?.samplesDone ?? 0) \(DataFingerprint.sha256(of: point.parameters))"
        }
        let claim = [ModelFile.json(settings) + (resumption.map { " resuming \($0)" } ?? ""), data.description, data.sha256]
        let lines: [[Substring]]
        do {
            lines = try communicator.allgather(variable: Array(claim.joined(separator: "\n").utf8))
                .map { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) }
        } catch {
            throw .distributed(error.message)
        }
        for (rank, theirs) in lines.enumerated() where theirs != lines[0] {
            if theirs.first != lines[0].first {
                throw .distributed("rank \(rank)'s training configuration differs from rank 0's (or so does the checkpoint it "
                                   + "resumes); every rank must run the same options")
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
