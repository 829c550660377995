import LinearAlgebra
import MLPCore

/// One training run's buffers and its batch step.
///
/// Everything is allocated once, in `init`: the flat parameter and gradient vectors, the
/// optimiser (which owns its moments), the batch input and target buffers and each worker's
/// activations, deltas and gradient. The training step (`Trainer+Step.swift`) and the epoch loop
/// (`Trainer+Epochs.swift`) allocate nothing per batch.
///
/// The class is `@unchecked Sendable` so that the threads of its ``WorkerPool`` can use it;
/// within a job each thread writes only its own buffers, its own rows of the batch and its own
/// parameter range, or, in the fused first-layer step (``FusedFirstLayer``), its own columns of
/// the first layer (its weights and moments, and those columns of every worker's first
/// activation block), reading every worker's first-layer delta after the job that wrote it.
final class Trainer: @unchecked Sendable {
    let layers: [DenseLayer]
    let loss: LossFunction
    let configuration: TrainingConfiguration
    let parameterCount: Int
    let inputCount: Int
    let outputCount: Int
    /// The most rows in one batch (or validation chunk).
    let batchCapacity: Int

    let parameters: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    /// The update rule with its state: moments, step count, learning rate and schedule.
    let optimizer: ParameterOptimizer
    /// The parameters of the best validation epoch (early stopping only).
    let bestParameters: UnsafeMutablePointer<Float>?
    let batchInput: UnsafeMutablePointer<Float>
    let batchTargets: UnsafeMutablePointer<Float>
    let batchLabels: UnsafeMutablePointer<Int32>
    /// The batch's sample weights (when the set has them).
    let batchWeights: UnsafeMutablePointer<Float>
    /// Per-worker loss sums of the current step, summed in worker order.
    let workerSums: UnsafeMutablePointer<OutputLossSums>
    /// Per-worker, per-output sums of squared residuals (validation R²).
    let workerResiduals: UnsafeMutablePointer<Double>
    let workers: [BatchWorker]
    /// The parameter segments each update thread owns (see `Trainer+Update.swift`).
    let updateSegments: [[UpdateSegment]]
    /// Per update thread: `Σ θ²` over its weights and `Σ g²` over its gradient.
    let updatePartials: UnsafeMutablePointer<Double>
    /// The processes of the run; each computes its workers' share of every batch.
    let communicator: any Communicator
    /// With several processes and the ordered reduction: every rank's gradient, rank after rank
    /// (`size × parameterCount`), gathered before they are summed in rank order.
    let rankGradients: UnsafeMutablePointer<Float>?
    /// With several processes: each local worker's batch loss and correct count, and every
    /// worker's, gathered (see ``combinedSums(workersUsed:)``).
    let localStatistics: UnsafeMutablePointer<Double>?
    let gatheredStatistics: UnsafeMutablePointer<Double>?
    /// Seconds spent in the communicator's collective operations since the epoch began
    /// (waiting for the other ranks included).
    var communicationSeconds: Double = 0
    /// Raised to stop the run after the current batch (see ``StopSignal``).
    var stopSignal: StopSignal?
    /// With several processes: whether any rank's stop signal was raised when the last batch's
    /// loss sums were exchanged, so that every rank stops after the same batch.
    var stopRequestedOnAnyRank = false
    /// The first layer's weight gradient fused into its SGD step, where it applies (see
    /// ``FusedFirstLayer``); its threads' input ranges are balanced on each run's data
    /// (``balanceFusedFirstLayer(columnNonZeros:)``).
    var fusedFirstLayer: FusedFirstLayer?
    /// Whether steps take the fused first layer (tests turn it off to compare with the
    /// data-parallel step).
    var usesFusedFirstLayer = true
    /// The threads that share a batch (nil with one thread).
    private(set) var pool: WorkerPool?
    /// What the pool's threads do on the next run.
    var job = PoolJob.idle

    /// A trainer for `network`, for batches of up to `batchCapacity` rows, with a fresh optimiser
    /// or one that continues from `optimizerState`, computing its rank's share of every batch.
    init(network: Network, configuration: TrainingConfiguration, optimizerState: OptimizerState? = nil,
         batchCapacity: Int, keepsBestParameters: Bool, communicator: any Communicator = SingleProcessCommunicator.shared) {
        layers = network.layers
        loss = network.loss
        self.configuration = configuration
        parameterCount = network.parameterCount
        inputCount = network.inputCount
        outputCount = network.outputCount
        self.batchCapacity = batchCapacity

        func buffer(_ count: Int, from values: [Float] = []) -> UnsafeMutablePointer<Float> {
            let pointer = LineAlignedBuffer.zeroed(count)
            if values.count == count { values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) } }
            return pointer
        }
        parameters = buffer(parameterCount, from: network.parameters)
        gradient = buffer(parameterCount)
        optimizer = ParameterOptimizer(configuration: configuration, parameterCount: parameterCount, state: optimizerState)
        bestParameters = keepsBestParameters ? buffer(parameterCount, from: network.parameters) : nil
        batchInput = buffer(batchCapacity &* inputCount)
        batchTargets = buffer(batchCapacity &* outputCount)
        batchLabels = UnsafeMutablePointer<Int32>.allocate(capacity: batchCapacity)
        batchLabels.initialize(repeating: 0, count: batchCapacity)
        batchWeights = buffer(batchCapacity)

        let workerCount = configuration.parallelism == .dataParallel
            ? Swift.max(1, Swift.min(configuration.resolvedThreadCount, batchCapacity)) : 1
        workerSums = UnsafeMutablePointer<OutputLossSums>.allocate(capacity: workerCount)
        workerSums.initialize(repeating: OutputLossSums(), count: workerCount)
        workerResiduals = UnsafeMutablePointer<Double>.allocate(capacity: workerCount &* outputCount)
        workerResiduals.initialize(repeating: 0, count: workerCount &* outputCount)
        let rowsPerWorker = (batchCapacity + workerCount - 1) / workerCount
        workers = (0..<workerCount).map { index in
            BatchWorker(layers: network.layers, loss: network.loss, capacity: rowsPerWorker,
                        training: true, ownsGradient: index > 0, inputKernel: configuration.inputKernel,
                        sparseDensity: configuration.sparseInputDensity,
                        dropout: Dropout(rate: configuration.dropout, seed: configuration.seed))
        }
        self.communicator = communicator
        let ranks = communicator.size
        rankGradients = ranks > 1 && configuration.gradientReduction == .ordered ? buffer(ranks &* parameterCount) : nil
        if ranks > 1 {
            let width = Trainer.statisticsWidth(workers: workerCount)
            localStatistics = .allocate(capacity: width)
            localStatistics?.initialize(repeating: 0, count: width)
            gatheredStatistics = .allocate(capacity: width &* ranks)
            gatheredStatistics?.initialize(repeating: 0, count: width &* ranks)
        } else {
            localStatistics = nil
            gatheredStatistics = nil
        }
        updateSegments = UpdateSegment.partition(layers: network.layers, threads: configuration.resolvedThreadCount)
        let threads = Swift.max(workers.count, updateSegments.count)
        updatePartials = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* threads)
        updatePartials.initialize(repeating: 0, count: 2 &* threads)
        fusedFirstLayer = FusedFirstLayer(layers: network.layers, configuration: configuration, workers: workers,
                                          threads: threads, processes: ranks, batchCapacity: batchCapacity)
        if threads > 1 {
            pool = WorkerPool(threadCount: threads) { [unowned self] index in self.perform(index) }
        }
    }

    deinit {
        pool?.shutdown()
        parameters.deallocate()
        gradient.deallocate()
        bestParameters?.deallocate()
        batchInput.deallocate()
        batchTargets.deallocate()
        batchLabels.deallocate()
        batchWeights.deallocate()
        workerSums.deallocate()
        workerResiduals.deallocate()
        updatePartials.deallocate()
        fusedFirstLayer?.deallocate()
        rankGradients?.deallocate()
        localStatistics?.deallocate()
        gatheredStatistics?.deallocate()
    }

    /// The trained parameters as an array.
    func parameterArray(best: Bool = false) -> [Float] {
        let source = best ? (bestParameters ?? parameters) : parameters
        return Array(UnsafeBufferPointer(start: source, count: parameterCount))
    }

    // MARK: - Batches

    /// Copies rows `start..<start + count` of a batch (the samples `indices[start...]`) into the
    /// same rows of the batch buffers; each worker loads its own block, in parallel. Without
    /// `features`, only the targets are copied.
    func loadRows(of set: TrainingSet, indices: UnsafeBufferPointer<Int>, start: Int, count: Int, features: Bool = true) {
        let block = UnsafeBufferPointer(rebasing: indices[start..<(start &+ count)])
        if features { set.features.copyFeatures(of: block, into: batchInput + start &* inputCount) }
        if let sampleWeights = set.sampleWeights {
            sampleWeights.withUnsafeBufferPointer { weights in
                for (position, index) in block.enumerated() { batchWeights[start &+ position] = weights[index] }
            }
        }
        switch set.targets {
        case .classes(let labels):
            labels.withUnsafeBufferPointer { labelBuffer in
                for (position, index) in block.enumerated() { batchLabels[start &+ position] = labelBuffer[index] }
            }
        case .values(let source):
            source.copyFeatures(of: block, into: batchTargets + start &* outputCount)
        case .inputs:
            break
        }
    }

    /// Loads a worker's block of the batch. From a source of scaled bytes (images; see
    /// `FeatureSource.withScaledFeatureBytes`), a worker that may run sparse collects the block's
    /// non-zero inputs straight from the bytes and copies the `Float` rows only when it runs
    /// dense or they are the targets (an autoencoder); returns whether the worker's input is
    /// loaded that way.
    func loadBlock(_ worker: BatchWorker, of batch: BatchSource, start: Int, count: Int) -> Bool {
        let block = UnsafeBufferPointer(rebasing: batch.indices[start..<(start &+ count)])
        let features = batch.set.features
        let needsRows: Bool? = worker.sparseInput == nil ? nil : Trainer.withFeatureBytes(features) { bytes, scale in
            worker.prepareInput(bytes: bytes, indices: block, scale: scale)
        }
        guard let needsRows else {
            loadRows(of: batch.set, indices: batch.indices, start: start, count: count)
            return false
        }
        loadRows(of: batch.set, indices: batch.indices, start: start, count: count,
                 features: needsRows || batch.set.targets.areInputs)
        return true
    }

    /// `body` on the scaled bytes of `features` (checked to hold every sample), or nil when the
    /// source has no bytes (see `FeatureSource.withScaledFeatureBytes`).
    static func withFeatureBytes<Result>(_ features: any FeatureSource,
                                         _ body: (UnsafePointer<UInt8>, Float) -> Result) -> Result? {
        features.withScaledFeatureBytes { bytes, scale in
            precondition(bytes.count >= features.sampleCount &* features.featureCount,
                         "\(bytes.count) feature bytes for \(features.sampleCount) samples of \(features.featureCount)")
            return body(bytes.baseAddress!, scale)
        }
    }

    /// Where the batch buffers hold a set's targets.
    func targetBlock(of set: TrainingSet) -> TargetBlock {
        switch set.targets {
        case .classes: return .classes(batchLabels)
        case .values: return .values(batchTargets)
        case .inputs: return .values(batchInput)
        }
    }

    /// The rows of worker `worker` when `rows` rows are split over `used` workers: contiguous
    /// blocks whose sizes differ by at most one, in worker order.
    @inline(__always)
    static func block(_ worker: Int, of used: Int, rows: Int) -> (start: Int, count: Int) {
        let base = rows / used, extra = rows % used
        return (worker &* base &+ Swift.min(worker, extra), base &+ (worker < extra ? 1 : 0))
    }

    /// The per-worker gradients of the mean loss over the batch `indices` of `set`; returns the
    /// summed per-sample losses, the correct count and the number of workers used.
    ///
    /// Each worker loads its contiguous block of the batch's rows into the batch buffers and
    /// back-propagates it (deltas scaled by `1/normalizer` of the whole batch: `1/rows`, or
    /// `wᵢ / Σ w` per row with sample weights; see ``TrainingSet/normalizer(of:)``) into its own gradient
    /// vector (worker 0 into ``gradient``); ``reduceAndUpdate(workersUsed:normalizer:)`` then adds them
    /// in worker order, so the sum does not depend on scheduling.
    ///
    /// With several processes the batch is split over every rank's workers (global worker
    /// `rank · workers + w`), each rank computes its own workers' blocks, and the loss sums of
    /// all workers are added in global worker order.
    func batchGradient(
        _ set: TrainingSet, indices: UnsafeBufferPointer<Int>, normalizer: Double? = nil
    ) throws(NeuralNetworkError) -> (sums: OutputLossSums, workersUsed: Int) {
        let rows = indices.count
        let used = Swift.min(globalWorkerCount, rows)
        let local = localWorkersUsed(of: used)
        if local > 0 {
            let deltaScale = 1 / Float(normalizer ?? set.normalizer(of: indices))
            runJob(.gradient(rows: rows, workersUsed: used, batch: BatchSource(set: set, indices: indices), deltaScale: deltaScale),
                   threads: local)
        }
        return (try combinedSums(workersUsed: used), used)
    }

    /// The forward pass and loss over the batch `indices` of `set` (no gradient), loaded and
    /// split over the workers like ``batchGradient(_:indices:)``. With `residuals`, adds each
    /// output's `Σᵢ (ŷᵢⱼ − yᵢⱼ)²` to `workerResiduals` (per worker, summed by the caller).
    func batchLoss(
        _ set: TrainingSet, indices: UnsafeBufferPointer<Int>, residuals: Bool
    ) throws(NeuralNetworkError) -> OutputLossSums {
        let rows = indices.count
        let used = Swift.min(globalWorkerCount, rows)
        let local = localWorkersUsed(of: used)
        if local > 0 {
            runJob(.loss(rows: rows, workersUsed: used, batch: BatchSource(set: set, indices: indices), residuals: residuals),
                   threads: local)
        }
        return try combinedSums(workersUsed: used)
    }

    // MARK: - Jobs

    /// Runs `job` on threads `0..<threads` (on the calling thread alone when `threads` is 1).
    func runJob(_ job: PoolJob, threads: Int) {
        self.job = job
        if threads == 1 || pool == nil {
            perform(0)
        } else {
            pool?.run()
        }
        self.job = .idle
    }

    /// Thread `index`'s share of the current job (nothing if the job needs fewer threads).
    func perform(_ index: Int) {
        switch job {
        case .idle:
            break
        case .gradient(let rows, let used, let batch, let deltaScale):
            guard index < localWorkersUsed(of: used) else { return }
            let (start, count) = Trainer.block(firstGlobalWorker &+ index, of: used, rows: rows)
            let worker = workers[index]
            let inputLoaded = loadBlock(worker, of: batch, start: start, count: count)
            let targets = targetBlock(of: batch.set)
            let destination = index == 0 ? gradient : (worker.ownGradient ?? gradient)
            workerSums[index] = worker.accumulateGradient(
                parameters: parameters, input: batchInput + start &* inputCount, rows: count,
                targets: targets.advanced(byRows: start, columns: outputCount),
                deltaScale: deltaScale, gradient: destination, inputLoaded: inputLoaded,
                rowWeights: batch.set.sampleWeights == nil ? nil : UnsafePointer(batchWeights + start),
                dropoutDraw: worker.dropout == nil ? nil : DropoutDraw(step: optimizer.step, firstRow: start))
        case .loss(let rows, let used, let batch, let residuals):
            guard index < localWorkersUsed(of: used) else { return }
            let (start, count) = Trainer.block(firstGlobalWorker &+ index, of: used, rows: rows)
            let inputLoaded = loadBlock(workers[index], of: batch, start: start, count: count)
            blockLoss(index, of: used, rows: rows, targets: targetBlock(of: batch.set), residuals: residuals,
                      inputLoaded: inputLoaded)
        case .fusedLoad, .fusedFirstForward, .fusedUpperGradient, .fusedUpdate:
            performFused(index, job)
        case .update(let localWorkers, let normalizer, let phase):
            guard index < updateSegments.count else { return }
            updateShare(index, localWorkers: localWorkers, normalizer: normalizer, phase: phase)
        }
    }

    /// Worker `index`'s forward pass and loss over its block of the rows in the buffers.
    private func blockLoss(_ index: Int, of used: Int, rows: Int, targets: TargetBlock, residuals: Bool, inputLoaded: Bool) {
        let (start, count) = Trainer.block(firstGlobalWorker &+ index, of: used, rows: rows)
        let worker = workers[index]
        let block = targets.advanced(byRows: start, columns: outputCount)
        workerSums[index] = worker.forwardLoss(
            parameters: parameters, input: batchInput + start &* inputCount, rows: count,
            targets: block, writeDelta: false, deltaScale: 0, inputLoaded: inputLoaded)
        if residuals, case .values(let values) = block {
            let outputs = worker.activations[worker.layers.count &- 1]
            let sums = workerResiduals + index &* outputCount
            for row in 0..<count {
                for column in 0..<outputCount {
                    let difference = Double(outputs[row &* outputCount &+ column])
                        - Double(values[row &* outputCount &+ column])
                    sums[column] += difference * difference
                }
            }
        }
    }
}

/// What the pool's threads do on one run.
enum PoolJob: @unchecked Sendable {
    case idle
    /// Each of `workersUsed` workers loads and back-propagates its block of the batch, with the
    /// output deltas scaled by `deltaScale` (`1/rows`, or `1/Σ w` with sample weights).
    case gradient(rows: Int, workersUsed: Int, batch: BatchSource, deltaScale: Float)
    /// Each worker loads its block and computes the loss over it (validation).
    case loss(rows: Int, workersUsed: Int, batch: BatchSource, residuals: Bool)
    /// Each update thread reduces and updates its parameter range; `localWorkers` of this
    /// process's workers computed a gradient; the L2 term is `α / normalizer`.
    case update(localWorkers: Int, normalizer: Double, phase: UpdatePhase)
    /// The fused first layer (``Trainer/FusedFirstLayer``), for features that are not bytes:
    /// each worker loads its rows.
    case fusedLoad(rows: Int, workersUsed: Int, batch: BatchSource)
    /// Each thread lists the batch's non-zero inputs in its range (from the bytes, or from the
    /// loaded rows) and runs its part of the first layer's product over every worker's rows;
    /// from bytes, each worker loads its rows' targets.
    case fusedFirstForward(rows: Int, workersUsed: Int, batch: BatchSource, fromBytes: Bool)
    /// Each worker sums its rows' partial first-layer products, adds bias and activation, runs
    /// the layers above and back-propagates to the first layer's delta and bias gradient.
    case fusedUpperGradient(rows: Int, workersUsed: Int, batch: BatchSource, deltaScale: Float)
    /// Each thread runs the fused first-layer gradient and step on its rows of the layer's
    /// weights and reduces and updates its share of the other parameters.
    case fusedUpdate(workersUsed: Int, normalizer: Double)
}

/// The samples of one batch: the set and the batch's indices into it.
struct BatchSource: @unchecked Sendable {
    let set: TrainingSet
    let indices: UnsafeBufferPointer<Int>
}

/// The passes of the update stage.
enum UpdatePhase: Sendable {
    /// One process: the workers' sum, the L2 term and the step in one pass (no clipping).
    case fused
    /// One process: the workers' sum and the L2 term, measuring `Σ g²` (clipping).
    case reduce
    /// Several processes: this process's workers' sum only, before the ranks' gradients meet.
    case sumWorkers
    /// Several processes, after the exchange: the ranks' sum in rank order (from the gathered
    /// gradients, for the ordered reduction of `usedRanks` ranks), the L2 term, and the step
    /// unless clipping needs `Σ g²` first.
    case combineRanks(usedRanks: Int, clipping: Bool)
    /// Step only, with the gradient scaled by this factor (clipping).
    case step(Float)
}
