import LinearAlgebra
import MLPCore
import Performance

/// Times the same single-threaded `cblas_sgemm` calls made from C and from Swift, interleaved.
///
/// For each shape, every round runs one block of ``callsPerBlock`` products from each
/// ``GemmOperands/Caller``, starting with a different one each round, so that drifts in the
/// machine's speed (frequency, other processes) reach all three alike. In round `r` a Swift
/// caller's ratio is `t_Swift(r) / t_C(r)`; a ``Row`` holds the median over the rounds of each
/// time per call and of each ratio.
public struct SwiftVersusC: Sendable {
    /// The measured times for one shape.
    public struct Row: Sendable {
        public var shape: GemmShape
        /// Median time per call, in microseconds, for each caller.
        public var microsecondsPerCall: [GemmOperands.Caller: Double]
        /// Median of the per-round ratios `t_caller / t_C` (1 for C itself).
        public var ratioToC: [GemmOperands.Caller: Double]
    }

    /// Rounds per shape.
    public var rounds: Int
    /// Products per block (one timed loop).
    public var callsPerBlock: Int

    public init(rounds: Int = 40, callsPerBlock: Int = 200) {
        precondition(rounds >= 1 && callsPerBlock >= 1,
                     "need at least one round and one call per block, got \(rounds) and \(callsPerBlock)")
        self.rounds = rounds
        self.callsPerBlock = callsPerBlock
    }

    /// Measures `shape` with OpenBLAS on one thread (the previous thread count is restored after).
    public func measure(_ shape: GemmShape) -> Row {
        BLAS.withThreadCount(1) { measureOnCurrentThreads(shape) }
    }

    private func measureOnCurrentThreads(_ shape: GemmShape) -> Row {
        let operands = GemmOperands(shape: shape)
        let callers = GemmOperands.Caller.allCases
        for caller in callers { operands.multiply(count: callsPerBlock, from: caller) }  // warm caches and OpenBLAS

        var seconds = [GemmOperands.Caller: [Double]]()
        for round in 0..<rounds {
            for step in callers.indices {
                let caller = callers[(round + step) % callers.count]
                let (elapsed, _) = MonotonicClock.measure { operands.multiply(count: callsPerBlock, from: caller) }
                seconds[caller, default: []].append(elapsed)
            }
        }
        var row = Row(shape: shape, microsecondsPerCall: [:], ratioToC: [:])
        let fromC = seconds[.c] ?? []
        for caller in callers {
            let times = seconds[caller] ?? []
            row.microsecondsPerCall[caller] = Stopwatch.median(times) * 1e6 / Double(callsPerBlock)
            row.ratioToC[caller] = Stopwatch.median(zip(times, fromC).map { $0 / $1 })
        }
        return row
    }
}
