import Benchmark

extension BenchmarkMetric {
    /// Training samples per second: the batch's rows divided by the time of one step.
    public static var samplesPerSecond: BenchmarkMetric {
        .custom("Samples / s", polarity: .prefersLarger, useScalingFactor: false)
    }

    /// Matrix elements per second: the elements a kernel visits divided by the time of one call.
    public static var elementsPerSecond: BenchmarkMetric {
        .custom("Elements / s", polarity: .prefersLarger, useScalingFactor: false)
    }
}

extension Benchmark {
    /// Runs `body` as this iteration's measured part and records the rate `units / t` under
    /// `metric`, with `t` the wall-clock time of `body` alone.
    ///
    /// The harness's own clock (wall clock, throughput) is started right before `body` and
    /// stopped right after it, so work done earlier in the iteration (refilling an input,
    /// choosing a batch) is timed by neither.
    public func measureRate<Failure: Error>(
        of units: Int, as metric: BenchmarkMetric, _ body: () throws(Failure) -> Void
    ) throws(Failure) {
        let clock = ContinuousClock()
        startMeasurement()
        let start = clock.now
        try body()
        let elapsed = start.duration(to: clock.now)
        stopMeasurement()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if seconds > 0 { measurement(metric, Int((Double(units) / seconds).rounded())) }
    }
}
