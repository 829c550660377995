import LinearAlgebra

/// The targets of a block of rows, as raw pointers into reused batch buffers.
enum TargetBlock: @unchecked Sendable {
    /// One class index in `0..<k` per row.
    case classes(UnsafePointer<Int32>)
    /// A row-major `rows × k` block of target values.
    case values(UnsafePointer<Float>)

    /// The same targets from row `offset` on (`columns` values per row).
    func advanced(byRows offset: Int, columns: Int) -> TargetBlock {
        switch self {
        case .classes(let labels): return .classes(labels + offset)
        case .values(let values): return .values(values + offset &* columns)
        }
    }
}

/// The sums returned by the output kernel for a block of rows.
struct OutputLossSums {
    /// `Σᵢ ℓᵢ`, the per-sample losses summed (not yet divided by `n`).
    var loss: Double = 0
    /// Rows whose arg-max matched the label (softmax only).
    var correct: Int = 0
}

extension LossFunction {
    /// Applies the output function in place: adds the bias, then softmax or identity.
    public func addBiasAndApplyOutput(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>
    ) {
        switch self {
        case .softmaxCrossEntropy:
            for row in 0..<rows { _ = Kernels.active.addBiasAndSoftmax(values + row &* columns, columns: columns, bias: bias) }
        case .squaredError:
            Activation.identity.addBiasAndActivate(values, rows: rows, columns: columns, bias: bias)
        }
    }

    /// Adds the bias, applies the output function and, against `targets`, sums the per-sample
    /// losses and writes the output delta `∂L/∂z = deltaScale · ∂ℓ/∂z` (with `deltaScale = 1/n` for
    /// the mean over a batch of `n`) when `delta` is given:
    ///
    /// - softmax cross-entropy: `ℓ = log Σⱼ e^(zⱼ − m) + m − z_y`, delta `= deltaScale · (p − onehot(y))`;
    /// - squared error: `ℓ = f · Σⱼ (ŷⱼ − yⱼ)²` with `f` from the convention, delta `= deltaScale · 2f · (ŷ − y)`.
    ///
    /// With `rowWeights`, row `i` adds `wᵢ · ℓᵢ` to the sum and its delta is multiplied by `wᵢ`
    /// (scikit-learn's `sample_weight`; the caller divides by `Σ wᵢ` through `deltaScale`).
    /// Without, every weight is exactly 1, so the sums and deltas are those of the unweighted loss.
    func applyOutput(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>,
        targets: TargetBlock, delta: UnsafeMutablePointer<Float>?, deltaScale: Float,
        rowWeights: UnsafePointer<Float>? = nil
    ) -> OutputLossSums {
        var sums = OutputLossSums()
        switch (self, targets) {
        case (.softmaxCrossEntropy, .classes(let labels)):
            for row in 0..<rows {
                let line = values + row &* columns
                let label = Int(labels[row])
                let logit = line[label] + bias[label]
                let logSumExp = Kernels.active.addBiasAndSoftmax(line, columns: columns, bias: bias)
                let weight = rowWeights?[row] ?? 1
                sums.loss += Double(weight) * (Double(logSumExp) - Double(logit))
                var best = 0
                for column in 1..<columns where line[column] > line[best] { best = column }
                if best == label { sums.correct &+= 1 }
                if let delta {
                    let out = delta + row &* columns
                    let scale = deltaScale * weight
                    for column in 0..<columns { out[column] = line[column] * scale }
                    out[label] -= scale
                }
            }
        case (.squaredError(let convention), .values(let targetValues)):
            let factor = Float(convention.perSampleFactor(outputCount: columns))
            let gradientScale = 2 * factor * deltaScale
            for row in 0..<rows {
                let line = values + row &* columns
                let target = targetValues + row &* columns
                let weight = rowWeights?[row] ?? 1
                var rowSum: Float = 0
                for column in 0..<columns {
                    let prediction = line[column] + bias[column]
                    line[column] = prediction
                    let difference = prediction - target[column]
                    rowSum += difference * difference
                }
                if let delta {
                    let out = delta + row &* columns
                    let scale = gradientScale * weight
                    for column in 0..<columns { out[column] = scale * (line[column] - target[column]) }
                }
                sums.loss += Double(weight) * Double(factor) * Double(rowSum)
            }
        case (.softmaxCrossEntropy, .values), (.squaredError, .classes):
            preconditionFailure("loss \(name) cannot be paired with these targets")
        }
        return sums
    }
}
