import CBLAS

/// Whether an operand of a product is used as stored or transposed.
public enum Transpose: Sendable, Hashable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Thin, allocation-free wrappers over OpenBLAS's level-1/2/3 routines for row-major `Float` data.
///
/// These take raw pointers with explicit leading dimensions so that callers can work on views of
/// larger buffers (for example the slices of one flat parameter vector). ``Matrix`` offers the same
/// operations with shape checks.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses for each call (at least 1).
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        openblas_set_num_threads(Int32(count))
    }

    /// Runs `body` with OpenBLAS using `count` threads per call (at least 1), then restores the
    /// previous count, also when `body` throws. The count is process-wide: do not nest calls
    /// from several threads.
    public static func withThreadCount<Result, Failure: Error>(
        _ count: Int, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let previous = threadCount
        setThreadCount(count)
        defer { setThreadCount(previous) }
        return try body()
    }

    /// OpenBLAS's build configuration, for example `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64`.
    ///
    /// Read once: OpenBLAS 0.3.21 builds the string in a static buffer on every call, and two
    /// threads calling at once can interleave it ("ZenZen MAX_THREADS=64 MAX_THREADS=64").
    public static let configuration: String = {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }()

    /// The CPU core whose kernels OpenBLAS runs, for example `Zen`, `Haswell` or `Cooperlake`: chosen
    /// at load time from the CPU (DYNAMIC_ARCH), or forced with `OPENBLAS_CORETYPE`. Each core's
    /// kernels sum in their own order, so results are bit-identical only within one core.
    public static var coreName: String {
        guard let text = openblas_get_corename() else { return "unknown" }
        return String(cString: text)
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` with `op(A)` m×k, `op(B)` k×n and `C` m×n, all row-major.
    @inline(__always)
    public static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Whether OpenBLAS's core runs small products through its small-matrix kernels, which read
    /// the operands in place instead of packing them (in OpenBLAS 0.3.21, the AVX-512 cores
    /// `SkylakeX` and `Cooperlake`, for products of at most ``smallProductLimit`` multiply-adds).
    public static let hasSmallMatrixKernels: Bool = ["SkylakeX", "Cooperlake", "SapphireRapids"].contains(coreName)

    /// The most multiply-adds (`m · n · k`) of a product OpenBLAS's small-matrix kernels take.
    public static let smallProductLimit = 1_000_000

    /// Whether OpenBLAS's core clears `C` for `beta = 0` with a pass slower than ours (`Zen` in
    /// OpenBLAS 0.3.21: `sgemm_beta_ZEN` took 8.7 % of a 2-thread training run's samples).
    public static let clearsOutputSlowly: Bool = coreName == "Zen"

    /// ``gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` for a product that is one worker's part
    /// of a training step, arranged for OpenBLAS's core:
    /// - on a core with small-matrix kernels (``hasSmallMatrixKernels``), with one OpenBLAS thread
    ///   per call, a product of up to eight times ``smallProductLimit`` multiply-adds runs as
    ///   blocks (``smallBlockCount(_:_:m:n:k:)``): an `A · B` product by blocks of `B`'s and
    ///   `C`'s columns, an `Aᵀ · B` product by blocks of `C`'s rows (`A`'s columns), halved until
    ///   each block is within the limit; products with `Bᵀ` run as one call;
    /// - on a core that clears `C` slowly (``clearsOutputSlowly``), `beta = 0` clears `C` here
    ///   and calls OpenBLAS with `beta = 1`, which skips its own pass (the kernel adds
    ///   `alpha · A · B` to `C` either way, so the result is the same).
    ///
    /// Measured on a Zen 4 core (C probes, one thread, warm caches). With the Cooperlake kernels,
    /// a 256→128 layer's forward product and weight gradient at 64, 96, 128 and 192 rows, and a
    /// 128→64 layer's at 128 rows, ran 9–15 % faster in blocks, a 784→10 layer's at 128 rows
    /// 44 % (the larger path packs both operands first; the small one reads them in place); at
    /// 256 rows, and with Bᵀ, blocks were no faster; on the Haswell and Zen cores, which have no
    /// small-matrix kernels, 3–10 % slower. With the Zen kernels, clearing `C` here made the
    /// 256→128, 128→64 and 64→32 layers' three products at 64 rows 5–21 % faster (the Haswell
    /// kernels: no difference; Cooperlake: within 3 %). Each block sums over the whole depth `k`
    /// as one call would, in its own kernel's order, so a run is deterministic for a given core.
    @inline(__always)
    public static func gemmTunedForCore(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        gemmTunedForCore(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                         c: c, ldc: ldc, blocks: smallBlockCount(transposeA, transposeB, m: m, n: n, k: k),
                         clearsOutput: clearsOutputSlowly)
    }

    /// ``gemmTunedForCore(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` in `blocks` blocks (1: one
    /// call), clearing `C` itself for `beta = 0` when `clearsOutput`.
    @inline(__always)
    static func gemmTunedForCore(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        blocks: Int, clearsOutput: Bool
    ) {
        precondition(blocks == 1 || transposeB == .none, "products with Bᵀ run as one call")
        var beta = beta
        if clearsOutput && beta == 0 && m > 0 && n > 0 && k > 0 {
            for row in 0..<m { (c + row &* ldc).update(repeating: 0, count: n) }
            beta = 1
        }
        guard blocks > 1 else {
            gemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        if transposeA == .none {
            let width = (n &+ blocks &- 1) / blocks
            var first = 0
            while first < n {
                gemm(.none, .none, m: m, n: Swift.min(width, n &- first), k: k, alpha: alpha, a: a, lda: lda, b: b + first,
                     ldb: ldb, beta: beta, c: c + first, ldc: ldc)
                first &+= width
            }
        } else {
            let height = (m &+ blocks &- 1) / blocks
            var first = 0
            while first < m {
                gemm(.transposed, .none, m: Swift.min(height, m &- first), n: n, k: k, alpha: alpha, a: a + first, lda: lda,
                     b: b, ldb: ldb, beta: beta, c: c + first &* ldc, ldc: ldc)
                first &+= height
            }
        }
    }

    /// The blocks ``gemmTunedForCore(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` runs a product
    /// as on this process's OpenBLAS core and thread count.
    public static func smallBlockCount(_ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int) -> Int {
        smallBlockCount(transposeA, transposeB, m: m, n: n, k: k, hasSmallMatrixKernels: hasSmallMatrixKernels,
                        threadCount: threadCount)
    }

    /// The blocks of a product with `threadCount` OpenBLAS threads on a core with or without
    /// small-matrix kernels: 1 (one call), or the smallest power of two that brings each block
    /// (of `C`'s columns for `A · B`, of its rows for `Aᵀ · B`) within ``smallProductLimit``.
    static func smallBlockCount(_ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int,
                                hasSmallMatrixKernels: Bool, threadCount: Int) -> Int {
        let (mn, overflowA) = m.multipliedReportingOverflow(by: n)
        let (product, overflowB) = mn.multipliedReportingOverflow(by: k)
        guard hasSmallMatrixKernels, threadCount == 1, transposeB == .none, !overflowA, !overflowB,
              product > smallProductLimit, product <= 8 &* smallProductLimit else { return 1 }
        let split = transposeA == .none ? n : m, others = product / split
        var blocks = 2
        while blocks < split, (split &+ blocks &- 1) / blocks &* others > smallProductLimit { blocks &*= 2 }
        return (split &+ blocks &- 1) / blocks &* others <= smallProductLimit ? blocks : 1
    }

    /// `y ← alpha · op(A) · x + beta · y` with `A` m×n row-major.
    @inline(__always)
    public static func gemv(
        _ transpose: Transpose, m: Int, n: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int = 1,
        beta: Float,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        cblas_sgemv(
            CblasRowMajor, transpose.cblas, Int32(m), Int32(n), alpha, a, Int32(lda),
            x, Int32(incx), beta, y, Int32(incy))
    }

    /// `y ← alpha · x + y`.
    @inline(__always)
    public static func axpy(
        count: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int = 1,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        cblas_saxpy(Int32(count), alpha, x, Int32(incx), y, Int32(incy))
    }

    /// `x ← alpha · x`.
    @inline(__always)
    public static func scal(count: Int, alpha: Float, x: UnsafeMutablePointer<Float>, incx: Int = 1) {
        cblas_sscal(Int32(count), alpha, x, Int32(incx))
    }

    /// The dot product `xᵀy`.
    @inline(__always)
    public static func dot(count: Int, x: UnsafePointer<Float>, incx: Int = 1, y: UnsafePointer<Float>, incy: Int = 1) -> Float {
        cblas_sdot(Int32(count), x, Int32(incx), y, Int32(incy))
    }

    /// The Euclidean norm `‖x‖₂`.
    @inline(__always)
    public static func norm(count: Int, x: UnsafePointer<Float>, incx: Int = 1) -> Float {
        cblas_snrm2(Int32(count), x, Int32(incx))
    }
}
