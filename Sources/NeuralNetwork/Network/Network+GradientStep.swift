import LinearAlgebra

/// The targets of a batch for ``Network``'s full-batch API.
public enum Targets: Sendable, Equatable {
    /// One class index in `0..<outputCount` per sample (for softmax cross-entropy).
    case classes([Int])
    /// An `n × outputCount` matrix (for squared error).
    case values(Matrix)
}

/// Everything about one full-batch gradient-descent step, for explanations and tests.
public struct GradientStepReport: Sendable {
    /// The outputs before the step (`n × outputCount`).
    public let outputs: Matrix
    /// The output of every layer before the step, first layer first (hidden activations
    /// `Aₗ = f(Aₗ₋₁ · Wₗ + bₗ)`; the last entry equals ``outputs``).
    public let layerOutputs: [Matrix]
    /// The loss before the step, including the L2 term.
    public let loss: Double
    /// `∂L/∂Wₗ` and `∂L/∂bₗ` for each layer, first layer first.
    public let gradients: [LayerParameters]
    /// The same gradient as one flat vector, laid out as ``Network/parameters``.
    public let flatGradient: [Float]
    /// The network after `θ ← θ − learningRate · ∂L/∂θ`.
    public let updated: Network
    /// The outputs after the step.
    public let updatedOutputs: Matrix
    /// The loss after the step.
    public let updatedLoss: Double
}

extension Network {
    /// The outputs for `inputs` and the loss against `targets`:
    /// `L = (1/n) Σᵢ ℓᵢ + alpha / (2n) · Σₗ ‖Wₗ‖²` (biases are not penalised).
    public func evaluate(_ inputs: Matrix, targets: Targets, alpha: Double = 0) -> (outputs: Matrix, loss: Double) {
        let result = run(inputs, targets: targets, alpha: alpha, computeGradient: false)
        return (result.layerOutputs[layers.count - 1], result.loss)
    }

    /// The loss and its gradient with respect to every parameter, laid out as ``parameters``:
    /// back-propagation over the whole batch, plus `(alpha / n) · Wₗ` for the L2 term.
    public func gradient(_ inputs: Matrix, targets: Targets, alpha: Double = 0) -> (loss: Double, gradient: [Float]) {
        gradient(inputs, targets: targets, alpha: alpha, inputKernel: .dense)
    }

    /// The weighted loss `L = Σᵢ wᵢ ℓᵢ / Σᵢ wᵢ + alpha / (2 Σᵢ wᵢ) · Σₗ ‖Wₗ‖²` (scikit-learn's
    /// `sample_weight`; see ``SampleWeights``) and its gradient, laid out as ``parameters``.
    /// Weights of 1 give ``gradient(_:targets:alpha:)`` exactly.
    public func gradient(
        _ inputs: Matrix, targets: Targets, alpha: Double = 0, sampleWeights: [Float]
    ) -> (loss: Double, gradient: [Float]) {
        precondition(sampleWeights.count == inputs.rows, "\(sampleWeights.count) sample weights for \(inputs.rows) samples")
        let result = run(inputs, targets: targets, alpha: alpha, computeGradient: true, sampleWeights: sampleWeights)
        return (result.loss, result.gradient)
    }

    /// The loss (and, with `computeGradient`, its gradient) with dropout's masks of update `step`
    /// on the hidden layers, the batch's rows being rows `0..<n` (for tests).
    func droppedOut(
        _ inputs: Matrix, targets: Targets, dropout: Dropout, step: Int, computeGradient: Bool
    ) -> (loss: Double, gradient: [Float], layerOutputs: [Matrix]) {
        let result = run(inputs, targets: targets, alpha: 0, computeGradient: computeGradient,
                         dropout: (dropout, DropoutDraw(step: step, firstRow: 0)))
        return (result.loss, result.gradient, result.layerOutputs)
    }

    /// ``gradient(_:targets:alpha:)`` with the first layer's kernel chosen (for tests).
    func gradient(_ inputs: Matrix, targets: Targets, alpha: Double, inputKernel: InputKernel) -> (loss: Double, gradient: [Float]) {
        let result = run(inputs, targets: targets, alpha: alpha, computeGradient: true, inputKernel: inputKernel)
        return (result.loss, result.gradient)
    }

    /// One step of plain full-batch gradient descent, `θ ← θ − learningRate · ∂L/∂θ`, with the
    /// outputs, loss and gradient before it and the outputs and loss after it.
    public func gradientDescentStep(
        _ inputs: Matrix, targets: Targets, learningRate: Double, alpha: Double = 0
    ) -> GradientStepReport {
        let before = run(inputs, targets: targets, alpha: alpha, computeGradient: true)
        let outputs = before.layerOutputs[layers.count - 1]
        var updated = self
        var stepped = parameters
        for index in stepped.indices {
            stepped[index] -= Float(learningRate) * before.gradient[index]
        }
        updated.setParameters(stepped)
        let after = updated.run(inputs, targets: targets, alpha: alpha, computeGradient: false)
        let gradients = layers.map { layer in
            LayerParameters(
                weights: Matrix(rows: layer.fanIn, columns: layer.fanOut,
                                elements: Array(before.gradient[layer.offset..<layer.biasOffset])),
                bias: Array(before.gradient[layer.biasOffset..<layer.endOffset]))
        }
        return GradientStepReport(
            outputs: outputs, layerOutputs: before.layerOutputs, loss: before.loss, gradients: gradients, flatGradient: before.gradient,
            updated: updated, updatedOutputs: after.layerOutputs[layers.count - 1], updatedLoss: after.loss)
    }

    private func run(
        _ inputs: Matrix, targets: Targets, alpha: Double, computeGradient: Bool, inputKernel: InputKernel = .dense,
        sampleWeights: [Float]? = nil, dropout: (Dropout, DropoutDraw)? = nil
    ) -> (layerOutputs: [Matrix], loss: Double, gradient: [Float]) {
        precondition(inputs.columns == inputCount,
                     "inputs are \(inputs.shapeDescription), the network expects \(inputCount) features")
        let n = inputs.rows
        precondition(n > 0, "a batch needs at least one sample")
        let labels: [Int32]
        switch targets {
        case .classes(let classes):
            precondition(loss == .softmaxCrossEntropy, "class targets need softmax cross-entropy, the loss is \(loss.name)")
            precondition(classes.count == n, "\(classes.count) labels for \(n) samples")
            precondition(classes.allSatisfy { $0 >= 0 && $0 < outputCount },
                         "every class index must lie in 0..<\(outputCount)")
            labels = classes.map { Int32($0) }
        case .values(let values):
            precondition(loss != .softmaxCrossEntropy, "value targets need a squared-error loss")
            precondition(values.rows == n && values.columns == outputCount,
                         "targets are \(values.shapeDescription), outputs are \(n)×\(outputCount)")
            labels = []
        }
        let worker = BatchWorker(layers: layers, loss: loss, capacity: n, training: computeGradient || dropout != nil,
                                 ownsGradient: false, inputKernel: inputKernel, dropout: dropout?.0)
        let normalizer = SampleWeights.normalizer(sampleWeights, rows: 0..<n)
        let rowWeights = sampleWeights ?? []
        var gradient = [Float](repeating: 0, count: computeGradient ? parameterCount : 0)
        var sums = OutputLossSums()
        parameters.withUnsafeBufferPointer { parameterBuffer in
            inputs.withUnsafeBufferPointer { inputBuffer in
                labels.withUnsafeBufferPointer { labelBuffer in
                  rowWeights.withUnsafeBufferPointer { weightBuffer in
                    let weights = sampleWeights == nil ? nil : weightBuffer.baseAddress
                    let targetValues: Matrix
                    if case .values(let values) = targets { targetValues = values } else { targetValues = Matrix(rows: 0, columns: 0) }
                    targetValues.withUnsafeBufferPointer { valueBuffer in
                        let block: TargetBlock = labels.isEmpty
                            ? .values(valueBuffer.baseAddress!) : .classes(labelBuffer.baseAddress!)
                        let parameterBase = parameterBuffer.baseAddress!
                        let inputBase = inputBuffer.baseAddress!
                        if computeGradient {
                            gradient.withUnsafeMutableBufferPointer { gradientBuffer in
                                sums = worker.accumulateGradient(
                                    parameters: parameterBase, input: inputBase, rows: n, targets: block,
                                    deltaScale: 1 / Float(normalizer),
                                    gradient: gradientBuffer.baseAddress!, rowWeights: weights, dropoutDraw: dropout?.1)
                            }
                        } else {
                            sums = worker.forwardLoss(parameters: parameterBase, input: inputBase, rows: n,
                                                      targets: block, writeDelta: false, deltaScale: 0, rowWeights: weights,
                                                      dropoutDraw: dropout?.1)
                        }
                    }
                  }
                }
            }
        }
        let layerOutputs = layers.indices.map { index in
            Matrix(rows: n, columns: layers[index].fanOut,
                   elements: Array(UnsafeBufferPointer(start: worker.activations[index], count: n * layers[index].fanOut)))
        }
        let totalLoss = L2Penalty.loss(lossSum: sums.loss, normalizer: normalizer, alpha: alpha,
                                       squaredWeights: alpha == 0 ? 0 : squaredWeightNorm)
        if alpha != 0 && computeGradient {
            let scale = L2Penalty.gradientScale(alpha: alpha, normalizer: normalizer)
            parameters.withUnsafeBufferPointer { weights in
                gradient.withUnsafeMutableBufferPointer { sums in
                    for layer in layers {
                        L2Penalty.addGradient(scale: scale, weights: weights.baseAddress! + layer.offset,
                                              to: sums.baseAddress! + layer.offset, count: layer.biasOffset - layer.offset)
                    }
                }
            }
        }
        return (layerOutputs, totalLoss, gradient)
    }
}
