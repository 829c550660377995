import Dispatch
import LinearAlgebra

/// Measures what the cores can do: a short loop of independent fused multiply-adds, at the vector
/// width of the active kernel path (see `Kernels`).
public enum PeakThroughput {
    /// Floating-point operations of one round of the kernels' `fusedMultiplyAddLoop(iterations:)`:
    /// 10 chains × the lanes of one register of the active path (8 with AVX2, 16 with AVX-512) ×
    /// 2 flops (a multiply and an add).
    public static var flopsPerIteration: Int { Kernels.active.flopsPerFusedMultiplyAddRound }

    /// The seconds one round of ``measure(threads:iterations:rounds:)`` aims at when it chooses
    /// the iteration count itself.
    public static let secondsPerRound = 0.1

    /// The fp32 GFLOP/s of one thread running `iterations` rounds of 10 independent one-register
    /// FMA chains (2 flops per lane per FMA), timed once. Ten chains hide the FMA latency, so the loop is bound
    /// by the FMA ports alone: on Zen 3 and Zen 4, 2 pipes × 8 lanes × 2 flops = 32 flops per cycle
    /// (Zen 4 runs a 512-bit FMA as two 256-bit halves).
    public static func measureSingleThread(iterations: Int = 20_000_000) -> Double {
        precondition(iterations >= 1, "iterations must be at least 1, got \(iterations)")
        let start = DispatchTime.now().uptimeNanoseconds
        let result = Kernels.active.fusedMultiplyAddLoop(iterations: iterations)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        sink = result
        return Double(iterations) * Double(flopsPerIteration) / elapsed / 1e9
    }

    /// The fp32 GFLOP/s of `threads` threads running the FMA loop at the same time: the best of
    /// `rounds` rounds, each worth `threads × iterations ×` ``flopsPerIteration`` flops divided by the wall-clock
    /// time from the common start to the end of the slowest thread.
    ///
    /// Each round starts its threads together (see ``ThreadTeam``). With `iterations` nil, the
    /// count is chosen so that a round takes about ``secondsPerRound``.
    public static func measure(threads: Int, iterations: Int? = nil, rounds: Int = 3) -> Double {
        precondition(threads >= 1, "thread count must be at least 1, got \(threads)")
        precondition(rounds >= 1, "rounds must be at least 1, got \(rounds)")
        let count = iterations ?? calibratedIterations(seconds: secondsPerRound)
        precondition(count >= 1, "iterations must be at least 1, got \(count)")
        var best = 0.0
        for _ in 0..<rounds {
            let seconds = threads == 1 ? timeOneThread(iterations: count) : timeTogether(threads: threads, iterations: count)
            best = Swift.max(best, Double(threads) * Double(count) * Double(flopsPerIteration) / seconds / 1e9)
        }
        return best
    }

    /// Runs `body` between two measurements of the peak (``measure(threads:iterations:rounds:)``
    /// before and after) and returns its result with the higher of the two. The peak is the
    /// hardware's limit, and this VM has slow spells of seconds: one measurement that falls in
    /// one would lower the bound and flatter every ratio to it, so a benchmark takes the best
    /// that the cores showed around its own timed work.
    public static func measureAround<Outcome, Failure: Error>(
        threads: Int, iterations: Int? = nil, _ body: () throws(Failure) -> Outcome
    ) throws(Failure) -> (outcome: Outcome, peakGflops: Double) {
        try higher(of: { measure(threads: threads, iterations: iterations) }, around: body)
    }

    /// `measurement()`, then `body()`, then `measurement()` again: `body`'s result and the higher
    /// of the two measurements (NaN only when both are).
    static func higher<Outcome, Failure: Error>(
        of measurement: () -> Double, around body: () throws(Failure) -> Outcome
    ) throws(Failure) -> (outcome: Outcome, peakGflops: Double) {
        let before = measurement()
        let outcome = try body()
        let after = measurement()
        return (outcome, Double.maximum(before, after))
    }

    /// An iteration count that keeps one thread busy for about `seconds`: doubles a probe from
    /// 10,000 iterations until it lasts 10 ms, then scales it.
    static func calibratedIterations(seconds: Double) -> Int {
        var iterations = 10_000
        while true {
            let elapsed = timeOneThread(iterations: iterations)
            if elapsed >= 0.01 || iterations >= 1 << 40 {
                return Swift.max(1, Int(Double(iterations) * seconds / Swift.max(elapsed, 1e-9)))
            }
            iterations *= 2
        }
    }

    /// Seconds of one FMA loop on the calling thread.
    static func timeOneThread(iterations: Int) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        sink = Kernels.active.fusedMultiplyAddLoop(iterations: iterations)
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Seconds from the first thread's start to the last thread's end, `threads` threads each
    /// running the FMA loop once.
    static func timeTogether(threads: Int, iterations: Int) -> Double {
        let spans = ThreadTeam.run(threads: threads, name: "FMA peak") { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            let result = Kernels.active.fusedMultiplyAddLoop(iterations: iterations)
            return (start: start, end: DispatchTime.now().uptimeNanoseconds, result: result)
        }
        sink = spans.reduce(0) { $0 + $1.result }
        let start = spans.map(\.start).min() ?? 0
        let end = spans.map(\.end).max() ?? 0
        return Double(end - start) * 1e-9
    }

    nonisolated(unsafe) static var sink: Float = 0
}
