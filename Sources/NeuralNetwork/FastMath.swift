/// Vectorisable elementary functions for the element-wise kernels.
///
/// These use only wrapping integer operations, multiplies and adds, so a loop over them compiles
/// to SIMD code; glibc's `expf` is a call per element.
enum FastMath {
    /// e^x with a relative error below 2·10⁻⁷ on [−87, 88] (Cephes' `expf`).
    ///
    /// Range reduction: `n = round(x / ln 2)`, `r = x − n ln 2` (ln 2 split in two parts, Cody–Waite),
    /// so |r| ≤ ln 2 / 2; then `e^x = 2ⁿ · p(r)` with the degree-7 polynomial
    /// `p(r) = 1 + r + r² (c₂ + c₃ r + … + c₇ r⁵)`. `2ⁿ` is built in the exponent bits.
    /// Inputs are clamped to [−87, 88] (e⁻⁸⁷ ≈ 1.6·10⁻³⁸, e⁸⁸ ≈ 1.7·10³⁸); NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
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

    /// `tanh x = 1 − 2 / (e^(2x) + 1)`; the absolute error is below 2·10⁻⁷.
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        1 - 2 / (exp(2 * x) + 1)
    }
}
