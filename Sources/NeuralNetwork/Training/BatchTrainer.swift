import LinearAlgebra
import MLPCore

/// A training loop that the caller drives, one mini-batch at a time.
///
/// It runs the same batch step as `fit`: the batch's rows are copied into buffers allocated
/// once, then the forward pass, back-propagation and the optimiser's update, split over
/// ``TrainingConfiguration/threads`` threads. Nothing is allocated per step. The learning rate is
/// the first epoch's throughout (``TrainingConfiguration/learningRateInit``, or the first rate of
/// a warm-up; the schedules work per epoch, in `fit`). Dropout, when configured, draws its masks
/// from the seed and ``stepCount``. Every sample weighs 1.
///
/// ```swift
/// let trainer = try BatchTrainer(network: network, configuration: configuration, batchCapacity: 128)
/// let loss = try indices.withUnsafeBufferPointer { batch in
///     try trainer.step(features: images, targets: .classes(labels), indices: batch)
/// }
/// let trained = trainer.network
/// ```
///
/// OpenBLAS's thread count is process-wide: the initialiser sets it for the configuration's
/// ``Parallelism`` and `deinit` restores the previous count, so keep one trainer alive at a time.
public final class BatchTrainer {
    private let trainer: Trainer
    private let shape: Network
    private let previousBLASThreads: Int
    /// The number of steps taken so far.
    public var stepCount: Int { trainer.optimizer.step }

    /// A trainer for `network`, for batches of up to `batchCapacity` rows.
    /// - Throws: ``NeuralNetworkError/invalidConfiguration(parameter:value:requirement:)`` for an
    ///   invalid configuration or a capacity below 1.
    public init(network: Network, configuration: TrainingConfiguration, batchCapacity: Int) throws(NeuralNetworkError) {
        try configuration.validate()
        guard batchCapacity >= 1 else {
            throw .invalidConfiguration(parameter: "batchCapacity", value: "\(batchCapacity)", requirement: "must be at least 1")
        }
        previousBLASThreads = BLAS.threadCount
        BLAS.setThreadCount(configuration.blasThreadCount)
        shape = network
        trainer = Trainer(network: network, configuration: configuration, batchCapacity: batchCapacity,
                          keepsBestParameters: false)
    }

    deinit {
        BLAS.setThreadCount(previousBLASThreads)
    }

    /// The network with the current parameters.
    public var network: Network {
        var current = shape
        current.setParameters(trainer.parameterArray())
        return current
    }

    /// One gradient step on the samples `indices` of `features`; returns the batch's mean loss
    /// before the step (with the L2 term).
    ///
    /// - Parameters:
    ///   - features: The samples, `featureCount` equal to the network's input count.
    ///   - targets: Per-sample class indices (softmax networks), a target source, or `.inputs`
    ///     for an autoencoder; indexed by the same sample indices as `features`.
    ///   - indices: The batch, 1 to `batchCapacity` sample indices.
    /// - Throws: ``NeuralNetworkError/invalidData(_:)`` for a wrong shape, an index or class out
    ///   of range, or targets that do not suit the loss; ``NeuralNetworkError/diverged(epoch:batch:loss:learningRate:)``
    ///   (epoch 0, batch = the step number) when the batch's loss (or, with clipping, the gradient
    ///   norm) stops being finite.
    @discardableResult
    public func step(
        features: any FeatureSource, targets: TrainingTargets, indices: UnsafeBufferPointer<Int>
    ) throws(NeuralNetworkError) -> Double {
        let rows = indices.count
        guard rows >= 1 && rows <= trainer.batchCapacity else {
            throw .invalidData("a batch needs 1 to \(trainer.batchCapacity) samples, got \(rows)")
        }
        guard features.featureCount == trainer.inputCount else {
            throw .invalidData("samples have \(features.featureCount) features, the network expects \(trainer.inputCount)")
        }
        for index in indices where index < 0 || index >= features.sampleCount {
            throw .invalidData("sample index \(index) is outside 0..<\(features.sampleCount)")
        }
        switch (targets, trainer.loss) {
        case (.classes(let labels), .softmaxCrossEntropy):
            for index in indices {
                guard index < labels.count else { throw .invalidData("no class for sample \(index) (\(labels.count) labels)") }
                let label = labels[index]
                guard label >= 0 && Int(label) < trainer.outputCount else {
                    throw .invalidData("class \(label) of sample \(index) is outside 0..<\(trainer.outputCount)")
                }
            }
        case (.values(let source), .squaredError):
            guard source.featureCount == trainer.outputCount, source.sampleCount == features.sampleCount else {
                throw .invalidData("targets are \(source.sampleCount)×\(source.featureCount), expected \(features.sampleCount)×\(trainer.outputCount)")
            }
        case (.inputs, .squaredError):
            guard trainer.outputCount == trainer.inputCount else {
                throw .invalidData("reconstruction needs as many outputs as inputs, the network has \(trainer.outputCount) and \(trainer.inputCount)")
            }
        default:
            throw .invalidData("these targets do not suit the loss \(trainer.loss.name)")
        }
        var set = TrainingSet(features: features, targets: targets, indices: [])
        if trainer.fusedFirstLayer != nil {
            set.mayFuseFirstLayer = trainer.inputIsSparseEnough(features, samples: Array(indices))
        }
        let step = try trainer.trainingStep(set, indices: indices)
        guard step.isFinite else {
            throw .diverged(epoch: 0, batch: stepCount, loss: Float(step.loss), learningRate: trainer.optimizer.learningRate)
        }
        return step.loss
    }
}
