/// Seconds on the system's monotonic clock: for measuring durations, never for dates.
public enum MonotonicClock {
    /// The instant that ``seconds()`` counts from.
    private static let origin = ContinuousClock.now

    /// Seconds since an arbitrary fixed point in this process, on a clock that never jumps back.
    public static func seconds() -> Double {
        let elapsed = origin.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// The seconds `body` took, and its result.
    public static func measure<Result>(_ body: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
        let start = seconds()
        let result = try body()
        return (seconds() - start, result)
    }
}
