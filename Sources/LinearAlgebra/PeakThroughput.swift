import Dispatch

/// Measures what one core can do: a short loop of independent fused multiply-adds.
public enum PeakThroughput {
    /// The fp32 GFLOP/s of one thread running `iterations` rounds of 10 independent 8-wide FMA chains
    /// (2 flops per lane per FMA). Ten chains hide the FMA latency, so the loop is bound by the
    /// FMA ports alone: on Zen 4, 2 pipes × 8 lanes × 2 flops = 32 flops per cycle.
    public static func measureSingleThread(iterations: Int = 20_000_000) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = fmaLoop(iterations: iterations)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        sink = result
        return Double(iterations) * 10 * 8 * 2 / elapsed / 1e9
    }

    /// The sum of `threads` concurrent single-thread measurements, in GFLOP/s.
    public static func measure(threads: Int, iterations: Int = 20_000_000) -> Double {
        precondition(threads >= 1, "thread count must be at least 1, got \(threads)")
        if threads == 1 { return measureSingleThread(iterations: iterations) }
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            results[index] = measureSingleThread(iterations: iterations)
        }
        return results.reduce(0, +)
    }

    nonisolated(unsafe) static var sink: Float = 0

    @inline(never)
    static func fmaLoop(iterations: Int) -> Float {
        var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0
        var a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0
        let x = SIMD8<Float>(repeating: 0.999_999), y = SIMD8<Float>(repeating: 1e-7)
        for _ in 0..<iterations {
            a0 = a0.addingProduct(x, y); a1 = a1.addingProduct(x, y)
            a2 = a2.addingProduct(x, y); a3 = a3.addingProduct(x, y)
            a4 = a4.addingProduct(x, y); a5 = a5.addingProduct(x, y)
            a6 = a6.addingProduct(x, y); a7 = a7.addingProduct(x, y)
            a8 = a8.addingProduct(x, y); a9 = a9.addingProduct(x, y)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).sum()
    }
}
