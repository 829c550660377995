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
                    tunedKernel(m: m, n: n, k: k, alpha: alpha, a: aBuffer.baseAddress, b: bBuffer.baseAddress,
                                beta: beta, c: cBase)
                }
            }
        }
    }

    /// Row-major `C(m×n) ← alpha·A(m×k)·B(k×n) + beta·C`, blocked for the caches.
    @inline(__always)
    static func tunedKernel(
        m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>?, b: UnsafePointer<Float>?, beta: Float, c: UnsafeMutablePointer<Float>
    ) {
        if beta == 0 {
            c.update(repeating: 0, count: m &* n)
        } else if beta != 1 {
            for index in 0..<(m &* n) { c[index] *= beta }
        }
        guard k > 0, let a, let b else { return }
        let rowBlock = 32
        let depthBlock = 128
        let columnBlock = 512
        var j0 = 0
        while j0 < n {
            let j1 = Swift.min(j0 &+ columnBlock, n)
            let width = j1 &- j0
            var p0 = 0
            while p0 < k {
                let p1 = Swift.min(p0 &+ depthBlock, k)
                var i0 = 0
                while i0 < m {
                    let i1 = Swift.min(i0 &+ rowBlock, m)
                    for i in i0..<i1 {
                        let cRow = c + (i &* n &+ j0)
                        for p in p0..<p1 {
                            let scaled = alpha * a[i &* k &+ p]
                            let bRow = b + (p &* n &+ j0)
                            for j in 0..<width {
                                cRow[j] += scaled * bRow[j]
                            }
                        }
                    }
                    i0 = i1
                }
                p0 = p1
            }
            j0 = j1
        }
    }
}
