import LinearAlgebra
import MLPCore

extension Trainer {
    /// The sparse first layer's weight gradient fused into its SGD step, and with several
    /// threads the first layer owned by columns.
    ///
    /// Each thread owns a range of the first layer's output columns (all of them with one
    /// thread). It lists the whole batch's non-zero inputs itself, runs the first layer's forward
    /// product for its columns over every worker's rows, and after back-propagation computes
    /// the weight gradient of its columns slice by slice in registers, each slice going straight
    /// into the SGD step on its weights and velocities: the gradient is never stored. The layers
    /// above stay data-parallel, each worker its own rows, and their gradients are reduced and
    /// updated as in ``trainingStep(_:indices:)``.
    ///
    /// What this saves: in the data-parallel step each worker writes a whole first-layer
    /// gradient (80 % of the section-B network's parameters) and the update stage reads it back,
    /// and with two threads each update thread reads the other's half and rewrites weights the
    /// other core reads next, half a megabyte crossing between cores per thread and batch. Owned
    /// by columns, a thread's weights and velocities stay in its own cache; what crosses is the
    /// first layer's activation and delta. Listing the batch on every thread costs less than
    /// sharing one thread's lists across cores (both measured: README, issue 16).
    ///
    /// A step runs three jobs (four when the features are not bytes, which are loaded first):
    /// each thread lists the batch and runs the first layer for its columns, each worker loading
    /// its rows' targets; each worker runs the layers above and back-propagates to the first
    /// layer's delta and bias gradient; each thread runs the fused gradient and step on its
    /// columns and reduces and updates its share of the other parameters. The gradient is summed
    /// over the whole batch in a fixed order (each thread's 64-column slices start at its first
    /// column), so a run is deterministic for a given path and thread count.
    ///
    /// It applies to one process training with SGD (with Adam's two moments it measured slower),
    /// without gradient clipping or dropout, a first layer that may run sparse with a layer above
    /// it, ``TrainingConfiguration/fusesFirstLayer`` on, and lists within ``listBudget``; a set
    /// whose first samples run dense (``inputIsSparseEnough(_:samples:)``), and a batch whose
    /// input runs dense, take the data-parallel step.
    struct FusedFirstLayer {
        /// Per thread: its output columns of the first layer (cut on multiples of 16 floats, so
        /// that, when the layer's width is a multiple of 16 too, no cache line of a weight or
        /// activation row has two writers).
        let columnRanges: [Range<Int>]
        /// Per thread: the whole batch's non-zero inputs, which each thread lists for itself (so
        /// that the lists it reads stay in its own cache).
        let inputs: [SparseInput]
        /// Per thread: whether its listing found the batch sparse enough (the same on every thread).
        let runsSparse: UnsafeMutablePointer<Bool>
        /// Per thread: `(batchCapacity + 1) × 64` floats for the fused kernel's packed slices.
        let scratch: [UnsafeMutablePointer<Float>]
        /// Per worker: its rows of the first layer's delta, set before the update job.
        let deltas: UnsafeMutablePointer<DeltaBlock>
        /// The update segments without the first layer's weights.
        let segments: [[UpdateSegment]]

        /// The fused layer for `threads` threads, or nil where it does not apply.
        init?(layers: [DenseLayer], configuration: TrainingConfiguration, workers: [BatchWorker], threads: Int,
              processes: Int, batchCapacity: Int) {
            guard configuration.fusesFirstLayer, processes == 1, threads >= 1, configuration.optimizer == .sgd,
                  configuration.gradientClipNorm == nil, configuration.dropout == 0, configuration.inputKernel != .dense,
                  layers.count >= 2, let first = layers.first, first.fanOut >= 16 &* threads,
                  SparseInput.fits(capacity: batchCapacity, columns: first.fanIn) else { return nil }
            let density = configuration.inputKernel == .sparse ? 1 : configuration.sparseInputDensity
            guard FusedFirstLayer.listBytes(threads: threads, batchCapacity: batchCapacity, inputs: first.fanIn,
                                            density: density) <= FusedFirstLayer.listBudget else { return nil }
            columnRanges = (0..<threads).map { thread in
                let lower = (first.fanOut &* thread / threads) & ~15
                let upper = thread == threads &- 1 ? first.fanOut : (first.fanOut &* (thread &+ 1) / threads) & ~15
                return lower..<upper
            }
            inputs = (0..<threads).map { _ in
                SparseInput(capacity: batchCapacity, columns: first.fanIn, maximumDensity: density, packsSlices: false)
            }
            runsSparse = .allocate(capacity: threads)
            runsSparse.initialize(repeating: false, count: threads)
            scratch = (0..<threads).map { _ in LineAlignedBuffer.zeroed((batchCapacity &+ 1) &* 64) }
            deltas = .allocate(capacity: workers.count)
            segments = UpdateSegment.partition(layers: layers, threads: threads, skippingFirstWeights: true)
        }

        /// The most bytes the threads' lists and scratch may take together; past it (huge
        /// batches) the data-parallel step, whose lists are split over the workers.
        static let listBudget: Double = 64 * 1024 * 1024

        /// The bytes of `threads` threads' lists (two 8-byte entries per listed input, room for
        /// `density` of them) and scratch for batches of `batchCapacity` rows of `inputs` inputs.
        static func listBytes(threads: Int, batchCapacity: Int, inputs: Int, density: Double) -> Double {
            Double(threads) * (Double(batchCapacity) * Double(inputs) * density * 16 + Double(batchCapacity + 1) * 256)
        }

        func deallocate() {
            for buffer in scratch { buffer.deallocate() }
            runsSparse.deallocate()
            deltas.deallocate()
        }
    }

    /// Whether the samples `samples` of `features` are sparse enough for the automatic kernel
    /// (always with the sparse kernel): ``trainingStep(_:indices:)`` tries the fused step only on
    /// sets found so (``TrainingSet/mayFuseFirstLayer``), so that dense data does not list each
    /// batch twice, for the fused step and then for the data-parallel one. Float sources are
    /// copied through the batch buffer, a batch at a time.
    func inputIsSparseEnough(_ features: any FeatureSource, samples: [Int]) -> Bool {
        guard configuration.inputKernel == .automatic else { return configuration.inputKernel == .sparse }
        let featureCount = features.featureCount
        let counted = Trainer.withFeatureBytes(features) { bytes, _ -> Int in
            var nonZeros = 0
            for sample in samples {
                let row = bytes + sample &* featureCount
                for column in 0..<featureCount where row[column] != 0 { nonZeros &+= 1 }
            }
            return nonZeros
        }
        var nonZeros = counted ?? 0
        if counted == nil {
            var start = 0
            while start < samples.count {
                let end = Swift.min(start &+ batchCapacity, samples.count)
                samples[start..<end].withUnsafeBufferPointer { features.copyFeatures(of: $0, into: batchInput) }
                for cell in 0..<((end &- start) &* featureCount) where batchInput[cell] != 0 { nonZeros &+= 1 }
                start = end
            }
        }
        return configuration.inputKernel.runsSparse(density: Double(nonZeros) / Double(Swift.max(1, samples.count &* featureCount)),
                                                    threshold: configuration.sparseInputDensity)
    }

    /// ``trainingStep(_:indices:)`` with the fused first layer; nil when the batch's input runs
    /// dense (then the caller takes the data-parallel step).
    func fusedStep(_ fused: FusedFirstLayer, _ set: TrainingSet, indices: UnsafeBufferPointer<Int>)
        throws(NeuralNetworkError) -> StepOutcome? {
        let rows = indices.count
        let used = Swift.min(workers.count, rows)
        let threads = fused.columnRanges.count
        let batch = BatchSource(set: set, indices: indices)
        let hasBytes = set.features.withScaledFeatureBytes { _, _ in true } ?? false
        if !hasBytes { runJob(.fusedLoad(rows: rows, workersUsed: used, batch: batch), threads: used) }
        runJob(.fusedFirstForward(rows: rows, workersUsed: used, batch: batch, fromBytes: hasBytes), threads: threads)
        guard fused.runsSparse[0] else { return nil }
        let normalizer = set.normalizer(of: indices)
        runJob(.fusedUpperGradient(rows: rows, workersUsed: used, batch: batch, deltaScale: 1 / Float(normalizer)), threads: used)
        let sums = try combinedSums(workersUsed: used)
        for worker in 0..<used {
            let (_, count) = Trainer.block(worker, of: used, rows: rows)
            fused.deltas[worker] = DeltaBlock(rows: count, delta: workers[worker].deltas[0], stride: layers[0].fanOut)
        }
        let stopRequested = stopSignal?.isRaised ?? false
        optimizer.beginStep()
        runJob(.fusedUpdate(workersUsed: used, normalizer: normalizer), threads: threads)
        var squaredWeights: Double = 0
        for thread in 0..<threads { squaredWeights += updatePartials[2 &* thread] }
        let loss = L2Penalty.loss(lossSum: sums.loss, normalizer: normalizer, alpha: configuration.alpha,
                                  squaredWeights: squaredWeights)
        return StepOutcome(lossSum: sums.loss, correct: sums.correct, loss: loss, normalizer: normalizer,
                           gradientNorm: nil, stopRequested: stopRequested)
    }

    /// Thread `index`'s share of one of the fused step's jobs.
    func performFused(_ index: Int, _ job: PoolJob) {
        guard let fused = fusedFirstLayer else { return }
        switch job {
        case .fusedLoad(let rows, let used, let batch):
            guard index < used else { return }
            let (start, count) = Trainer.block(index, of: used, rows: rows)
            loadRows(of: batch.set, indices: batch.indices, start: start, count: count)
        case .fusedFirstForward(let rows, let used, let batch, let fromBytes):
            guard index < fused.columnRanges.count else { return }
            let input = fused.inputs[index], features = batch.set.features
            let density: Double?
            if fromBytes {
                if index < used {
                    let (start, count) = Trainer.block(index, of: used, rows: rows)
                    loadRows(of: batch.set, indices: batch.indices, start: start, count: count,
                             features: batch.set.targets.areInputs)
                }
                density = Trainer.withFeatureBytes(features) { bytes, scale in
                    input.load(bytes: bytes, indices: batch.indices, scale: scale)
                }
            } else {
                density = input.load(batchInput, rows: rows)
            }
            let runsSparse = density.map {
                input.isFilled && configuration.inputKernel.runsSparse(density: $0, threshold: configuration.sparseInputDensity)
            } ?? false
            fused.runsSparse[index] = runsSparse
            guard runsSparse else { return }
            firstLayerForward(columns: fused.columnRanges[index], lists: input.buffers, rows: rows, workersUsed: used)
        case .fusedUpperGradient(let rows, let used, let batch, let deltaScale):
            guard index < used else { return }
            let (start, count) = Trainer.block(index, of: used, rows: rows)
            let worker = workers[index]
            workerSums[index] = worker.accumulateGradient(
                parameters: parameters, input: batchInput + start &* inputCount, rows: count,
                targets: targetBlock(of: batch.set).advanced(byRows: start, columns: outputCount),
                deltaScale: deltaScale, gradient: index == 0 ? gradient : (worker.ownGradient ?? gradient),
                inputLoaded: true, rowWeights: batch.set.sampleWeights == nil ? nil : UnsafePointer(batchWeights + start),
                firstLayerDone: true)
        case .fusedUpdate(let used, let normalizer):
            var squares: Double = 0
            let l2Scale = L2Penalty.gradientScale(alpha: configuration.alpha, normalizer: normalizer)
            if index < fused.columnRanges.count, !fused.columnRanges[index].isEmpty,
               let (velocity, step) = optimizer.momentumStep(l2Scale: l2Scale) {
                let first = layers[0]
                squares = Kernels.active.sparseGradientStep(
                    fused.inputs[index].buffers, deltas: UnsafeBufferPointer(start: fused.deltas, count: used),
                    columns: fused.columnRanges[index], scratch: fused.scratch[index], parameters: parameters + first.offset,
                    velocity: velocity + first.offset, stride: first.fanOut, step: step)
            }
            if index < fused.segments.count {
                updateShare(index, localWorkers: used, normalizer: normalizer, phase: .fused, segments: fused.segments)
            } else {
                updatePartials[2 &* index] = 0
                updatePartials[2 &* index &+ 1] = 0
            }
            updatePartials[2 &* index] += squares
        default:
            break
        }
    }

    /// The first layer's product, bias and activation for output `columns`, over every
    /// worker's rows (into its first activation block), from the whole batch's `lists`.
    private func firstLayerForward(columns: Range<Int>, lists: SparseLists, rows: Int, workersUsed used: Int) {
        let first = layers[0]
        guard !columns.isEmpty else { return }
        for worker in 0..<used {
            let (start, count) = Trainer.block(worker, of: used, rows: rows)
            let output = workers[worker].activations[0] + columns.lowerBound
            Kernels.active.sparseMultiply(lists.fromRow(start), rows: count,
                                          weights: parameters + (first.offset &+ columns.lowerBound), width: columns.count,
                                          weightStride: first.fanOut, into: output, outputStride: first.fanOut)
            for row in 0..<count {
                first.activation.addBiasAndActivate(output + row &* first.fanOut, rows: 1, columns: columns.count,
                                                    bias: parameters + (first.biasOffset &+ columns.lowerBound))
            }
        }
    }
}
