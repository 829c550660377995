import LinearAlgebra
import NeuralNetwork

/// The best linear `k`-dimensional reconstruction of data (principal component analysis), from
/// the eigendecomposition of the training covariance `C = (1/n) Σ (x − μ)(x − μ)ᵀ` by LAPACK.
///
/// A sample is reconstructed as `x̂ = μ + V_k V_kᵀ (x − μ)` with `V_k` the eigenvectors of the
/// `k` largest eigenvalues. On the training data its mean squared error per element is
/// `(1/d) Σ_{j > k} λ_j`, the sum of the discarded eigenvalues over the dimension `d`: no linear
/// encoder–decoder of width `k` (an identity-activation autoencoder included) can do better.
public struct PCABaseline: Sendable {
    /// The training mean μ.
    public let mean: [Float]
    /// `d × k`: the top-`k` eigenvectors as columns, largest eigenvalue first.
    public let components: Matrix
    /// All `d` eigenvalues of the covariance, largest first.
    public let eigenvalues: [Double]

    /// Fits the top `components` principal directions of `data` (`n × d`).
    /// - Throws: `LinearAlgebraError` when LAPACK fails.
    public init(fitting data: Matrix, components k: Int) throws(LinearAlgebraError) {
        let n = data.rows, d = data.columns
        precondition(n > 0 && k >= 1 && k <= d, "PCA of \(k) components for \(data.shapeDescription) data")
        let means = data.columnMeans()
        var centered = data
        centered.addRowVector(means.map { -$0 })
        var covariance = Matrix(rows: d, columns: d)
        Matrix.multiply(centered, .transposed, centered, .none, into: &covariance, alpha: 1 / Float(n))
        let (values, vectors) = try covariance.symmetricEigendecomposition()
        // LAPACK returns ascending eigenvalues; take the last k columns, largest first.
        var top = Matrix(rows: d, columns: k)
        for column in 0..<k {
            let source = d - 1 - column
            for row in 0..<d { top[row, column] = vectors[row, source] }
        }
        mean = means
        components = top
        eigenvalues = values.reversed().map { Double(max($0, 0)) }
    }

    /// The number of components kept.
    public var componentCount: Int { components.columns }

    /// `(1/d) Σ_{j > k} λ_j`: the training reconstruction MSE per element.
    public var trainingFloor: Double {
        eigenvalues.dropFirst(componentCount).reduce(0, +) / Double(eigenvalues.count)
    }

    /// The fraction of the variance the kept components explain.
    public var explainedVarianceRatio: Double {
        let total = eigenvalues.reduce(0, +)
        return total > 0 ? eigenvalues.prefix(componentCount).reduce(0, +) / total : 1
    }

    /// The `n × k` codes `V_kᵀ (x − μ)` of each row.
    public func encode(_ data: Matrix) -> Matrix {
        var centered = data
        centered.addRowVector(mean.map { -$0 })
        return Matrix.product(centered, .none, components, .none)
    }

    /// `μ + V_k V_kᵀ (x − μ)` for each row.
    public func reconstruct(_ data: Matrix) -> Matrix {
        var result = Matrix.product(encode(data), .none, components, .transposed)
        result.addRowVector(mean)
        return result
    }

    /// The mean squared error per element of reconstructing `data`.
    public func reconstructionError(_ data: Matrix) -> Double {
        Metrics.meanSquaredError(predicted: reconstruct(data), expected: data)
    }

}
