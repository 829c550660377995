#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on the system's monotonic clock: for measuring durations, never for dates.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (`CLOCK_MONOTONIC`), which never jumps back.
    public static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// The seconds `body` took, and its result.
    public static func measure<Result>(_ body: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
        let start = seconds()
        let result = try body()
        return (seconds() - start, result)
    }
}
