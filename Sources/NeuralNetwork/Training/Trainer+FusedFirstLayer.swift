import LinearAlgebra
import MLPCore

extension Trainer {
    /// The sparse first layer's weight gradient fused into its SGD step, and with several
    /// threads the first layer owned by inputs.
    ///
    /// Each thread owns a range of the first layer's inputs, the rows of its weight matrix (all
    /// of them with one thread; the ranges are balanced on each run's data,
    /// ``balancedRanges(columnNonZeros:threads:)``). It lists the non-zero inputs of its range for the whole batch
    /// itself, runs its part of the first layer's forward product (its inputs, every output
    /// column) over every worker's rows, and after back-propagation computes the weight gradient
    /// of its rows slice by slice in registers, each slice going straight into the SGD step on its
    /// weights and velocities: the gradient is never stored. The layers above stay
    /// data-parallel, each worker its own rows, and their gradients are reduced and updated as in
    /// ``trainingStep(_:indices:)``; each worker first sums the threads' partial products of its
    /// rows and adds the bias and activation.
    ///
    /// What this saves: in the data-parallel step each worker writes a whole first-layer
    /// gradient (80 % of the section-B network's parameters) and the update stage reads it back,
    /// and with two threads each update thread reads the other's half and rewrites weights the
    /// other core reads next, half a megabyte crossing between cores per thread and batch. Owned
    /// by inputs, a thread's weights and velocities stay in its own cache, and each thread lists
    /// only its share of every row (listing the whole batch on every thread, as the earlier split
    /// by output columns had to, cost a fifth of the step); what crosses between cores is the
    /// partial products and the first layer's delta. Sharing one thread's lists across cores
    /// measured slower than either (README, issue 16).
    ///
    /// A step runs three jobs (four when the features are not bytes, which are loaded first):
    /// each thread lists its inputs of the batch and runs its part of the first layer, each
    /// worker loading its rows' targets; each worker sums its rows' partial products, adds bias
    /// and activation, runs the layers above and back-propagates to the first layer's delta and
    /// bias gradient; each thread runs the fused gradient and step on its rows and reduces and
    /// updates its share of the other parameters. Partial products are summed in thread order and
    /// the gradient over the whole batch in a fixed order, so a run is deterministic for a given
    /// path and thread count (with several threads the forward product's sums are grouped by
    /// range, so runs at different thread counts differ in the last bits).
    ///
    /// It applies to one process training with SGD, Adam or AdamW, without gradient clipping or
    /// dropout, a first layer that may run sparse with a layer above it and at least one input per
    /// thread, ``TrainingConfiguration/fusesFirstLayer`` on, and lists within ``listBudget``; a set whose first samples run dense
    /// (``inputIsSparseEnough(_:samples:)``), and a batch whose input runs dense, take the
    /// data-parallel step.
    struct FusedFirstLayer {
        /// Per thread: its inputs of the first layer, the rows of the layer's weights it owns (about
        /// an equal share of the inputs' non-zeros each, see
        /// ``balancedRanges(columnNonZeros:threads:)``; all of them with one thread).
        let inputRanges: [Range<Int>]
        /// Per thread: the whole batch's non-zero inputs in its range, which each thread lists
        /// for itself.
        let inputs: [SparseInput]
        /// Per thread: the non-zero inputs its listing found, or -1 when its lists could not hold them.
        let nonZeros: UnsafeMutablePointer<Int>
        /// Per thread (with several): its partial first-layer product for the rows of the other
        /// workers, `batchCapacity × fanOut` floats (its own worker's rows go straight into that
        /// worker's activation).
        let partials: [UnsafeMutablePointer<Float>]
        /// Per thread: `(batchCapacity + 1) × 64` floats for the fused kernel's packed slices.
        let scratch: [UnsafeMutablePointer<Float>]
        /// The bytes of the partial products and scratch.
        private let bufferBytes: Int
        /// Per worker: its rows of the first layer's delta, set before the update job.
        let deltas: UnsafeMutablePointer<DeltaBlock>
        /// The update segments without the first layer's weights.
        let segments: [[UpdateSegment]]

        /// The bytes the fused layer allocates for a network of `layerCount` layers whose first
        /// has `inputs` inputs and `outputs` outputs, or nil where it does not apply (see the
        /// type's description): the trainer and the memory estimate ask the same question.
        static func plannedBytes(configuration: TrainingConfiguration, inputs: Int, outputs: Int, layerCount: Int,
                                 threads: Int, processes: Int, batchCapacity: Int) -> Double? {
            guard configuration.fusesFirstLayer, processes == 1, threads >= 1, configuration.gradientClipNorm == nil,
                  configuration.dropout == 0, configuration.inputKernel != .dense, layerCount >= 2, inputs >= threads,
                  SparseInput.fits(capacity: batchCapacity, columns: inputs) else { return nil }
            let bytes = listBytes(threads: threads, batchCapacity: batchCapacity, inputs: inputs, outputs: outputs,
                                  density: configuration.inputKernel.listedDensity(threshold: configuration.sparseInputDensity))
            return bytes <= listBudget ? bytes : nil
        }

        /// The fused layer for `threads` threads, or nil where it does not apply; each thread owns
        /// its range of `ranges` (`threads` consecutive non-empty ranges covering the inputs;
        /// equal shares by default).
        init?(layers: [DenseLayer], configuration: TrainingConfiguration, workers: [BatchWorker], threads: Int,
              processes: Int, batchCapacity: Int, ranges: [Range<Int>]? = nil) {
            guard let first = layers.first,
                  FusedFirstLayer.plannedBytes(configuration: configuration, inputs: first.fanIn, outputs: first.fanOut,
                                               layerCount: layers.count, threads: threads, processes: processes,
                                               batchCapacity: batchCapacity) != nil else { return nil }
            let density = configuration.inputKernel.listedDensity(threshold: configuration.sparseInputDensity)
            let ranges = ranges ?? FusedFirstLayer.inputRanges(inputs: first.fanIn, threads: threads)
            precondition(ranges.count == threads && ranges.first?.lowerBound == 0 && ranges.last?.upperBound == first.fanIn
                         && zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }
                         && ranges.allSatisfy { !$0.isEmpty }, "\(ranges) do not split \(first.fanIn) inputs among \(threads) threads")
            inputRanges = ranges
            inputs = ranges.map { range in
                SparseInput(capacity: batchCapacity, columns: range.count,
                            maximumDensity: FusedFirstLayer.maximumDensity(density, inputs: first.fanIn, range: range), packsSlices: false)
            }
            nonZeros = .allocate(capacity: threads)
            nonZeros.initialize(repeating: -1, count: threads)
            partials = threads > 1 ? (0..<threads).map { _ in LineAlignedBuffer.zeroed(batchCapacity &* first.fanOut) } : []
            scratch = (0..<threads).map { _ in LineAlignedBuffer.zeroed((batchCapacity &+ 1) &* 64) }
            bufferBytes = (partials.count &* batchCapacity &* first.fanOut &+ threads &* (batchCapacity &+ 1) &* 64) &* 4
            deltas = .allocate(capacity: workers.count)
            segments = UpdateSegment.partition(layers: layers, threads: threads, skippingFirstWeights: true)
        }

        /// The most bytes the threads' lists, partial products and scratch may take together;
        /// past it (huge batches) the data-parallel step, whose lists are split over the workers.
        static let listBudget: Double = 64 * 1024 * 1024

        /// The bytes of `threads` threads' lists (each with room for `density` of a whole row's
        /// inputs within its range), partial products and scratch for batches of `batchCapacity`
        /// rows of `inputs` inputs (at least one per thread) and a first layer of `outputs`
        /// outputs: what the initialiser allocates for them.
        static func listBytes(threads: Int, batchCapacity: Int, inputs: Int, outputs: Int, density: Double) -> Double {
            let rows = Double(batchCapacity)
            var total = threads > 1 ? Double(threads) * rows * Double(outputs) * 4 : 0
            for range in inputRanges(inputs: inputs, threads: threads) {
                total += Double(SparseInput.bytes(capacity: batchCapacity, columns: range.count,
                                                  maximumDensity: maximumDensity(density, inputs: inputs, range: range),
                                                  packsSlices: false))
                    + (rows + 1) * 256
            }
            return total
        }

        /// Thread `thread`'s equal share of `inputs` inputs, for each thread.
        static func inputRanges(inputs: Int, threads: Int) -> [Range<Int>] {
            (0..<threads).map { thread in (inputs &* thread / threads)..<(inputs &* (thread &+ 1) / threads) }
        }

        /// The threads' ranges of `columnNonZeros.count` inputs that give each about the same
        /// share of the non-zero inputs counted in `columnNonZeros` (per input): thread `t`'s range
        /// ends at the first input where the running count reaches `(t + 1) / threads` of the
        /// total, each range keeping at least one input; equal shares when nothing was counted.
        ///
        /// A thread's listing, forward product and fused step each cost about one pass per
        /// non-zero in its range. MNIST's lower half holds 52.6 % of the non-zeros, so with equal
        /// shares the thread owning it took 4–6 ms longer per epoch in each of those jobs, which
        /// the other spent waiting (clocked per job); split at input 407 instead of 392 the
        /// jobs take the same time (README, issue 16).
        static func balancedRanges(columnNonZeros: [Int], threads: Int) -> [Range<Int>] {
            let inputs = columnNonZeros.count
            precondition(threads >= 1 && inputs >= threads, "\(inputs) inputs cannot be split among \(threads) threads")
            var before = [0]  // before[i]: the non-zeros of inputs 0..<i
            for count in columnNonZeros { before.append(before[before.count - 1] + count) }
            let total = before[inputs]
            guard total > 0 else { return inputRanges(inputs: inputs, threads: threads) }
            var starts = [0]
            for thread in 1..<threads {
                let share = Double(total) * Double(thread) / Double(threads)
                let reached = (1...inputs).first { Double(before[$0]) >= share } ?? inputs
                starts.append(Swift.min(Swift.max(reached, starts[thread - 1] + 1), inputs - (threads - thread)))
            }
            return (0..<threads).map { starts[$0]..<(($0 + 1 < threads) ? starts[$0 + 1] : inputs) }
        }

        /// Room in a thread's lists for `density` of the whole row, so that a range denser than
        /// the rest still fits.
        static func maximumDensity(_ density: Double, inputs: Int, range: Range<Int>) -> Double {
            Swift.min(1, density * Double(inputs) / Double(range.count))
        }

        /// The bytes the lists, partial products and scratch took.
        var allocatedBytes: Int { inputs.reduce(bufferBytes) { $0 &+ $1.allocatedBytes } }

        func deallocate() {
            for buffer in scratch { buffer.deallocate() }
            for buffer in partials { buffer.deallocate() }
            nonZeros.deallocate()
            deltas.deallocate()
        }
    }

    /// Whether the samples `samples` of `features` are sparse enough for the automatic kernel
    /// (always with the sparse kernel): ``trainingStep(_:indices:)`` tries the fused step only on
    /// sets found so (``TrainingSet/mayFuseFirstLayer``), so that dense data does not list each
    /// batch twice, for the fused step and then for the data-parallel one.
    func inputIsSparseEnough(_ features: any FeatureSource, samples: [Int]) -> Bool {
        guard configuration.inputKernel == .automatic else { return configuration.inputKernel == .sparse }
        return inputIsSparseEnough(columnNonZeros: inputNonZeros(features, samples: samples), samples: samples.count)
    }

    /// ``inputIsSparseEnough(_:samples:)`` from the per-input non-zero counts of `samples` samples.
    func inputIsSparseEnough(columnNonZeros: [Int], samples: Int) -> Bool {
        guard configuration.inputKernel == .automatic else { return configuration.inputKernel == .sparse }
        let nonZeros = columnNonZeros.reduce(0, +)
        return configuration.inputKernel.runsSparse(density: Double(nonZeros) / Double(Swift.max(1, samples &* inputCount)),
                                                    threshold: configuration.sparseInputDensity)
    }

    /// Per input, how many of the samples `samples` of `features` have it non-zero (a NaN counts).
    /// Float sources are copied through the batch buffer, a batch at a time.
    func inputNonZeros(_ features: any FeatureSource, samples: [Int]) -> [Int] {
        let featureCount = features.featureCount
        var counts = [Int](repeating: 0, count: featureCount)
        counts.withUnsafeMutableBufferPointer { counts in
            let counted: Bool? = Trainer.withFeatureBytes(features) { bytes, _ in
                for sample in samples {
                    let row = bytes + sample &* featureCount
                    for column in 0..<featureCount { counts[column] &+= row[column] != 0 ? 1 : 0 }
                }
                return true
            }
            guard counted == nil else { return }
            var start = 0
            while start < samples.count {
                let end = Swift.min(start &+ batchCapacity, samples.count)
                samples[start..<end].withUnsafeBufferPointer { features.copyFeatures(of: $0, into: batchInput) }
                for row in 0..<(end &- start) {
                    let values = batchInput + row &* featureCount
                    for column in 0..<featureCount { counts[column] &+= values[column] != 0 ? 1 : 0 }
                }
                start = end
            }
        }
        return counts
    }

    /// Gives the fused first layer's threads the input ranges that balance the non-zeros counted
    /// in `columnNonZeros` (``FusedFirstLayer/balancedRanges(columnNonZeros:threads:)``), allocating
    /// its lists again when they change; called once per run, before its first batch.
    func balanceFusedFirstLayer(columnNonZeros: [Int]) {
        guard let fused = fusedFirstLayer, fused.inputRanges.count > 1, columnNonZeros.count == inputCount else { return }
        let ranges = FusedFirstLayer.balancedRanges(columnNonZeros: columnNonZeros, threads: fused.inputRanges.count)
        guard ranges != fused.inputRanges,
              let balanced = FusedFirstLayer(layers: layers, configuration: configuration, workers: workers,
                                             threads: ranges.count, processes: 1, batchCapacity: batchCapacity,
                                             ranges: ranges) else { return }
        fused.deallocate()
        fusedFirstLayer = balanced
    }

    /// ``trainingStep(_:indices:)`` with the fused first layer; nil when the batch's input runs
    /// dense (then the caller takes the data-parallel step).
    func fusedStep(_ fused: FusedFirstLayer, _ set: TrainingSet, indices: UnsafeBufferPointer<Int>)
        throws(NeuralNetworkError) -> StepOutcome? {
        let rows = indices.count
        let used = Swift.min(workers.count, rows)
        let threads = fused.inputRanges.count
        let batch = BatchSource(set: set, indices: indices)
        let hasBytes = set.features.withScaledFeatureBytes { _, _ in true } ?? false
        if !hasBytes { runJob(.fusedLoad(rows: rows, workersUsed: used, batch: batch), threads: used) }
        runJob(.fusedFirstForward(rows: rows, workersUsed: used, batch: batch, fromBytes: hasBytes), threads: threads)
        var nonZeros = 0
        for thread in 0..<threads {
            guard fused.nonZeros[thread] >= 0 else { return nil }
            nonZeros &+= fused.nonZeros[thread]
        }
        guard configuration.inputKernel.runsSparse(density: Double(nonZeros) / Double(rows &* inputCount),
                                                   threshold: configuration.sparseInputDensity) else { return nil }
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
            guard index < fused.inputRanges.count else { return }
            let input = fused.inputs[index], range = fused.inputRanges[index], features = batch.set.features
            if fromBytes {
                if index < used {
                    let (start, count) = Trainer.block(index, of: used, rows: rows)
                    loadRows(of: batch.set, indices: batch.indices, start: start, count: count,
                             features: batch.set.targets.areInputs)
                }
                let listed = Trainer.withFeatureBytes(features) { bytes, scale in
                    input.load(bytes: bytes + range.lowerBound, indices: batch.indices, rowStride: inputCount, scale: scale)
                }
                fused.nonZeros[index] = listed != nil && input.isFilled ? input.nonZeroCount : -1
            } else {
                input.load(batchInput + range.lowerBound, rows: rows, rowStride: inputCount)
                fused.nonZeros[index] = input.isFilled ? input.nonZeroCount : -1
            }
            guard fused.nonZeros[index] >= 0 else { return }
            firstLayerPartialProduct(fused, thread: index, rows: rows, workersUsed: used)
        case .fusedUpperGradient(let rows, let used, let batch, let deltaScale):
            guard index < used else { return }
            let (start, count) = Trainer.block(index, of: used, rows: rows)
            let worker = workers[index], first = layers[0]
            if fused.inputRanges.count > 1 { sumPartialProducts(fused, worker: index, start: start, count: count) }
            first.activation.addBiasAndActivate(worker.activations[0], rows: count, columns: first.fanOut,
                                                bias: parameters + first.biasOffset)
            workerSums[index] = worker.accumulateGradient(
                parameters: parameters, input: batchInput + start &* inputCount, rows: count,
                targets: targetBlock(of: batch.set).advanced(byRows: start, columns: outputCount),
                deltaScale: deltaScale, gradient: index == 0 ? gradient : (worker.ownGradient ?? gradient),
                inputLoaded: true, rowWeights: batch.set.sampleWeights == nil ? nil : UnsafePointer(batchWeights + start),
                firstLayerDone: true)
        case .fusedUpdate(let used, let normalizer):
            var squares: Double = 0
            let l2Scale = L2Penalty.gradientScale(alpha: configuration.alpha, normalizer: normalizer)
            if index < fused.inputRanges.count, !fused.inputRanges[index].isEmpty {
                let first = layers[0]
                let rows = first.offset &+ fused.inputRanges[index].lowerBound &* first.fanOut
                let lists = fused.inputs[index].buffers, deltas = UnsafeBufferPointer(start: fused.deltas, count: used)
                switch optimizer.fusedStep(l2Scale: l2Scale) {
                case .momentum(let velocity, let step):
                    squares = Kernels.active.sparseGradientStep(
                        lists, deltas: deltas, columns: 0..<first.fanOut, scratch: fused.scratch[index], parameters: parameters + rows,
                        velocity: velocity + rows, stride: first.fanOut, step: step)
                case .adam(let firstMoment, let secondMoment, let step):
                    squares = Kernels.active.sparseGradientAdamStep(
                        lists, deltas: deltas, columns: 0..<first.fanOut, scratch: fused.scratch[index], parameters: parameters + rows,
                        firstMoment: firstMoment + rows, secondMoment: secondMoment + rows, stride: first.fanOut, step: step)
                }
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

    /// Thread `thread`'s part of the first layer's product, over its inputs, for every worker's
    /// rows: its own worker's rows into that worker's first activation, the others' into its
    /// partial product (with one thread, the whole product into the one worker's activation).
    private func firstLayerPartialProduct(_ fused: FusedFirstLayer, thread: Int, rows: Int, workersUsed used: Int) {
        let first = layers[0], width = first.fanOut
        let lists = fused.inputs[thread].buffers
        let weights = parameters + (first.offset &+ fused.inputRanges[thread].lowerBound &* width)
        for worker in 0..<used {
            let (start, count) = Trainer.block(worker, of: used, rows: rows)
            let output = worker == thread ? workers[worker].activations[0] : fused.partials[thread] + start &* width
            Kernels.active.sparseMultiply(lists, rows: start..<(start &+ count), weights: weights, width: width,
                                          weightStride: width, into: output, outputStride: width)
        }
    }

    /// Worker `worker`'s rows of the first layer's product: the threads' partial products summed
    /// in thread order, `((p₀ + p₁) + p₂) + …`, into its activation (which holds its own thread's
    /// part), so that the sum does not depend on which worker adds.
    private func sumPartialProducts(_ fused: FusedFirstLayer, worker: Int, start: Int, count: Int) {
        let width = layers[0].fanOut, cells = count &* width, offset = start &* width
        let activation = workers[worker].activations[0], threads = fused.inputRanges.count
        func add(_ thread: Int) { Kernels.active.add(fused.partials[thread] + offset, to: activation, count: cells) }
        switch worker {
        case 0:
            for thread in 1..<threads { add(thread) }
        case 1:
            add(0)  // p₁ + p₀ = p₀ + p₁ exactly
            for thread in 2..<threads { add(thread) }
        default:
            // Move this thread's part to its unused rows of its partial buffer, then sum in order.
            (fused.partials[worker] + offset).update(from: activation, count: cells)
            activation.update(from: fused.partials[0] + offset, count: cells)
            for thread in 1..<threads { add(thread) }
        }
    }
}
