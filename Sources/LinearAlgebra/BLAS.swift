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
