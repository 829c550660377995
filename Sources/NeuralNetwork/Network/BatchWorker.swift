import LinearAlgebra

/// One worker's buffers and the forward/backward pass over a block of rows.
///
/// Every buffer is allocated once, in `init`, for up to `capacity` rows: one activation block per
/// layer (`capacity × fanOut`), one delta block per layer when training, and optionally a private
/// gradient vector. A data-parallel step gives each worker a contiguous block of the batch's rows;
/// each writes its gradient of the *batch* mean (deltas scaled by `1/n` of the whole batch) into
/// its own vector, and the vectors are summed afterwards in a fixed order.
///
/// The class is `@unchecked Sendable` because each worker is used by one thread at a time.
final class BatchWorker: @unchecked Sendable {
    let layers: [DenseLayer]
    let loss: LossFunction
    /// The largest number of rows one call may process.
    let capacity: Int
    /// The output of each layer, `capacity × fanOut`; the last holds the network's outputs.
    let activations: [UnsafeMutablePointer<Float>]
    /// `∂L/∂Zₗ` for each layer, `capacity × fanOut` (empty for an inference-only worker).
    let deltas: [UnsafeMutablePointer<Float>]
    /// A private gradient vector, when the worker does not write into the trainer's.
    let ownGradient: UnsafeMutablePointer<Float>?
    let parameterCount: Int
    /// How the first layer multiplies its input, and the density at or below which
    /// ``InputKernel/automatic`` goes sparse.
    let inputKernel: InputKernel
    let sparseDensity: Double
    /// The non-zero inputs of the current block (nil with ``InputKernel/dense``).
    let sparseInput: SparseInput?
    /// Whether the current block's first layer ran sparse (read by ``backward``).
    private(set) var inputIsSparse = false
    /// Dropout on the hidden layers' outputs in training passes (nil without).
    let dropout: Dropout?
    /// With dropout, per hidden layer: the mask (`1/(1 − p)` or 0) and the dropped output
    /// `A ⊙ mask` that the next layer reads, `capacity × fanOut` each (empty without dropout).
    let dropoutMasks: [UnsafeMutablePointer<Float>]
    let droppedActivations: [UnsafeMutablePointer<Float>]
    /// Whether the current block's forward pass dropped units (read by ``backward``).
    private(set) var droppedOut = false

    init(layers: [DenseLayer], loss: LossFunction, capacity: Int, training: Bool, ownsGradient: Bool,
         inputKernel: InputKernel = .dense, sparseDensity: Double = TrainingConfiguration().sparseInputDensity,
         dropout: Dropout? = nil) {
        precondition(capacity > 0, "a worker needs room for at least one row, got \(capacity)")
        self.layers = layers
        self.loss = loss
        self.capacity = capacity
        self.parameterCount = layers.last?.endOffset ?? 0
        activations = layers.map { layer in
            let buffer = LineAlignedBuffer.zeroed(capacity &* layer.fanOut)
            return buffer
        }
        deltas = training ? layers.map { layer in
            let buffer = LineAlignedBuffer.zeroed(capacity &* layer.fanOut)
            return buffer
        } : []
        if ownsGradient {
            let buffer = LineAlignedBuffer.zeroed(Swift.max(parameterCount, 1))
            ownGradient = buffer
        } else {
            ownGradient = nil
        }
        self.inputKernel = inputKernel
        self.sparseDensity = sparseDensity
        self.dropout = training ? dropout : nil
        let hidden = self.dropout == nil ? [] : layers.dropLast()
        func hiddenBuffers() -> [UnsafeMutablePointer<Float>] {
            hidden.map { layer in
                let buffer = LineAlignedBuffer.zeroed(capacity &* layer.fanOut)
                return buffer
            }
        }
        dropoutMasks = hiddenBuffers()
        droppedActivations = hiddenBuffers()
        // The lists need room only for blocks that will run sparse: every entry with the sparse
        // kernel, up to the density threshold with the automatic one. A block too large for
        // 32-bit offsets runs dense.
        if inputKernel != .dense, let first = layers.first, SparseInput.fits(capacity: capacity, columns: first.fanIn) {
            sparseInput = SparseInput(capacity: capacity, columns: first.fanIn,
                                      maximumDensity: inputKernel.listedDensity(threshold: sparseDensity))
        } else {
            sparseInput = nil
        }
    }

    deinit {
        for buffer in activations { buffer.deallocate() }
        for buffer in deltas { buffer.deallocate() }
        ownGradient?.deallocate()
        for buffer in dropoutMasks { buffer.deallocate() }
        for buffer in droppedActivations { buffer.deallocate() }
    }

    /// Runs the hidden layers and the output layer's product; leaves the output layer's `X·W` in
    /// the last activation block, without bias or output function (the caller applies those).
    ///
    /// `stopAfter` ends the pass early, after that layer's activation (for `features(of:layer:)`).
    ///
    /// With `inputLoaded`, ``prepareInput(bytes:indices:scale:)`` has already collected the
    /// block's non-zero inputs and decided the kernel. With `dropoutDraw` (a training worker with
    /// dropout), each hidden layer's output is dropped with the masks of that draw, and the next
    /// layer reads the dropped output.
    ///
    /// With `firstLayerDone`, the first layer's activation is already in the first activation
    /// block (a ``Trainer`` that fuses the first layer's step computed it), and the pass
    /// starts at the second layer.
    func forwardProducts(parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int, stopAfter: Int? = nil,
                         inputLoaded: Bool = false, dropoutDraw: DropoutDraw? = nil, firstLayerDone: Bool = false) {
        precondition(rows > 0 && rows <= capacity, "\(rows) rows do not fit a worker of \(capacity)")
        precondition(dropoutDraw == nil || dropout != nil, "a dropout draw needs a training worker with dropout")
        precondition(!firstLayerDone || (dropoutDraw == nil && layers.count > 1), "a done first layer needs no dropout and a second layer")
        droppedOut = dropoutDraw != nil
        if !inputLoaded { prepareInput(input, rows: rows) }
        var previous = firstLayerDone ? UnsafePointer(activations[0]) : input
        for (index, layer) in layers.enumerated() where !(firstLayerDone && index == 0) {
            let output = activations[index]
            if index == 0 && inputIsSparse, let sparseInput {
                sparseInput.multiply(weights: parameters + layer.offset, width: layer.fanOut, weightStride: layer.fanOut,
                                     into: output, outputStride: layer.fanOut)
            } else {
                BLAS.gemmTunedForCore(.none, .none, m: rows, n: layer.fanOut, k: layer.fanIn, alpha: 1,
                                      a: previous, lda: layer.fanIn, b: parameters + layer.offset, ldb: layer.fanOut,
                                      beta: 0, c: output, ldc: layer.fanOut)
            }
            if index == layers.count &- 1 { return }
            layer.activation.addBiasAndActivate(output, rows: rows, columns: layer.fanOut, bias: parameters + layer.biasOffset)
            if index == stopAfter { return }
            previous = UnsafePointer(output)
            if let dropoutDraw, let dropout {
                dropout.apply(to: output, dropped: droppedActivations[index], mask: dropoutMasks[index], rows: rows,
                              columns: layer.fanOut, layer: index, step: dropoutDraw.step, firstRow: dropoutDraw.firstRow)
                previous = UnsafePointer(droppedActivations[index])
            }
        }
    }

    /// Collects the non-zero inputs of the `rows × fanIn` block `input` (when the worker may run
    /// sparse) and decides the first layer's kernel.
    func prepareInput(_ input: UnsafePointer<Float>, rows: Int) {
        inputIsSparse = false
        if let sparseInput {
            let density = sparseInput.load(input, rows: rows)
            inputIsSparse = sparseInput.isFilled && inputKernel.runsSparse(density: density, threshold: sparseDensity)
        }
    }

    /// Collects the non-zero inputs of the samples `indices` of a byte source (see
    /// ``SparseInput/load(bytes:indices:scale:)``) and decides the kernel; returns whether the
    /// block still needs its `Float` rows (when it runs dense). Needs a sparse-capable worker.
    func prepareInput(bytes: UnsafePointer<UInt8>, indices: UnsafeBufferPointer<Int>, scale: Float) -> Bool {
        guard let sparseInput else { preconditionFailure("a dense-only worker has no sparse input") }
        let density = sparseInput.load(bytes: bytes, indices: indices, scale: scale)
        inputIsSparse = sparseInput.isFilled && inputKernel.runsSparse(density: density, threshold: sparseDensity)
        return !inputIsSparse
    }

    /// The forward pass to the network's outputs (probabilities or values) in the last activation block.
    func predict(parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int) {
        forwardProducts(parameters: parameters, input: input, rows: rows)
        let last = layers[layers.count &- 1]
        loss.addBiasAndApplyOutput(activations[layers.count &- 1], rows: rows, columns: last.fanOut,
                                   bias: parameters + last.biasOffset)
    }

    /// The forward pass and the loss against `targets`; with `writeDelta`, also the output delta
    /// `deltaScale · ∂ℓ/∂z` into the last delta block. With `rowWeights`, row `i`'s loss and delta
    /// are multiplied by `rowWeights[i]`.
    func forwardLoss(
        parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        targets: TargetBlock, writeDelta: Bool, deltaScale: Float, inputLoaded: Bool = false,
        rowWeights: UnsafePointer<Float>? = nil, dropoutDraw: DropoutDraw? = nil, firstLayerDone: Bool = false
    ) -> OutputLossSums {
        forwardProducts(parameters: parameters, input: input, rows: rows, inputLoaded: inputLoaded, dropoutDraw: dropoutDraw,
                        firstLayerDone: firstLayerDone)
        let lastIndex = layers.count &- 1
        let last = layers[lastIndex]
        return loss.applyOutput(
            activations[lastIndex], rows: rows, columns: last.fanOut, bias: parameters + last.biasOffset,
            targets: targets, delta: writeDelta ? deltas[lastIndex] : nil, deltaScale: deltaScale, rowWeights: rowWeights)
    }

    /// Back-propagates the output delta left by ``forwardLoss`` and writes the gradient:
    /// `∂L/∂Wₗ = Aₗ₋₁ᵀ · δₗ` (GEMM with the transpose flag, `beta = 0`, straight into the gradient
    /// slice), `∂L/∂bₗ = Σᵢ δₗ[i, ·]`, and `δₗ₋₁ = (δₗ · Wₗᵀ) ⊙ f′(Aₗ₋₁)`. After a pass with
    /// dropout, `Aₗ₋₁` in the weight gradient is the dropped output `Aₗ₋₁ ⊙ Mₗ₋₁`, and
    /// `δₗ₋₁ = (δₗ · Wₗᵀ) ⊙ f′(Aₗ₋₁) ⊙ Mₗ₋₁` (the derivative taken from the output before dropout).
    ///
    /// Without `firstWeights`, the first layer's weight gradient is left out (a ``Trainer`` that
    /// fuses the first layer's step computes it from every worker's delta).
    func backward(parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
                  gradient: UnsafeMutablePointer<Float>, firstWeights: Bool = true) {
        precondition(!deltas.isEmpty, "an inference-only worker cannot back-propagate")
        var index = layers.count &- 1
        while index >= 0 {
            let layer = layers[index]
            let delta = deltas[index]
            let previous = index == 0 ? input
                : UnsafePointer(droppedOut ? droppedActivations[index &- 1] : activations[index &- 1])
            if index == 0 && !firstWeights {
                // Left to the caller.
            } else if index == 0 && inputIsSparse, let sparseInput {
                sparseInput.multiplyTransposed(delta: delta, width: layer.fanOut, deltaStride: layer.fanOut,
                                               into: gradient + layer.offset, gradientStride: layer.fanOut)
            } else {
                BLAS.gemmTunedForCore(.transposed, .none, m: layer.fanIn, n: layer.fanOut, k: rows, alpha: 1,
                                      a: previous, lda: layer.fanIn, b: delta, ldb: layer.fanOut,
                                      beta: 0, c: gradient + layer.offset, ldc: layer.fanOut)
            }
            BatchWorker.columnSums(delta, rows: rows, columns: layer.fanOut, into: gradient + layer.biasOffset)
            if index > 0 {
                let below = layers[index &- 1]
                BLAS.gemmTunedForCore(.none, .transposed, m: rows, n: layer.fanIn, k: layer.fanOut, alpha: 1,
                                      a: delta, lda: layer.fanOut, b: parameters + layer.offset, ldb: layer.fanOut,
                                      beta: 0, c: deltas[index &- 1], ldc: layer.fanIn)
                below.activation.multiplyByDerivative(
                    deltas[index &- 1], output: activations[index &- 1], count: rows &* layer.fanIn)
                if droppedOut {
                    BatchWorker.multiply(deltas[index &- 1], by: dropoutMasks[index &- 1], count: rows &* layer.fanIn)
                }
            }
            index &-= 1
        }
    }

    /// One block's share of a batch gradient: forward, loss, output delta and backward (with row
    /// weights and dropout masks when given). With `firstLayerDone`, from the first layer's
    /// activation to its delta and bias gradient, without its weight gradient.
    func accumulateGradient(
        parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        targets: TargetBlock, deltaScale: Float, gradient: UnsafeMutablePointer<Float>, inputLoaded: Bool = false,
        rowWeights: UnsafePointer<Float>? = nil, dropoutDraw: DropoutDraw? = nil, firstLayerDone: Bool = false
    ) -> OutputLossSums {
        let sums = forwardLoss(parameters: parameters, input: input, rows: rows, targets: targets,
                               writeDelta: true, deltaScale: deltaScale, inputLoaded: inputLoaded,
                               rowWeights: rowWeights, dropoutDraw: dropoutDraw, firstLayerDone: firstLayerDone)
        backward(parameters: parameters, input: input, rows: rows, gradient: gradient, firstWeights: !firstLayerDone)
        return sums
    }

    /// `values[k] ← values[k] · factors[k]` for `k < count`.
    static func multiply(_ values: UnsafeMutablePointer<Float>, by factors: UnsafePointer<Float>, count: Int) {
        for k in 0..<count { values[k] *= factors[k] }
    }

    /// `out[j] = Σᵢ values[i, j]`, rows in order (a fixed summation order).
    static func columnSums(_ values: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        for column in 0..<columns { out[column] = 0 }
        for row in 0..<rows {
            let line = values + row &* columns
            for column in 0..<columns { out[column] += line[column] }
        }
    }
}
