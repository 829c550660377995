import Foundation

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

    /// One AdamW step `t` (1-based), as PyTorch's `AdamW`: the decoupled decay
    /// `θ ← θ · (1 − η λ)` (λ = 0 for biases), then `m ← β₁ m + (1 − β₁) g`,
    /// `v ← β₂ v + (1 − β₂) g²` and `θ ← θ − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)`.
    /// The gradient used is `gradientScale · g` (for clipping).
    static func adamw(
        parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
        learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, step: Int,
        gradientScale: Float = 1
    ) {
        let t = Double(step)
        let stepSize = Float(learningRate / (1 - pow(beta1, t)))
        let inverseCorrection = Float(1 / (1 - pow(beta2, t)).squareRoot())
        let decay = Float(1 - learningRate * weightDecay)
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let c1 = 1 - b1, c2 = 1 - b2
        for k in 0..<count {
            let g = gradientScale * gradient[k]
            let m = b1 * firstMoment[k] + c1 * g
            let v = b2 * secondMoment[k] + c2 * (g * g)
            firstMoment[k] = m
            secondMoment[k] = v
            parameters[k] = parameters[k] * decay - stepSize * m / (FastMath.squareRoot(v) * inverseCorrection + eps)
        }
    }
}
