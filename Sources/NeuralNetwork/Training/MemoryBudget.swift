import MLPCore

/// What a training run will allocate, estimated before anything is allocated, and what this
/// process can allocate: a network too large for the machine is refused in one line that names
/// the size, instead of aborting in the allocator.
public enum MemoryBudget {
    /// The bytes this process may still allocate (see `SystemMemory`).
    public static func availableBytes() -> Int? { SystemMemory.availableBytes() }

    /// `bytes` as "1.2 GB" / "340 MB" / "12 KB".
    public static func describe(_ bytes: Int) -> String { SystemMemory.describe(bytes) }

    /// Throws ``NeuralNetworkError/insufficientMemory(_:)`` when `bytes` (nil: more than can be
    /// counted) will not fit in what this process may allocate.
    public static func check(_ bytes: Int?, for what: String, threads: Int = 0) throws(NeuralNetworkError) {
        guard var bytes else { throw .insufficientMemory("\(what) needs more memory than can be counted") }
        // Under an address-space limit, the threads' reservations count too: a thread that cannot
        // be created would leave training waiting for it.
        bytes = bytes.addingReportingOverflow(SystemMemory.threadReservation(threads)).partialValue
        guard let available = availableBytes(), bytes > available else { return }
        throw .insufficientMemory("\(what) needs about \(describe(bytes)), and this process can allocate about \(describe(available))")
    }
}

extension TrainingConfiguration {
    /// The parameters of a network of `inputCount` inputs, these hidden layers and `outputCount`
    /// outputs; nil when the count overflows.
    public func parameterCount(inputCount: Int, outputCount: Int) -> Int? {
        var total = 0
        var previous = inputCount
        for width in hiddenLayerSizes + [outputCount] {
            let (weights, overflow1) = previous.multipliedReportingOverflow(by: width)
            let (layer, overflow2) = weights.addingReportingOverflow(width)
            let (sum, overflow3) = total.addingReportingOverflow(layer)
            guard !overflow1, !overflow2, !overflow3 else { return nil }
            total = sum
            previous = width
        }
        return total
    }

    /// The bytes a training run of this configuration allocates for a network of `inputCount`
    /// inputs and `outputCount` outputs, on batches of up to `batchRows` rows: the parameters and
    /// the copies training keeps (gradient, one gradient per extra worker thread, the optimiser's
    /// moments, early stopping's best weights, the network value and its array), each worker's
    /// activations and deltas (and, with dropout, each hidden layer's mask and dropped output),
    /// and the first layer's sparse lists where its product may run sparse
    /// (``sparseListBytes(inputCount:firstWidth:batchRows:)``). Nil when the count overflows.
    public func estimatedTrainingBytes(inputCount: Int, outputCount: Int, batchRows: Int) -> Int? {
        guard let dense = denseTrainingBytes(inputCount: inputCount, outputCount: outputCount, batchRows: batchRows) else {
            return nil
        }
        let lists = sparseListBytes(inputCount: inputCount, firstWidth: hiddenLayerSizes.first ?? outputCount,
                                    batchRows: batchRows)
        guard lists < Double(Int.max / 2) else { return nil }
        let (total, overflow) = dense.addingReportingOverflow(Int(lists.rounded(.up)))
        return overflow ? nil : total
    }

    /// The bytes of the first layer's sparse lists, 0 with the dense input kernel: each worker's,
    /// for its block of a batch (an 8-byte column entry and a 12-byte pair entry per listed input,
    /// room for every input with the sparse kernel and for the density threshold with the
    /// automatic one, a packed 64-float slice per row), and, where one process may fuse the first
    /// layer's step, each thread's lists of its inputs over the whole batch with the partial
    /// products (``Trainer/FusedFirstLayer/listBytes(threads:batchCapacity:inputs:outputs:density:)``,
    /// within its budget). An upper bound: a thread count above the batch's rows, several
    /// processes or a block too large for 32-bit offsets allocate less.
    func sparseListBytes(inputCount: Int, firstWidth: Int, batchRows: Int) -> Double {
        guard inputKernel != .dense, inputCount > 0 else { return 0 }
        let rows = Swift.max(batchRows, 1)
        let density = inputKernel.listedDensity(threshold: sparseInputDensity)
        let workers = Swift.max(1, Swift.min(resolvedThreadCount, rows))
        let rowsPerWorker = (rows + workers - 1) / workers
        var bytes: Double = 0
        if SparseInput.fits(capacity: rowsPerWorker, columns: inputCount) {
            bytes = Double(workers) * Double(SparseInput.bytes(capacity: rowsPerWorker, columns: inputCount,
                                                               maximumDensity: density, packsSlices: true))
        }
        // One process (several allocate less) at the most threads the trainer may use.
        return bytes + (Trainer.FusedFirstLayer.plannedBytes(
            configuration: self, inputs: inputCount, outputs: firstWidth, layerCount: hiddenLayerSizes.count + 1,
            threads: resolvedThreadCount, processes: 1, batchCapacity: rows) ?? 0)
    }

    /// ``estimatedTrainingBytes(inputCount:outputCount:batchRows:)`` without the sparse lists.
    private func denseTrainingBytes(inputCount: Int, outputCount: Int, batchRows: Int) -> Int? {
        guard let parameters = parameterCount(inputCount: inputCount, outputCount: outputCount) else { return nil }
        let workers = Swift.max(1, Swift.min(resolvedThreadCount, Swift.max(batchRows, 1)))
        let copies = 4 + (workers - 1) + (optimizer.usesSecondMoment ? 2 : 1) + (earlyStopping ? 1 : 0)
        let widths = [inputCount] + hiddenLayerSizes + [outputCount]
        let (activationValues, overflow1) = widths.reduce(0, +).multipliedReportingOverflow(by: Swift.max(batchRows, 1))
        let (parameterBytes, overflow2) = parameters.multipliedReportingOverflow(by: 4 * copies)
        let (activationBytes, overflow3) = activationValues.multipliedReportingOverflow(by: 4 * 3)
        let (total, overflow4) = parameterBytes.addingReportingOverflow(activationBytes)
        guard !(overflow1 || overflow2 || overflow3 || overflow4) else { return nil }
        guard dropout > 0 else { return total }
        // Dropout's mask and dropped output, per hidden layer, per worker row.
        let (hiddenValues, overflow5) = hiddenLayerSizes.reduce(0, +).multipliedReportingOverflow(by: Swift.max(batchRows, 1))
        let (dropoutBytes, overflow6) = hiddenValues.multipliedReportingOverflow(by: 4 * 2)
        let (withDropout, overflow7) = total.addingReportingOverflow(dropoutBytes)
        return overflow5 || overflow6 || overflow7 ? nil : withDropout
    }
}
