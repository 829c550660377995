import Dispatch
import LinearAlgebra

/// One training run's buffers and its batch step.
///
/// Everything is allocated once, in `init`: the flat parameter and gradient vectors, the
/// optimiser's moments, the batch input and target buffers and each worker's activations, deltas
/// and gradient. The epoch loop (in `Trainer+Epochs.swift`) allocates nothing per batch.
///
/// The class is `@unchecked Sendable` so that the data-parallel step can hand it to
/// `concurrentPerform`; each worker touches only its own buffers and its own rows of the batch.
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
    let firstMoment: UnsafeMutablePointer<Float>
    let secondMoment: UnsafeMutablePointer<Float>
    /// The parameters of the best validation epoch (early stopping only).
    let bestParameters: UnsafeMutablePointer<Float>?
    let batchInput: UnsafeMutablePointer<Float>
    let batchTargets: UnsafeMutablePointer<Float>
    let batchLabels: UnsafeMutablePointer<Int32>
    /// Per-worker loss sums of the current step, summed in worker order.
    let workerSums: UnsafeMutablePointer<OutputLossSums>
    /// Per-worker, per-output sums of squared residuals (validation R²).
    let workerResiduals: UnsafeMutablePointer<Double>
    let workers: [BatchWorker]
    /// The parameter segments each update thread owns (see `Trainer+Update.swift`).
    let updateSegments: [[UpdateSegment]]
    /// Per update thread: `Σ θ²` over its weights and `Σ g²` over its gradient.
    let updatePartials: UnsafeMutablePointer<Double>

    init(network: Network, configuration: TrainingConfiguration, optimizerState: OptimizerState,
         batchCapacity: Int, keepsBestParameters: Bool) {
        layers = network.layers
        loss = network.loss
        self.configuration = configuration
        parameterCount = network.parameterCount
        inputCount = network.inputCount
        outputCount = network.outputCount
        self.batchCapacity = batchCapacity

        func buffer(_ count: Int, from values: [Float] = []) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
            pointer.initialize(repeating: 0, count: Swift.max(count, 1))
            if values.count == count { values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) } }
            return pointer
        }
        parameters = buffer(parameterCount, from: network.parameters)
        gradient = buffer(parameterCount)
        firstMoment = buffer(parameterCount, from: optimizerState.firstMoment)
        secondMoment = buffer(parameterCount, from: optimizerState.secondMoment)
        bestParameters = keepsBestParameters ? buffer(parameterCount, from: network.parameters) : nil
        batchInput = buffer(batchCapacity &* inputCount)
        batchTargets = buffer(batchCapacity &* outputCount)
        batchLabels = UnsafeMutablePointer<Int32>.allocate(capacity: batchCapacity)
        batchLabels.initialize(repeating: 0, count: batchCapacity)

        let workerCount = configuration.parallelism == .dataParallel
            ? Swift.max(1, Swift.min(configuration.resolvedThreadCount, batchCapacity)) : 1
        workerSums = UnsafeMutablePointer<OutputLossSums>.allocate(capacity: workerCount)
        workerSums.initialize(repeating: OutputLossSums(), count: workerCount)
        workerResiduals = UnsafeMutablePointer<Double>.allocate(capacity: workerCount &* outputCount)
        workerResiduals.initialize(repeating: 0, count: workerCount &* outputCount)
        let rowsPerWorker = (batchCapacity + workerCount - 1) / workerCount
        workers = (0..<workerCount).map { index in
            BatchWorker(layers: network.layers, loss: network.loss, capacity: rowsPerWorker,
                        training: true, ownsGradient: index > 0)
        }
        updateSegments = UpdateSegment.partition(layers: network.layers, threads: configuration.resolvedThreadCount)
        updatePartials = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* updateSegments.count)
        updatePartials.initialize(repeating: 0, count: 2 &* updateSegments.count)
    }

    deinit {
        parameters.deallocate()
        gradient.deallocate()
        firstMoment.deallocate()
        secondMoment.deallocate()
        bestParameters?.deallocate()
        batchInput.deallocate()
        batchTargets.deallocate()
        batchLabels.deallocate()
        workerSums.deallocate()
        workerResiduals.deallocate()
        updatePartials.deallocate()
    }

    /// The trained parameters as an array.
    func parameterArray(best: Bool = false) -> [Float] {
        let source = best ? (bestParameters ?? parameters) : parameters
        return Array(UnsafeBufferPointer(start: source, count: parameterCount))
    }

    /// The optimiser state to carry to a later run.
    func optimizerState(step: Int) -> OptimizerState {
        var state = OptimizerState()
        state.firstMoment = Array(UnsafeBufferPointer(start: firstMoment, count: parameterCount))
        state.secondMoment = configuration.optimizer == .adam
            ? Array(UnsafeBufferPointer(start: secondMoment, count: parameterCount)) : []
        state.step = step
        return state
    }

    // MARK: - Batches

    /// Copies the features (and targets) of the samples `indices` into the batch buffers.
    func loadBatch(_ set: TrainingSet, indices: UnsafeBufferPointer<Int>) -> TargetBlock {
        set.features.copyFeatures(of: indices, into: batchInput)
        switch set.targets {
        case .classes(let labels):
            for (position, index) in indices.enumerated() { batchLabels[position] = labels[index] }
            return .classes(batchLabels)
        case .values(let source):
            source.copyFeatures(of: indices, into: batchTargets)
            return .values(batchTargets)
        case .inputs:
            return .values(batchInput)
        }
    }

    /// The rows of worker `worker` when `rows` rows are split over `used` workers: contiguous
    /// blocks whose sizes differ by at most one, in worker order.
    @inline(__always)
    static func block(_ worker: Int, of used: Int, rows: Int) -> (start: Int, count: Int) {
        let base = rows / used, extra = rows % used
        return (worker &* base &+ Swift.min(worker, extra), base &+ (worker < extra ? 1 : 0))
    }

    /// The per-worker gradients of the mean loss over the batch in the buffers; returns the
    /// summed per-sample losses, the correct count and the number of workers used.
    ///
    /// With several workers each back-propagates its block of rows (deltas scaled by `1/rows` of
    /// the whole batch) into its own gradient vector (worker 0 into ``gradient``);
    /// ``reduceAndUpdate(workersUsed:rows:learningRate:step:)`` then adds them in worker order,
    /// so the sum does not depend on scheduling.
    func batchGradient(rows: Int, targets: TargetBlock) -> (sums: OutputLossSums, workersUsed: Int) {
        let used = Swift.min(workers.count, rows)
        let scale = 1 / Float(rows)
        if used == 1 {
            let sums = workers[0].accumulateGradient(
                parameters: parameters, input: batchInput, rows: rows, targets: targets,
                deltaScale: scale, gradient: gradient)
            return (sums, 1)
        }
        DispatchQueue.concurrentPerform(iterations: used) { index in
            let (start, count) = Trainer.block(index, of: used, rows: rows)
            let worker = workers[index]
            workerSums[index] = worker.accumulateGradient(
                parameters: parameters, input: batchInput + start &* inputCount, rows: count,
                targets: targets.advanced(byRows: start, columns: outputCount),
                deltaScale: scale, gradient: index == 0 ? gradient : worker.ownGradient!)
        }
        var sums = workerSums[0]
        for index in 1..<used {
            sums.loss += workerSums[index].loss
            sums.correct &+= workerSums[index].correct
        }
        return (sums, used)
    }

    /// The forward pass and loss over the batch in the buffers (no gradient), split over the
    /// workers like ``batchGradient(rows:targets:)``. With `residuals`, adds each output's
    /// `Σᵢ (ŷᵢⱼ − yᵢⱼ)²` to `workerResiduals` (per worker, summed by the caller).
    func batchLoss(rows: Int, targets: TargetBlock, residuals: Bool) -> OutputLossSums {
        let used = Swift.min(workers.count, rows)
        let work: @Sendable (Int) -> Void = { index in
            let (start, count) = Trainer.block(index, of: used, rows: rows)
            let worker = self.workers[index]
            let block = targets.advanced(byRows: start, columns: self.outputCount)
            self.workerSums[index] = worker.forwardLoss(
                parameters: self.parameters, input: self.batchInput + start &* self.inputCount, rows: count,
                targets: block, writeDelta: false, deltaScale: 0)
            if residuals, case .values(let values) = block {
                let outputs = worker.activations[worker.layers.count &- 1]
                let sums = self.workerResiduals + index &* self.outputCount
                for row in 0..<count {
                    for column in 0..<self.outputCount {
                        let difference = Double(outputs[row &* self.outputCount &+ column])
                            - Double(values[row &* self.outputCount &+ column])
                        sums[column] += difference * difference
                    }
                }
            }
        }
        if used == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: used, execute: work)
        }
        var sums = workerSums[0]
        for index in 1..<used {
            sums.loss += workerSums[index].loss
            sums.correct &+= workerSums[index].correct
        }
        return sums
    }
}
