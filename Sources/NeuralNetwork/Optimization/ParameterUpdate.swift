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
    /// `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `θ ← θ − η_t · m / (√v + ε)`. With `weightDecay` λ it
    /// is AdamW's step, as PyTorch's `AdamW`: first the decoupled decay `θ ← θ · (1 − η λ)`, then
    /// `θ ← θ − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)`, which is the Adam step above with
    /// `ε · √(1 − β₂ᵗ)` for `ε`. Without decay (`λ = 0`) the decay factor is exactly 1.
    /// The gradient used is `gradientScale · g` (for clipping).
    static func adam(
        parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
        learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, step: Int, gradientScale: Float = 1,
        weightDecay: Double? = nil
    ) {
        let t = Double(step)
        let correction = (1 - pow(beta2, t)).squareRoot()
        let rate = Float(learningRate * correction / (1 - pow(beta1, t)))
        let b1 = Float(beta1), b2 = Float(beta2)
        // AdamW adds ε to the bias-corrected √v̂ = √v / √(1 − β₂ᵗ); Adam (scikit-learn's) to √v.
        let eps = Float(weightDecay == nil ? epsilon : epsilon * correction)
        let decay = Float(1 - learningRate * (weightDecay ?? 0))
        let c1 = 1 - b1, c2 = 1 - b2
        for k in 0..<count {
            let g = gradientScale * gradient[k]
            let m = b1 * firstMoment[k] + c1 * g
            let v = b2 * secondMoment[k] + c2 * (g * g)
            firstMoment[k] = m
            secondMoment[k] = v
            parameters[k] = parameters[k] * decay - rate * m / (FastMath.squareRoot(v) + eps)
        }
    }
}
