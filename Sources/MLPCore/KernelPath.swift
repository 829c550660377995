import Foundation

/// An instruction set our own kernels are compiled for. One binary carries every path of its
/// architecture; ``selected(environment:flags:)`` picks the widest the CPU runs, or the one
/// `MLP_KERNELS` forces.
public enum KernelPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The architecture's baseline (SSE2 on x86-64): runs on every CPU.
    case baseline
    /// AVX2 and FMA (Haswell and later, Zen 1 and later).
    case avx2
    /// AVX-512 F/CD/BW/DQ/VL with 512-bit vectors preferred (Skylake-SP and later, Zen 4 and later).
    case avx512

    public var description: String { rawValue }

    /// The CPU flags (as `/proc/cpuinfo` spells them) a path needs: those of the `-target-cpu` it is
    /// compiled with (`haswell`, `skylake-avx512`) that the compiler may use (`abm` is LZCNT, `pni` SSE3).
    public var requiredFlags: [String] {
        switch self {
        case .baseline: return []
        case .avx2:
            return ["pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "lahf_lm",
                    "avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"]
        case .avx512: return KernelPath.avx2.requiredFlags + ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        }
    }

    /// The paths this binary carries, in order of preference (widest last).
    public static var compiled: [KernelPath] {
        #if arch(x86_64)
        return [.baseline, .avx2, .avx512]
        #else
        return [.baseline]
        #endif
    }

    /// This CPU's flags (see ``CPUInfo``).
    public static var cpuFlags: Set<String> { CPUInfo.current.flags }

    /// The first flag of ``requiredFlags`` missing from `flags` (this CPU's by default), or nil.
    public func missingFlag(in flags: Set<String> = KernelPath.cpuFlags) -> String? {
        requiredFlags.first { !flags.contains($0) }
    }

    /// Whether a CPU with `flags` runs this path and this architecture has it.
    public func isRunnable(flags: Set<String> = KernelPath.cpuFlags) -> Bool {
        KernelPath.compiled.contains(self) && missingFlag(in: flags) == nil
    }

    /// The paths this CPU runs, narrowest first.
    public static var runnable: [KernelPath] { runnable(flags: cpuFlags) }

    /// The paths a CPU with `flags` runs, narrowest first.
    public static func runnable(flags: Set<String>) -> [KernelPath] { compiled.filter { $0.isRunnable(flags: flags) } }

    /// The widest path this CPU runs.
    public static var widest: KernelPath { widest(flags: cpuFlags) }

    /// The widest path a CPU with `flags` runs.
    public static func widest(flags: Set<String>) -> KernelPath { runnable(flags: flags).last ?? .baseline }

    /// The environment variable that forces a path.
    public static let environmentVariable = "MLP_KERNELS"

    /// The path to use: `MLP_KERNELS` when set (`baseline`, `avx2`, `avx512` or `auto`), else
    /// ``widest``. Throws a ``KernelPathError`` for an unknown name or a path this CPU cannot run.
    public static func selected(environment: [String: String] = ProcessInfo.processInfo.environment,
                                flags: Set<String> = cpuFlags) throws(KernelPathError) -> KernelPath {
        let name = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard !name.isEmpty, name != "auto" else { return widest(flags: flags) }
        guard let path = KernelPath(rawValue: name) else { throw .unknown(environment[environmentVariable] ?? name) }
        guard compiled.contains(path) else { throw .notCompiled(path) }
        if flags.isEmpty && path != .baseline { throw .flagsUnknown(path) }
        if let missing = path.missingFlag(in: flags) {
            throw .unsupported(path, missing: missing, runnable: runnable(flags: flags))
        }
        return path
    }
}

/// Why `MLP_KERNELS` names no path this process can use.
public enum KernelPathError: Error, Equatable, CustomStringConvertible {
    /// Not the name of a path.
    case unknown(String)
    /// This architecture's build has no such path (AVX2 and AVX-512 exist on x86-64 only).
    case notCompiled(KernelPath)
    /// The CPU's flags could not be read (no `/proc/cpuinfo`), so only the baseline is safe.
    case flagsUnknown(KernelPath)
    /// The CPU lacks a flag the path needs; `runnable` lists the paths it runs.
    case unsupported(KernelPath, missing: String, runnable: [KernelPath])

    public var description: String {
        switch self {
        case .unknown(let name):
            return "MLP_KERNELS=\(name) is not a kernel path (use \(KernelPath.allCases.map(\.rawValue).joined(separator: ", ")) or auto)"
        case .notCompiled(let path):
            return "MLP_KERNELS=\(path): this build has no \(path) kernels (it has \(KernelPath.compiled.map(\.rawValue).joined(separator: ", ")))"
        case .flagsUnknown(let path):
            return "MLP_KERNELS=\(path) cannot be checked: /proc/cpuinfo lists no CPU flags here, so only baseline is safe"
        case .unsupported(let path, let missing, let runnable):
            return "MLP_KERNELS=\(path) needs the CPU flag \(missing), which this CPU lacks "
                + "(it runs \(runnable.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
