import Foundation

/// The update rule applied to the flat parameter vector θ with gradient g after each batch.
public enum Optimizer: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stochastic gradient descent with momentum μ (scikit-learn's `SGDOptimizer`):
    /// `v ← μ v − η g`, then `θ ← θ + v`, or with Nesterov momentum `θ ← θ + μ v − η g`.
    case sgd
    /// Adam (Kingma & Ba; scikit-learn's `AdamOptimizer`), at step t:
    /// `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
    /// `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `θ ← θ − η_t · m / (√v + ε)`.
    case adam

    /// Parses `sgd` or `adam`.
    /// - Throws: ``NeuralNetworkError/unknownName(kind:name:validNames:)`` listing the choices.
    public init(name: String) throws(NeuralNetworkError) {
        switch normalizedName(name) {
        case "sgd": self = .sgd
        case "adam": self = .adam
        default: throw .unknownName(kind: "optimizer", name: name, validNames: Optimizer.allCases.map(\.rawValue))
        }
    }
}

/// The optimiser's state between batches (and between `partialFit` calls): the SGD velocity or
/// Adam's moments, laid out as the parameters.
struct OptimizerState: Sendable, Hashable {
    /// SGD's velocity `v`, or Adam's first moment `m`.
    var firstMoment: [Float] = []
    /// Adam's second moment `v` (empty for SGD).
    var secondMoment: [Float] = []
    /// The number of updates made so far (Adam's `t`).
    var step: Int = 0

    /// Zeroed state for `parameterCount` parameters.
    init(optimizer: Optimizer, parameterCount: Int) {
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = optimizer == .adam ? [Float](repeating: 0, count: parameterCount) : []
    }

    init() {}
}

/// The update kernels over raw pointers (one pass over the flat vectors, vectorised).
enum ParameterUpdate {
    /// SGD with momentum: `v ← μ v − η g`; `θ ← θ + v`, or `θ ← θ + μ v − η g` with Nesterov.
    /// The gradient used is `gradientScale · g` (for clipping).
    static func sgd(
        parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        velocity: UnsafeMutablePointer<Float>, count: Int,
        learningRate: Double, momentum: Double, nesterov: Bool, gradientScale: Float = 1
    ) {
        let eta = Float(learningRate) * gradientScale, mu = Float(momentum)
        if nesterov {
            for k in 0..<count {
                let g = gradient[k]
                let v = mu * velocity[k] - eta * g
                velocity[k] = v
                parameters[k] += mu * v - eta * g
            }
        } else {
            for k in 0..<count {
                let v = mu * velocity[k] - eta * gradient[k]
                velocity[k] = v
                parameters[k] += v
            }
        }
    }

    /// One Adam step `t` (1-based) with the bias correction folded into the rate:
    /// `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `θ ← θ − η_t · m / (√v + ε)`.
    /// The gradient used is `gradientScale · g` (for clipping).
    static func adam(
        parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
        learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, step: Int, gradientScale: Float = 1
    ) {
        let t = Double(step)
        let rate = Float(learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let c1 = 1 - b1, c2 = 1 - b2
        for k in 0..<count {
            let g = gradientScale * gradient[k]
            let m = b1 * firstMoment[k] + c1 * g
            let v = b2 * secondMoment[k] + c2 * (g * g)
            firstMoment[k] = m
            secondMoment[k] = v
            parameters[k] -= rate * m / (FastMath.squareRoot(v) + eps)
        }
    }
}
