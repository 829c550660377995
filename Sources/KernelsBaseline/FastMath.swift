/// Elementary functions that the auto-vectoriser can turn into SIMD code (at the vector width of
/// the path this module is compiled for).
///
/// They use only multiplies, adds, selects and wrapping integer operations: glibc's `expf` is a
/// call per element, and `Float.squareRoot()` carries `sqrtf`'s errno check, either of which
/// keeps a loop scalar. The kernels are plain pointer loops over these functions (fast in debug
/// builds too, where `SIMD8<Float>` code is very slow), with every load unconditional so that
/// branches become selects.
enum FastMath {
    /// e^x with a relative error below 3·10⁻⁷ on [−87, 88] (Cephes' `expf`).
    ///
    /// Range reduction: `n = round(x / ln 2)`, `r = x − n ln 2` (ln 2 split in two parts, Cody–Waite),
    /// so |r| ≤ ln 2 / 2; then `e^x = 2ⁿ · p(r)` with `p(r) = 1 + r + r² (c₂ + c₃ r + … + c₇ r⁵)`.
    /// `2ⁿ` is built in the exponent bits. Inputs are clamped to [−87, 88]
    /// (e⁻⁸⁷ ≈ 1.6·10⁻³⁸, e⁸⁸ ≈ 1.7·10³⁸); NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        var clamped = x < -87 ? -87 : x
        clamped = clamped > 88 ? 88 : clamped
        // Adding 1.5·2²³ rounds to an integer, which then sits in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        var r = clamped - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let polynomial = p * (r * r) + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let scale = Float(bitPattern: UInt32(bitPattern: (exponent &+ 127) &<< 23))
        return polynomial * scale
    }

    /// The logistic function `1 / (1 + e^(−x))`.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// `tanh x = 1 − 2 / (e^(2x) + 1)`; the absolute error is below 3·10⁻⁷.
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// `√v` for `v ≥ 0` without a libm call: the bit-pattern estimate of `1/√v` (error < 3.5 %)
    /// refined by three Newton steps `y ← y (1.5 − ½ v y²)` (relative error about 10⁻⁷), then
    /// `√v = v · y`; `√0 = 0`. Negative or NaN inputs give NaN.
    @inline(__always)
    static func squareRoot(_ v: Float) -> Float {
        let half = 0.5 * v
        var y = Float(bitPattern: UInt32(bitPattern: 0x5F37_59DF &- (Int32(bitPattern: v.bitPattern) &>> 1)))
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        let root = v * y
        return v >= 0 ? root : .nan
    }

    /// `values[i, j] ← f(values[i, j] + bias[j])` over a row-major block.
    @inline(__always)
    static func mapRows(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>,
        _ f: (Float) -> Float
    ) {
        for row in 0..<rows {
            let line = values + row &* columns
            for column in 0..<columns { line[column] = f(line[column] + bias[column]) }
        }
    }

    /// `target[k] ← f(target[k], other[k])` for `count` elements (both loads unconditional).
    @inline(__always)
    static func zip(
        _ target: UnsafeMutablePointer<Float>, _ other: UnsafePointer<Float>, count: Int,
        _ f: (Float, Float) -> Float
    ) {
        for k in 0..<count {
            let t = target[k]
            let o = other[k]
            target[k] = f(t, o)
        }
    }
}
