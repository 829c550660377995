import CGemmLoop
import LinearAlgebra
import MLPCore

/// The operands of one product `C = A·B` and three loops that compute it `count` times with
/// OpenBLAS's `cblas_sgemm` (row-major, no transposes, α = 1, β = 0), one for each ``Caller``.
///
/// All three use the same storage, so they see the same caches. `A` and `B` are seeded uniform
/// draws in [−1, 1]. The BLAS thread count is the caller's to set.
public final class GemmOperands {
    /// Where the `cblas_sgemm` calls are made.
    public enum Caller: String, Sendable, CaseIterable {
        /// The C loop `c_sgemm_loop`: one call from Swift into C, then C only.
        case c = "C loop"
        /// A Swift loop of `BLAS.gemm` calls over the same pointers.
        case blas = "Swift BLAS.gemm"
        /// A Swift loop of `Matrix.multiply(_:_:_:_:into:)` calls, which add their shape checks and
        /// buffer access to every call.
        case matrix = "Swift Matrix.multiply"
    }

    public let shape: GemmShape
    private let a: Matrix
    private let b: Matrix
    private var c: Matrix

    public init(shape: GemmShape, seed: UInt64 = 1) {
        var generator = SeededGenerator(seed: seed)
        self.shape = shape
        a = Matrix.random(rows: shape.m, columns: shape.k, using: &generator)
        b = Matrix.random(rows: shape.k, columns: shape.n, using: &generator)
        c = Matrix(rows: shape.m, columns: shape.n)
    }

    /// `count` products, called from `caller`.
    public func multiply(count: Int, from caller: Caller) {
        switch caller {
        case .c: multiplyFromC(count: count)
        case .blas: multiplyThroughBLAS(count: count)
        case .matrix: multiplyThroughMatrix(count: count)
        }
    }

    private func multiplyFromC(count: Int) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        withPointers { a, b, c in
            c_sgemm_loop(Int32(m), Int32(n), Int32(k), a, b, c, Int32(count))
        }
    }

    private func multiplyThroughBLAS(count: Int) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        withPointers { a, b, c in
            for _ in 0..<count {
                BLAS.gemm(.none, .none, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c, ldc: n)
            }
        }
    }

    private func multiplyThroughMatrix(count: Int) {
        for _ in 0..<count { Matrix.multiply(a, .none, b, .none, into: &c) }
    }

    /// The first element of `C`, so that a caller can keep the result alive.
    public var firstResult: Float { c[0, 0] }

    private func withPointers(
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    // The sizes are positive (GemmShape checks), so every buffer has an address.
                    body(a.baseAddress!, b.baseAddress!, c.baseAddress!)
                }
            }
        }
    }
}
