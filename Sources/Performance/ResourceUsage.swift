#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process has used so far, as the kernel counts it.
public enum ResourceUsage {
    /// The process's peak resident set size so far (`getrusage(RUSAGE_SELF)`'s `ru_maxrss`), in
    /// megabytes of 10⁶ bytes. Linux reports `ru_maxrss` in kilobytes (1024 bytes), macOS in bytes.
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        let bytes = Double(usage.ru_maxrss)
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        let bytes = Double(usage.ru_maxrss) * 1024
        #endif
        return bytes / 1e6
    }
}
