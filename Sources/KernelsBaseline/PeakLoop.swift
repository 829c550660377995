import MLPCore

#if KERNELS_AVX512
/// One AVX-512 register.
typealias PeakLanes = SIMD16<Float>
#elseif KERNELS_AVX2
/// One AVX2 register.
typealias PeakLanes = SIMD8<Float>
#else
/// One SSE register.
typealias PeakLanes = SIMD4<Float>
#endif

/// The fp32 peak probe: ten independent multiply-add chains `a ← a · x + y` of one register each,
/// enough to hide the FMA latency, so the loop is bound by the FMA ports alone. On the baseline it
/// is a multiply and an add per step, as such a CPU would run them. The multiply takes the chain's
/// own value, so the compiler cannot hoist it out of the loop.
extension KernelTable {
    /// 10 chains × the lanes of a register × 2 flops.
    var flopsPerFusedMultiplyAddRound: Int { 10 * PeakLanes.scalarCount * 2 }

    @inline(never)
    func fusedMultiplyAddLoop(iterations: Int) -> Float {
        var a0 = PeakLanes(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0
        var a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0
        let x = PeakLanes(repeating: 0.999_999), y = PeakLanes(repeating: 1e-7)
        for _ in 0..<iterations {
            a0 = multiplyAdd(a0, x, y); a1 = multiplyAdd(a1, x, y)
            a2 = multiplyAdd(a2, x, y); a3 = multiplyAdd(a3, x, y)
            a4 = multiplyAdd(a4, x, y); a5 = multiplyAdd(a5, x, y)
            a6 = multiplyAdd(a6, x, y); a7 = multiplyAdd(a7, x, y)
            a8 = multiplyAdd(a8, x, y); a9 = multiplyAdd(a9, x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).sum()
    }
}
