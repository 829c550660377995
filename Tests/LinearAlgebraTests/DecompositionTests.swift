import Testing
@testable import LinearAlgebra
import MLPCore

@Suite("LAPACK decompositions")
struct DecompositionTests {
    @Test("ssyevd rebuilds a symmetric matrix from V·diag(λ)·Vᵀ, with orthonormal V")
    func symmetricEigen() throws {
        var generator = SeededGenerator(seed: 21)
        let base = Matrix.random(rows: 12, columns: 12, using: &generator)
        let symmetric = Matrix.product(base, .transposed, base, .none)  // BᵀB is symmetric PSD
        let (values, vectors) = try symmetric.symmetricEigendecomposition()
        #expect(values == values.sorted())
        #expect(values.allSatisfy { $0 > -1e-3 })
        var scaled = vectors
        for i in 0..<12 { for j in 0..<12 { scaled[i, j] *= values[j] } }
        let rebuilt = Matrix.product(scaled, .none, vectors, .transposed)
        expectClose(rebuilt, symmetric, tolerance: 1e-4)
        expectClose(Matrix.product(vectors, .transposed, vectors, .none), .identity(12), tolerance: 1e-4)
    }

    @Test("the eigenvalues of a diagonal matrix are its diagonal")
    func diagonalEigen() throws {
        let diagonal = Matrix([[3, 0, 0], [0, -1, 0], [0, 0, 2]])
        let (values, _) = try diagonal.symmetricEigendecomposition()
        #expect(values == [-1, 2, 3])
    }

    @Test("sgesdd rebuilds A = U·diag(σ)·Vᵀ for tall and wide matrices", arguments: [(30, 8), (8, 30), (10, 10)])
    func singularValueDecomposition(shape: (Int, Int)) throws {
        var generator = SeededGenerator(seed: 31)
        let a = Matrix.random(rows: shape.0, columns: shape.1, using: &generator)
        let (u, sigma, vt) = try a.singularValueDecomposition()
        let r = min(shape.0, shape.1)
        #expect(u.rows == shape.0 && u.columns == r && vt.rows == r && vt.columns == shape.1)
        #expect(sigma == sigma.sorted(by: >))
        var scaled = u
        for i in 0..<u.rows { for j in 0..<r { scaled[i, j] *= sigma[j] } }
        expectClose(Matrix.product(scaled, .none, vt, .none), a, tolerance: 1e-4)
        let alone = try a.singularValues()
        for (x, y) in zip(alone, sigma) { #expect(abs(x - y) < 1e-4 * max(1, y)) }
    }

    @Test("a known closed form: the singular values of [[3, 0], [4, 5]] are 3√5 and √5")
    func knownSingularValues() throws {
        let values = try Matrix([[3, 0], [4, 5]]).singularValues()
        #expect(abs(values[0] - 3 * Float(5).squareRoot()) < 1e-5)
        #expect(abs(values[1] - Float(5).squareRoot()) < 1e-5)
    }

    @Test("a LAPACK failure is reported as a typed error")
    func lapackErrorDescription() {
        let illegal = LinearAlgebraError.lapackFailure(routine: "sgesdd", info: -4)
        #expect(illegal.description.contains("argument 4"))
        let nonConvergence = LinearAlgebraError.lapackFailure(routine: "ssyevd", info: 3)
        #expect(nonConvergence.description.contains("did not converge"))
    }
}
