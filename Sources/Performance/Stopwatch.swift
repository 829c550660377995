import MLPCore

/// Wall-clock timing helpers for benchmarks.
public enum Stopwatch {
    /// Seconds since an arbitrary fixed point (monotonic).
    public static func now() -> Double {
        MonotonicClock.seconds()
    }

    /// Runs `body` repeatedly, in rounds, until `minimumSeconds` have passed (at least `minimumRounds`
    /// rounds), and returns the seconds of each round. A round repeats `body` enough times to last
    /// about a tenth of `minimumSeconds`, so timer resolution does not matter.
    public static func measure(
        minimumSeconds: Double, minimumRounds: Int = 3, _ body: () -> Void
    ) -> [Double] {
        body()  // warm caches, page in buffers, start BLAS threads
        var repetitions = 1
        var probe = 0.0
        while true {
            let start = now()
            for _ in 0..<repetitions { body() }
            probe = now() - start
            if probe >= minimumSeconds / 10 || repetitions >= 1 << 20 { break }
            repetitions *= 2
        }
        var rounds: [Double] = [probe / Double(repetitions)]
        let deadline = now() + minimumSeconds
        while rounds.count < minimumRounds || now() < deadline {
            let start = now()
            for _ in 0..<repetitions { body() }
            rounds.append((now() - start) / Double(repetitions))
        }
        return rounds
    }

    /// The median of `values` (the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of no values")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
