/// How a squared error over a batch of `n` samples with `k` outputs is normalised.
///
/// The loss is `L = c · Σᵢ Σⱼ (ŷᵢⱼ − yᵢⱼ)²` and its gradient `∂L/∂ŷᵢⱼ = 2c · (ŷᵢⱼ − yᵢⱼ)`, with the
/// constant `c` below. Loss and gradient always use the same `c`.
public enum SquaredErrorConvention: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// scikit-learn's `squared_loss`: `c = 1 / (2n)`, so `L = ½ · mean over samples of Σⱼ (ŷ − y)²`
    /// and the output delta is `(ŷ − y) / n`. The default.
    case halfMeanOverSamples = "half-mean-over-samples"
    /// `c = 1 / n`: `L = mean over samples of Σⱼ (ŷ − y)²` (the textbook MSE for one output).
    case meanOverSamples = "mean-over-samples"
    /// `c = 1 / (n·k)`: the mean over every element, as PyTorch's `MSELoss` and Keras compute it.
    case meanOverElements = "mean-over-elements"

    /// The factor `n · c` that multiplies each sample's `Σⱼ (ŷ − y)²`: ½, 1 or 1/k.
    public func perSampleFactor(outputCount: Int) -> Double {
        switch self {
        case .halfMeanOverSamples: return 0.5
        case .meanOverSamples: return 1
        case .meanOverElements: return 1 / Double(outputCount)
        }
    }

    public static let choiceKind = "squared-error convention"
    public static let aliases: [String: SquaredErrorConvention] = ["sklearn": .halfMeanOverSamples, "half": .halfMeanOverSamples, "mean": .meanOverSamples]
}

/// The output layer's function paired with its loss, so that the output delta is simply
/// `∂L/∂z = scale · (prediction − target)`.
public enum LossFunction: Sendable, Hashable {
    /// Softmax outputs `pⱼ = e^(zⱼ) / Σₗ e^(zₗ)` with the cross-entropy
    /// `L = (1/n) Σᵢ −log pᵢ,yᵢ`, computed stably as `log Σₗ e^(zₗ − m) + m − z_y` with `m = maxₗ zₗ`
    /// (log-sum-exp). The output delta is `(p − onehot(y)) / n`.
    case softmaxCrossEntropy
    /// Identity outputs `ŷ = z` with the squared error normalised by `convention`.
    case squaredError(SquaredErrorConvention)

    /// scikit-learn's squared error, `½ · mean over samples of Σⱼ (ŷ − y)²`.
    public static var meanSquaredError: LossFunction { .squaredError(.halfMeanOverSamples) }

    /// A short name: `softmax-cross-entropy` or `squared-error(<convention>)`.
    public var name: String {
        switch self {
        case .softmaxCrossEntropy: return "softmax-cross-entropy"
        case .squaredError(let convention): return "squared-error(\(convention.rawValue))"
        }
    }

    /// Parses the names printed by ``name``; `squared-error` alone means scikit-learn's convention.
    public init(name: String) throws(NeuralNetworkError) {
        let key = normalizedName(name)
        if key == "softmaxcrossentropy" || key == "crossentropy" || key == "logloss" {
            self = .softmaxCrossEntropy
        } else if key == "squarederror" || key == "mse" {
            self = .meanSquaredError
        } else if key.hasPrefix("squarederror("), key.hasSuffix(")") {
            let inner = String(key.dropFirst("squarederror(".count).dropLast())
            self = .squaredError(try SquaredErrorConvention(name: inner))
        } else {
            throw .unknownName(kind: "loss", name: name,
                               validNames: ["softmax-cross-entropy", "squared-error", "squared-error(mean-over-samples)"])
        }
    }
}
