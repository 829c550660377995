import Foundation
import LinearAlgebra

/// The update kernels over raw pointers (one pass over the flat vectors, vectorised, on the active
/// kernel path; see `Kernels`).
enum ParameterUpdate {
    /// SGD with momentum: `v ← μ v − η g`; `θ ← θ + v`, or `θ ← θ + μ v − η g` with Nesterov.
    /// The gradient used is `gradientScale · g` (for clipping).
    static func sgd(
        parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        velocity: UnsafeMutablePointer<Float>, count: Int,
        learningRate: Double, momentum: Double, nesterov: Bool, gradientScale: Float = 1
    ) {
        Kernels.active.sgd(parameters: parameters, gradient: gradient, velocity: velocity, count: count,
                           learningRate: Float(learningRate), momentum: Float(momentum), nesterov: nesterov,
                           gradientScale: gradientScale)
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
        let (rate, eps, decay) = adamScalars(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                             step: step, weightDecay: weightDecay)
        Kernels.active.adam(parameters: parameters, gradient: gradient, firstMoment: firstMoment, secondMoment: secondMoment,
                            count: count, rate: rate, beta1: Float(beta1), beta2: Float(beta2), epsilon: eps, decay: decay,
                            gradientScale: gradientScale)
    }

    /// The rate, ε and decay factor that ``adam(parameters:gradient:firstMoment:secondMoment:count:learningRate:beta1:beta2:epsilon:step:gradientScale:weightDecay:)``
    /// hands the kernel for step `step`.
    static func adamScalars(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, step: Int,
                            weightDecay: Double?) -> (rate: Float, epsilon: Float, decay: Float) {
        let t = Double(step)
        let correction = (1 - pow(beta2, t)).squareRoot()
        let rate = Float(learningRate * correction / (1 - pow(beta1, t)))
        // AdamW adds ε to the bias-corrected √v̂ = √v / √(1 − β₂ᵗ); Adam (scikit-learn's) to √v.
        let eps = Float(weightDecay == nil ? epsilon : epsilon * correction)
        let decay = Float(1 - learningRate * (weightDecay ?? 0))
        return (rate, eps, decay)
    }
}
