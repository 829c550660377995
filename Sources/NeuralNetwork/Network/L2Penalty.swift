import LinearAlgebra

/// The L2 penalty on the weights (not the biases), with scikit-learn's scaling: a batch of `n`
/// samples adds `α / (2n) · Σₗ ‖Wₗ‖²` to its mean loss and `(α / n) · Wₗ` to each weight's
/// gradient. The full-batch API and training both use these two functions.
enum L2Penalty {
    /// The gradient factor `α / n` with `n` the batch's normaliser: its rows, or with sample
    /// weights `Σ wᵢ` (scikit-learn's `sw_sum`).
    static func gradientScale(alpha: Double, normalizer: Double) -> Float {
        Float(alpha / normalizer)
    }

    /// The batch's loss `lossSum / n + α / (2n) · squaredWeights` with `n` the normaliser (the
    /// mean loss alone when α = 0).
    static func loss(lossSum: Double, normalizer: Double, alpha: Double, squaredWeights: Double) -> Double {
        let mean = lossSum / normalizer
        return alpha == 0 ? mean : mean + alpha / (2 * normalizer) * squaredWeights
    }

    /// `g ← g + scale · θ` over `count` weights.
    @inline(__always)
    static func addGradient(scale: Float, weights: UnsafePointer<Float>, to gradient: UnsafeMutablePointer<Float>, count: Int) {
        BLAS.axpy(count: count, alpha: scale, x: weights, y: gradient)
    }
}
