import Foundation
import MLPCore

/// Everything a training run's next batch depends on, saved so that the run can stop and later
/// continue **exactly**: a run resumed from a checkpoint ends with the same weights, bit for bit,
/// and the same history (timings aside) as one that never stopped.
///
/// A checkpoint holds the model (its network with the weights of that moment, configuration,
/// history and classes), the optimiser's state (moments, step count, learning rate and the
/// adaptive schedule's count), the stopping rule's count, early stopping's best weights, the
/// shuffling generator's state, the position inside an epoch when the run stopped in one, and a
/// fingerprint of the training data (sample count and SHA-256).
///
/// ```swift
/// var model = MLPClassifier(configuration: configuration)
/// model.checkpointing = Checkpointing(path: "run.checkpoint", every: 1)
/// try model.fit(images, labels: labels)            // stopped, or finished after 2 epochs
///
/// var resumed = try MLPClassifier(resumingFrom: TrainingCheckpoint.load(from: "run.checkpoint"))
/// resumed.configuration.maxEpochs = 4                // more epochs, or other threads
/// try resumed.fit(images, labels: labels)          // continues at epoch 3 (or mid-epoch)
/// ```
///
/// The file is safetensors, like a model file (Python's `safetensors` reads it): the network's
/// tensors, `optimizer.first_moment` and (Adam) `optimizer.second_moment` laid out as the flat
/// parameter vector, `early_stopping.best_parameters` when early stopping runs, and the model
/// file's metadata with `format` `swift-mlp-checkpoint` and a `checkpoint` entry (JSON: the
/// optimiser's step, learning rate and counts, the generator's state, the epoch position and the
/// data fingerprint).
public struct TrainingCheckpoint: Sendable {
    /// The model as the run left it; its network holds the weights the run continues from (with
    /// early stopping, not necessarily the best epoch's).
    public let model: SavedModel
    let point: ResumePoint
    let data: DataFingerprint

    /// The checkpoint of a model whose last run recorded its state and data fingerprint.
    init?(model: SavedModel) {
        guard let point = model.model.core.resumePoint, let data = point.data else { return nil }
        self.model = model
        self.point = point
        self.data = data
    }

    /// The run's configuration.
    public var configuration: TrainingConfiguration { point.configuration }
    /// The run's history up to the checkpoint.
    public var history: TrainingHistory { model.model.history }
    /// The epochs completed.
    public var epochsCompleted: Int { history.epochsRun }
    /// When the run stopped inside an epoch: the samples of that epoch already trained on.
    public var samplesIntoEpoch: Int? { point.epochInProgress?.samplesDone }
    /// The training data's fingerprint; a resumed run must train on data with the same.
    public var dataFingerprint: DataFingerprint { data }
    /// Whether the run had ended by its own rule (no improvement, or the adaptive schedule's
    /// floor): resuming it trains no further epochs.
    public var isFinished: Bool { history.converged && history.stopReason != .interrupted }

    /// Writes the checkpoint to `path` atomically.
    /// - Throws: ``ModelFileError`` when the file cannot be written.
    public func save(to path: String) throws(ModelFileError) {
        try ModelFile.write(encoded(), to: path)
    }

    /// Reads a checkpoint written by ``save(to:)`` (or by a run with ``Checkpointing``).
    /// - Throws: ``ModelFileError`` for a missing, truncated or corrupt file, a model file, or
    ///   state that does not fit the network (moment counts, generator state, epoch position).
    public static func load(from path: String) throws(ModelFileError) -> TrainingCheckpoint {
        let bytes = try ModelFile.read(path, kind: "checkpoint")
        do {
            return try decode(SafeTensors.parse(bytes))
        } catch {
            throw ModelFileError(path: path, problem: .invalid(error))
        }
    }

    /// The checkpoint in the bytes of a checkpoint file (what ``load(from:)`` reads from disk).
    /// - Throws: ``SafeTensorsProblem`` for bytes that are not a valid checkpoint.
    public static func decode(_ bytes: [UInt8]) throws(SafeTensorsProblem) -> TrainingCheckpoint {
        try decode(SafeTensors.parse(bytes))
    }

    static let format = "swift-mlp-checkpoint"

    /// The `checkpoint` metadata entry.
    struct Record: Codable {
        var version: Int
        var step: Int
        /// The optimiser's epoch count (the schedules' clock); absent in older checkpoints, whose
        /// runs' epoch count is the history's.
        var epoch: Int?
        var learningRate: Double
        var epochsWithoutImprovement: Int
        var noImprovementCount: Int
        /// The shuffling generator's four state words, in hexadecimal.
        var shuffleGenerator: [String]
        var epochInProgress: EpochProgress?
        var data: DataFingerprint
        var continuesFit: Bool
    }

    func encoded() -> SafeTensors {
        var file = ModelFile.encode(model)
        file.metadata["format"] = TrainingCheckpoint.format
        let optimizer = point.trainer.optimizer
        let record = Record(
            version: 1, step: optimizer.step, epoch: optimizer.epoch, learningRate: optimizer.learningRate,
            epochsWithoutImprovement: optimizer.epochsWithoutImprovement, noImprovementCount: point.trainer.noImprovementCount,
            shuffleGenerator: point.trainer.shuffleGenerator.stateWords.map { String($0, radix: 16) },
            epochInProgress: point.epochInProgress, data: data, continuesFit: point.continuesFit)
        file.metadata["checkpoint"] = ModelFile.json(record)
        let count = optimizer.firstMoment.count
        file.tensors.append(.init(name: "optimizer.first_moment", shape: [count], values: optimizer.firstMoment))
        if !optimizer.secondMoment.isEmpty {
            file.tensors.append(.init(name: "optimizer.second_moment", shape: [count], values: optimizer.secondMoment))
        }
        if let best = point.bestParameters {
            file.tensors.append(.init(name: "early_stopping.best_parameters", shape: [best.count], values: best))
        }
        return file
    }

    static func decode(_ file: SafeTensors) throws(SafeTensorsProblem) -> TrainingCheckpoint {
        guard file.metadata["format"] == format else {
            throw .badMetadata(file.metadata["format"] == ModelFile.format
                ? "a model file, not a training checkpoint (checkpoints are written by mlp train --checkpoint)"
                : "not a swift-mlp checkpoint (format '\(file.metadata["format"] ?? "none")')")
        }
        var modelFile = file
        modelFile.metadata["format"] = ModelFile.format
        let saved = try ModelFile.decode(modelFile)
        var core = saved.model.core
        guard let network = core.network else { throw .badMetadata("the checkpoint holds no network") }
        guard file.metadata["history"].map({ (try? JSONDecoder().decode(TrainingHistory.self, from: Data($0.utf8))) != nil }) == true else {
            throw .badMetadata("the checkpoint's history is missing or not valid")
        }
        guard let text = file.metadata["checkpoint"],
              let record = try? JSONDecoder().decode(Record.self, from: Data(text.utf8)) else {
            throw .badMetadata("the 'checkpoint' entry is missing or not valid")
        }
        let point = try resumePoint(record, file: file, network: network, configuration: core.configuration,
                                    history: core.history)
        core.resumePoint = point
        core.state = point.trainer
        guard let checkpoint = TrainingCheckpoint(model: saved.replacingCore(with: core)) else {
            throw .badMetadata("the checkpoint has no data fingerprint")
        }
        return checkpoint
    }

    /// The resume point `record` and the state tensors describe, checked against the network.
    private static func resumePoint(
        _ record: Record, file: SafeTensors, network: Network, configuration: TrainingConfiguration,
        history: TrainingHistory
    ) throws(SafeTensorsProblem) -> ResumePoint {
        let count = network.parameterCount
        guard record.version == 1 else { throw .badMetadata("checkpoint version \(record.version) is not supported (only 1)") }
        guard network.parameters.allSatisfy(\.isFinite) else { throw .badMetadata("the network's weights are not all finite") }
        guard record.step >= 0, (record.epoch ?? 0) >= 0, record.epochsWithoutImprovement >= 0, record.noImprovementCount >= 0,
              record.learningRate.isFinite, record.learningRate > 0 else {
            throw .badMetadata("the optimiser's step \(record.step), learning rate \(record.learningRate) or counts are out of range")
        }
        let words = record.shuffleGenerator.compactMap { UInt64($0, radix: 16) }
        guard words.count == record.shuffleGenerator.count, let generator = SeededGenerator(stateWords: words) else {
            throw .badMetadata("the shuffling generator's state \(record.shuffleGenerator.prefix(4)) is not four hexadecimal words")
        }
        let data = record.data
        guard data.sampleCount > 0, data.featureCount == network.inputCount,
              data.sha256.count == 64, data.sha256.allSatisfy({ $0.isHexDigit }) else {
            throw .badMetadata("the data fingerprint (\(data.sampleCount) samples × \(data.featureCount) features) does not fit the network")
        }
        guard history.lossCurve.count == history.learningRates.count else {
            throw .badMetadata("the history's curves have different lengths")
        }
        if let position = record.epochInProgress {
            guard position.samplesDone > 0, position.samplesDone < data.sampleCount, position.batchesDone > 0,
                  position.batchesDone <= position.samplesDone, position.correct >= 0, position.correct <= position.samplesDone,
                  position.lossSum.isFinite, position.learningRate.isFinite, position.learningRate > 0,
                  position.seconds.isFinite, position.communicationSeconds.isFinite else {
                throw .badMetadata("the position inside epoch \(history.epochsRun + 1) is out of range")
            }
        }
        func vector(_ name: String) throws(SafeTensorsProblem) -> [Float] {
            guard let tensor = file[name] else { throw .missingTensor(name) }
            guard tensor.shape == [count] else { throw .shapeMismatch(tensor: name, expected: [count], found: tensor.shape) }
            guard tensor.values.allSatisfy(\.isFinite) else { throw .badMetadata("tensor '\(name)' holds values that are not finite") }
            return tensor.values
        }
        var optimizer = OptimizerState(optimizer: configuration.optimizer, parameterCount: 0, learningRate: record.learningRate)
        optimizer.step = record.step
        optimizer.epoch = record.epoch ?? history.epochsRun
        optimizer.epochsWithoutImprovement = record.epochsWithoutImprovement
        optimizer.firstMoment = try vector("optimizer.first_moment")
        optimizer.secondMoment = configuration.optimizer.usesSecondMoment ? try vector("optimizer.second_moment") : []
        if configuration.optimizer.usesSecondMoment, optimizer.secondMoment.contains(where: { $0 < 0 }) {
            throw .badMetadata("Adam's second moment holds negative values")
        }
        let best = file["early_stopping.best_parameters"] == nil ? nil : try vector("early_stopping.best_parameters")
        var trainer = TrainerState(configuration: configuration, parameterCount: 0, shuffleGenerator: generator)
        trainer.optimizer = optimizer
        trainer.noImprovementCount = record.noImprovementCount
        return ResumePoint(
            configuration: configuration, trainer: trainer, parameters: network.parameters, bestParameters: best,
            epochInProgress: record.epochInProgress, data: data, continuesFit: record.continuesFit)
    }
}

extension SavedModel {
    /// The same model with `core` (its network, history and training state) in place of its own.
    func replacingCore(with core: ModelCore) -> SavedModel {
        switch self {
        case .classifier(var model): model.core = core; return .classifier(model)
        case .regressor(var model): model.core = core; return .regressor(model)
        case .autoencoder(var model): model.core = core; return .autoencoder(model)
        }
    }
}

extension NeuralNetworkModel {
    /// A model that continues the run `checkpoint` saved: its next `fit`, on the same data,
    /// resumes at the checkpoint's epoch (or inside it) instead of starting over. Its
    /// configuration is the checkpoint's; only `maxEpochs` (the total, counting the epochs
    /// already run), `threads`, `parallelism` and `gradientReduction` may change before `fit`,
    /// which refuses other changes and other data with ``NeuralNetworkError/cannotResume(_:)``.
    ///
    /// With the same threads (and ranks), the resumed run's weights equal, bit for bit, those of
    /// a run that never stopped.
    /// - Throws: ``NeuralNetworkError/cannotResume(_:)`` when the checkpoint holds another kind
    ///   of model.
    public init(resumingFrom checkpoint: TrainingCheckpoint) throws(NeuralNetworkError) {
        guard let model = checkpoint.model.model as? Self else {
            throw .cannotResume("the checkpoint holds \(checkpoint.model.kind.withArticle), not \(Self.kind.withArticle)")
        }
        self = model
        core.resumesNextFit = true
    }

    /// Where and how often `fit` writes checkpoints (none by default): after every
    /// ``Checkpointing/every`` epochs, after the last, and when a ``stopSignal`` stops the run.
    /// With several processes, rank 0 alone writes. Not saved with the model.
    public var checkpointing: Checkpointing? {
        get { core.checkpointing }
        set { core.checkpointing = newValue }
    }

    /// Raised (from a signal handler or another thread) to stop `fit` after its current batch;
    /// see ``StopSignal``. Not saved with the model.
    public var stopSignal: StopSignal? {
        get { core.stopSignal }
        set { core.stopSignal = newValue }
    }

    /// The checkpoint of the model's last run (its `fit`, or its latest `partialFit`), which a
    /// model made with ``init(resumingFrom:)`` continues.
    ///
    /// Available when that run fingerprinted its data: with ``checkpointing`` set, when resumed
    /// from a checkpoint, or when distributed.
    /// - Throws: ``ModelFileError`` when the file cannot be written, or the model has no run
    ///   state to save (never trained, read from a model file, or trained without a fingerprint).
    public func saveCheckpoint(to path: String) throws(ModelFileError) {
        guard let checkpoint = TrainingCheckpoint(model: savedModel) else {
            throw ModelFileError(path: path, problem: .cannotWrite(
                "the model has no training state to checkpoint: set checkpointing before fit or partialFit"))
        }
        try checkpoint.save(to: path)
    }
}
