#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory this process may still allocate, so that sizes read from files and options
/// are checked before a buffer is allocated for them.
public enum SystemMemory {
    /// The smaller of the system's available memory (`MemAvailable` in /proc/meminfo) and what
    /// the address-space limit (`ulimit -v`) leaves beside the address space already mapped; nil
    /// when neither can be read.
    public static func availableBytes() -> Int? {
        var candidates: [Int] = []
        if let kilobytes = procField("MemAvailable:", in: "/proc/meminfo") { candidates.append(kilobytes * 1024) }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int.max) {
            let mapped = (procField("VmSize:", in: "/proc/self/status") ?? 0) * 1024
            candidates.append(Swift.max(0, Int(limit.rlim_cur) - mapped))
        }
        return candidates.min()
    }

    /// The address space `threads` new threads reserve when an address-space limit (`ulimit -v`)
    /// is set, else 0: each thread's stack (`ulimit -s`, 8 MiB by default) and 4 MiB of guard and
    /// buffers, and for the first 8 per core a 64 MiB malloc arena (glibc).
    public static func threadReservation(_ threads: Int) -> Int {
        guard threads > 0 else { return 0 }
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return 0 }
        var stackLimit = rlimit()
        let stack = getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &stackLimit) == 0 && stackLimit.rlim_cur < rlim_t(1 << 32)
            ? Int(stackLimit.rlim_cur) : 8 << 20
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return threads * (stack + (4 << 20)) + Swift.min(threads, 8 * Swift.max(cores, 1)) * (64 << 20)
    }

    /// The number on the line of a /proc file that starts with `key` (kilobytes), read with a
    /// fixed buffer.
    private static func procField(_ key: String, in path: String) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    /// `bytes` as "1.2 GB", "340 MB" or "12 KB".
    public static func describe(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return "\((value / 1e8).rounded() / 10) GB" }
        if value >= 1e6 { return "\(Int((value / 1e6).rounded())) MB" }
        return "\(Int((Swift.max(value, 1_000) / 1e3).rounded())) KB"
    }
}
