import CLAPACKE

extension Matrix {
    /// The eigendecomposition of a symmetric matrix, `A = V · diag(λ) · Vᵀ`, through LAPACK's `ssyevd`.
    ///
    /// Only the upper triangle is read. Eigenvalues come in ascending order; column `j` of
    /// `eigenvectors` belongs to `eigenvalues[j]`.
    /// - Throws: ``LinearAlgebraError/lapackFailure(routine:info:)`` when `info ≠ 0`.
    public func symmetricEigendecomposition() throws(LinearAlgebraError) -> (eigenvalues: [Float], eigenvectors: Matrix) {
        precondition(rows == columns, "eigendecomposition needs a square matrix, got \(shapeDescription)")
        let n = rows
        var vectors = self
        var values = [Float](repeating: 0, count: n)
        if n == 0 { return (values, vectors) }
        let info = vectors.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in
                LAPACKE_ssyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                               Int32(n), a.baseAddress, Int32(n), w.baseAddress)
            }
        }
        guard info == 0 else { throw .lapackFailure(routine: "ssyevd", info: Int(info)) }
        return (values, vectors)
    }

    /// The thin singular value decomposition `A = U · diag(σ) · Vᵀ` through LAPACK's `sgesdd`.
    ///
    /// For an m×n matrix with `r = min(m, n)`: `u` is m×r, `singularValues` has r values in descending
    /// order, and `vt` is r×n.
    /// - Throws: ``LinearAlgebraError/lapackFailure(routine:info:)`` when `info ≠ 0`.
    public func singularValueDecomposition() throws(LinearAlgebraError) -> (u: Matrix, singularValues: [Float], vt: Matrix) {
        let m = rows, n = columns, r = Swift.min(rows, columns)
        var a = self
        var s = [Float](repeating: 0, count: r)
        var u = Matrix(rows: m, columns: r)
        var vt = Matrix(rows: r, columns: n)
        if r == 0 { return (u, s, vt) }
        let info = a.withUnsafeMutableBufferPointer { aBuffer in
            s.withUnsafeMutableBufferPointer { sBuffer in
                u.withUnsafeMutableBufferPointer { uBuffer in
                    vt.withUnsafeMutableBufferPointer { vtBuffer in
                        LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), Int32(m), Int32(n),
                                       aBuffer.baseAddress, Int32(n), sBuffer.baseAddress,
                                       uBuffer.baseAddress, Int32(r), vtBuffer.baseAddress, Int32(n))
                    }
                }
            }
        }
        guard info == 0 else { throw .lapackFailure(routine: "sgesdd", info: Int(info)) }
        return (u, s, vt)
    }

    /// The singular values alone, in descending order (`sgesdd` with `jobz = 'N'`).
    public func singularValues() throws(LinearAlgebraError) -> [Float] {
        let m = rows, n = columns, r = Swift.min(rows, columns)
        var a = self
        var s = [Float](repeating: 0, count: r)
        if r == 0 { return s }
        // Row-major LAPACKE checks ldu and ldvt even when they are not referenced: ldvt must be ≥ n.
        var unusedU: [Float] = [0]
        var unusedVt: [Float] = [0]
        let info = a.withUnsafeMutableBufferPointer { aBuffer in
            s.withUnsafeMutableBufferPointer { sBuffer in
                unusedU.withUnsafeMutableBufferPointer { uBuffer in
                    unusedVt.withUnsafeMutableBufferPointer { vtBuffer in
                        LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n),
                                       aBuffer.baseAddress, Int32(n), sBuffer.baseAddress,
                                       uBuffer.baseAddress, Int32(Swift.max(1, m)), vtBuffer.baseAddress, Int32(n))
                    }
                }
            }
        }
        guard info == 0 else { throw .lapackFailure(routine: "sgesdd", info: Int(info)) }
        return s
    }
}
