import LinearAlgebra
import MLPCore

/// How a dense layer's weights (shape `fanIn × fanOut`) and biases start.
///
/// `U(−l, l)` is uniform on [−l, l] and `N(0, σ²)` normal. Biases start at zero except for
/// ``sklearn``, which draws them from the same distribution as the weights, as scikit-learn does.
public enum Initialization: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// Every weight and bias 0. Hidden units of one layer then stay identical (symmetry).
    case zero
    /// `W ~ U(−s, s)` with `s` the configured ``TrainingConfiguration/initScale``
    /// (default: `√3 · σ₀`, the limit with the variance-preserving standard deviation `σ₀` of
    /// ``standardDeviation(for:fanIn:fanOut:)``).
    case uniform
    /// `W ~ N(0, s²)` with `s` the configured ``TrainingConfiguration/initScale`` (default `σ₀`).
    case normal
    /// Xavier/Glorot uniform: `W ~ U(−l, l)`, `l = √(6 / (fanIn + fanOut))`.
    case xavierUniform = "xavier-uniform"
    /// Xavier/Glorot normal: `W ~ N(0, σ²)`, `σ = √(2 / (fanIn + fanOut))`.
    case xavierNormal = "xavier-normal"
    /// He/Kaiming uniform: `W ~ U(−l, l)`, `l = √(6 / fanIn)`.
    case heUniform = "he-uniform"
    /// He/Kaiming normal: `W ~ N(0, σ²)`, `σ = √(2 / fanIn)`.
    case heNormal = "he-normal"
    /// scikit-learn's default (`_init_coef`): `W, b ~ U(−l, l)` with `l = √(f / (fanIn + fanOut))`,
    /// where `f = 6` (Glorot uniform) and `f = 2` when the activation is the logistic sigmoid.
    case sklearn

    public static let choiceKind = "initialization"
    public static let aliases: [String: Initialization] = [
        "zeros": .zero, "gaussian": .normal, "glorotuniform": .xavierUniform, "xavier": .xavierUniform,
        "glorot": .xavierUniform, "glorotnormal": .xavierNormal, "kaiminguniform": .heUniform, "kaimingnormal": .heNormal,
        "he": .heNormal, "kaiming": .heNormal, "scikitlearn": .sklearn, "default": .sklearn,
    ]

    /// The variance-preserving standard deviation for a layer feeding `activation`:
    /// He, `σ₀ = √(2 / fanIn)`, for ReLU and leaky ReLU; Xavier, `σ₀ = √(2 / (fanIn + fanOut))`, otherwise.
    public static func standardDeviation(for activation: Activation, fanIn: Int, fanOut: Int) -> Float {
        activation.isRectifier
            ? (2 / Float(fanIn)).squareRoot()
            : (2 / Float(fanIn + fanOut)).squareRoot()
    }

    /// The variance-preserving initialisation for `activation`: ``heNormal`` for the ReLU family,
    /// ``xavierNormal`` otherwise.
    public static func varianceScaling(for activation: Activation) -> Initialization {
        activation.isRectifier ? .heNormal : .xavierNormal
    }

    /// Fills one layer's weights (`fanIn · fanOut` values) and biases (`fanOut` values).
    ///
    /// `activation` is the network's hidden activation, used for every layer as scikit-learn does
    /// (it chooses scikit-learn's factor and the default scale); `scale` overrides the default `s`
    /// of ``uniform`` and ``normal``.
    func fill(
        weights: UnsafeMutableBufferPointer<Float>, bias: UnsafeMutableBufferPointer<Float>,
        fanIn: Int, fanOut: Int, activation: Activation, scale: Float?,
        using generator: inout SeededGenerator
    ) {
        precondition(weights.count == fanIn &* fanOut && bias.count == fanOut,
                     "initialisation buffers of \(weights.count) and \(bias.count) do not fit a \(fanIn)×\(fanOut) layer")
        let sigma0 = Initialization.standardDeviation(for: activation, fanIn: fanIn, fanOut: fanOut)
        for index in bias.indices { bias[index] = 0 }
        switch self {
        case .zero:
            for index in weights.indices { weights[index] = 0 }
        case .uniform:
            fillUniform(weights, limit: scale ?? (3 as Float).squareRoot() * sigma0, using: &generator)
        case .normal:
            fillNormal(weights, standardDeviation: scale ?? sigma0, using: &generator)
        case .xavierUniform:
            fillUniform(weights, limit: (6 / Float(fanIn + fanOut)).squareRoot(), using: &generator)
        case .xavierNormal:
            fillNormal(weights, standardDeviation: (2 / Float(fanIn + fanOut)).squareRoot(), using: &generator)
        case .heUniform:
            fillUniform(weights, limit: (6 / Float(fanIn)).squareRoot(), using: &generator)
        case .heNormal:
            fillNormal(weights, standardDeviation: (2 / Float(fanIn)).squareRoot(), using: &generator)
        case .sklearn:
            let factor: Float = activation == .sigmoid ? 2 : 6
            let limit = (factor / Float(fanIn + fanOut)).squareRoot()
            fillUniform(weights, limit: limit, using: &generator)
            fillUniform(bias, limit: limit, using: &generator)
        }
    }

    private func fillUniform(
        _ buffer: UnsafeMutableBufferPointer<Float>, limit: Float, using generator: inout SeededGenerator
    ) {
        for index in buffer.indices { buffer[index] = limit * (2 * generator.nextUnitFloat() - 1) }
    }

    private func fillNormal(
        _ buffer: UnsafeMutableBufferPointer<Float>, standardDeviation: Float, using generator: inout SeededGenerator
    ) {
        for index in buffer.indices { buffer[index] = standardDeviation * generator.nextStandardNormal() }
    }
}
