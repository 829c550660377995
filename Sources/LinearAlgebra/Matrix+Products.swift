extension Matrix {
    /// The shape of `op(self)`.
    @inlinable
    func shape(_ transpose: Transpose) -> (rows: Int, columns: Int) {
        transpose == .none ? (rows, columns) : (columns, rows)
    }

    static func checkProductShapes(
        _ a: Matrix, _ transposeA: Transpose, _ b: Matrix, _ transposeB: Transpose, _ c: Matrix
    ) -> (m: Int, n: Int, k: Int) {
        let opA = a.shape(transposeA)
        let opB = b.shape(transposeB)
        precondition(
            opA.columns == opB.rows,
            "product shape mismatch: op(A) is \(opA.rows)×\(opA.columns) (A \(a.shapeDescription)), op(B) is \(opB.rows)×\(opB.columns) (B \(b.shapeDescription))")
        precondition(
            c.rows == opA.rows && c.columns == opB.columns,
            "product output shape mismatch: op(A)·op(B) is \(opA.rows)×\(opB.columns), C is \(c.shapeDescription)")
        return (opA.rows, opB.columns, opA.columns)
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` through `cblas_sgemm`, into the preallocated `c`.
    ///
    /// Allocates nothing when `c` is uniquely referenced.
    public static func multiply(
        _ a: Matrix, _ transposeA: Transpose = .none,
        _ b: Matrix, _ transposeB: Transpose = .none,
        into c: inout Matrix, alpha: Float = 1, beta: Float = 0
    ) {
        let (m, n, k) = checkProductShapes(a, transposeA, b, transposeB, c)
        if m == 0 || n == 0 { return }
        a.elements.withUnsafeBufferPointer { aBuffer in
            b.elements.withUnsafeBufferPointer { bBuffer in
                c.elements.withUnsafeMutableBufferPointer { cBuffer in
                    BLAS.gemm(
                        transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                        a: aBuffer.baseAddress!, lda: Swift.max(1, a.columns),
                        b: bBuffer.baseAddress!, ldb: Swift.max(1, b.columns),
                        beta: beta, c: cBuffer.baseAddress!, ldc: Swift.max(1, c.columns))
                }
            }
        }
    }

    /// `op(A) · op(B)` as a new matrix.
    public static func product(
        _ a: Matrix, _ transposeA: Transpose = .none, _ b: Matrix, _ transposeB: Transpose = .none
    ) -> Matrix {
        var c = Matrix(rows: a.shape(transposeA).rows, columns: b.shape(transposeB).columns)
        multiply(a, transposeA, b, transposeB, into: &c)
        return c
    }

    /// The matrix product `lhs · rhs`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        product(lhs, .none, rhs, .none)
    }

    /// `y ← alpha · op(self) · x + beta · y` through `cblas_sgemv`.
    public func multiplyVector(
        _ x: [Float], transpose: Transpose = .none, into y: inout [Float], alpha: Float = 1, beta: Float = 0
    ) {
        let op = shape(transpose)
        precondition(x.count == op.columns,
                     "gemv shape mismatch: op(A) is \(op.rows)×\(op.columns) (A \(shapeDescription)), x has \(x.count) elements")
        precondition(y.count == op.rows,
                     "gemv output mismatch: op(A) is \(op.rows)×\(op.columns), y has \(y.count) elements")
        if rows == 0 || columns == 0 { return }
        elements.withUnsafeBufferPointer { aBuffer in
            x.withUnsafeBufferPointer { xBuffer in
                y.withUnsafeMutableBufferPointer { yBuffer in
                    BLAS.gemv(transpose, m: rows, n: columns, alpha: alpha,
                              a: aBuffer.baseAddress!, lda: columns,
                              x: xBuffer.baseAddress!, beta: beta, y: yBuffer.baseAddress!)
                }
            }
        }
    }

    /// `self ← self + alpha · other` through `cblas_saxpy`.
    public mutating func add(_ other: Matrix, scaledBy alpha: Float = 1) {
        precondition(rows == other.rows && columns == other.columns,
                     "axpy shape mismatch: \(shapeDescription) vs \(other.shapeDescription)")
        if count == 0 { return }
        other.elements.withUnsafeBufferPointer { xBuffer in
            elements.withUnsafeMutableBufferPointer { yBuffer in
                BLAS.axpy(count: xBuffer.count, alpha: alpha, x: xBuffer.baseAddress!, y: yBuffer.baseAddress!)
            }
        }
    }

    /// `self ← alpha · self` through `cblas_sscal`.
    public mutating func scale(by alpha: Float) {
        if count == 0 { return }
        elements.withUnsafeMutableBufferPointer { buffer in
            BLAS.scal(count: buffer.count, alpha: alpha, x: buffer.baseAddress!)
        }
    }
}
