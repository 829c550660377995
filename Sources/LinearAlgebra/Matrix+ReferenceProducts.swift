import MLPCore

extension Matrix {
    /// The textbook triple loop, `C[i,j] ← alpha · Σₚ op(A)[i,p] · op(B)[p,j] + beta · C[i,j]`.
    ///
    /// Deliberately naive: the inner loop walks `op(B)` down a column, so it is cache-hostile and does
    /// not vectorise. It is the reference that tests and benchmarks compare the fast kernels with.
    public static func naiveMultiply(
        _ a: Matrix, _ transposeA: Transpose = .none,
        _ b: Matrix, _ transposeB: Transpose = .none,
        into c: inout Matrix, alpha: Float = 1, beta: Float = 0
    ) {
        let (m, n, k) = checkProductShapes(a, transposeA, b, transposeB, c)
        // Strides of op(A) and op(B) in the stored arrays.
        let (aRowStride, aColumnStride) = transposeA == .none ? (a.columns, 1) : (1, a.columns)
        let (bRowStride, bColumnStride) = transposeB == .none ? (b.columns, 1) : (1, b.columns)
        a.elements.withUnsafeBufferPointer { aBuffer in
            b.elements.withUnsafeBufferPointer { bBuffer in
                c.elements.withUnsafeMutableBufferPointer { cBuffer in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum: Float = 0
                            for p in 0..<k {
                                sum += aBuffer[i &* aRowStride &+ p &* aColumnStride]
                                    * bBuffer[p &* bRowStride &+ j &* bColumnStride]
                            }
                            let index = i &* n &+ j
                            cBuffer[index] = beta == 0 ? alpha * sum : alpha * sum + beta * cBuffer[index]
                        }
                    }
                }
            }
        }
    }

    /// A cache-friendly pure-Swift product with the same contract as ``multiply(_:_:_:_:into:alpha:beta:)``.
    ///
    /// Transposed operands are first packed into row-major copies (the only allocation). The product
    /// then runs in blocks of rows of `C` and of the shared dimension, with the innermost loop running
    /// along contiguous rows of `op(B)` and `C`: `C[i, j₀..<j₁] += alpha·op(A)[i,p] · op(B)[p, j₀..<j₁]`,
    /// which the compiler vectorises.
    public static func tunedMultiply(
        _ a: Matrix, _ transposeA: Transpose = .none,
        _ b: Matrix, _ transposeB: Transpose = .none,
        into c: inout Matrix, alpha: Float = 1, beta: Float = 0
    ) {
        let (m, n, k) = checkProductShapes(a, transposeA, b, transposeB, c)
        let packedA = transposeA == .none ? a : a.transposed()
        let packedB = transposeB == .none ? b : b.transposed()
        packedA.elements.withUnsafeBufferPointer { aBuffer in
            packedB.elements.withUnsafeBufferPointer { bBuffer in
                c.elements.withUnsafeMutableBufferPointer { cBuffer in
                    guard let cBase = cBuffer.baseAddress else { return }
                    // The active kernel path's blocked loop (the same source on every path).
                    Kernels.active.blockedMultiply(m: m, n: n, k: k, alpha: alpha, a: aBuffer.baseAddress,
                                                   b: bBuffer.baseAddress, beta: beta, c: cBase)
                }
            }
        }
    }
}
