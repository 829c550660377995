import Foundation
import LinearAlgebra
import MLPCore

/// The machine a measurement ran on, as read from it: the CPU model, its vector extensions and
/// OpenBLAS's kernels. Timings and rounding both depend on it, so every benchmark reports it.
public struct MachineDescription: Sendable, Hashable, Codable {
    /// The vector extensions that decide which kernels can run, as `/proc/cpuinfo` flags and
    /// the names the reports print.
    public static let reportedExtensions: [(flag: String, name: String)] = [
        ("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512_bf16", "AVX512_BF16"),
    ]

    /// The CPU's model name (`model name` in `/proc/cpuinfo`), or `unknown`.
    public var cpuModel: String
    /// The logical CPUs this process may run on.
    public var logicalCPUs: Int
    /// The ``reportedExtensions`` the CPU has, by name.
    public var vectorExtensions: [String]
    /// The ``reportedExtensions`` it lacks, by name.
    public var missingVectorExtensions: [String]
    /// OpenBLAS's configuration string (`openblas_get_config()`).
    public var blasConfiguration: String
    /// The core whose kernels OpenBLAS runs (`openblas_get_corename()`).
    public var blasCore: String
    /// The instruction set our own kernels run (`KernelPath`: baseline, avx2 or avx512).
    public var kernelPath: String

    public init(cpuModel: String, logicalCPUs: Int, flags: Set<String>, blasConfiguration: String, blasCore: String,
                kernelPath: String) {
        self.cpuModel = cpuModel
        self.logicalCPUs = logicalCPUs
        vectorExtensions = Self.reportedExtensions.filter { flags.contains($0.flag) }.map(\.name)
        missingVectorExtensions = Self.reportedExtensions.filter { !flags.contains($0.flag) }.map(\.name)
        self.blasConfiguration = blasConfiguration
        self.blasCore = blasCore
        self.kernelPath = kernelPath
    }

    /// This machine, read from `/proc/cpuinfo` and OpenBLAS.
    public static func current() -> MachineDescription {
        let cpu = CPUInfo.current
        return MachineDescription(
            cpuModel: cpu.model, logicalCPUs: ProcessInfo.processInfo.activeProcessorCount, flags: cpu.flags,
            blasConfiguration: BLAS.configuration, blasCore: BLAS.coreName, kernelPath: Kernels.activePath.rawValue)
    }

    /// One line: `CPU: AMD EPYC, 2 logical CPUs, AVX2 FMA (no AVX-512F, AVX512_BF16); OpenBLAS core Zen;
    /// our kernels avx2`.
    public var summary: String {
        let present = vectorExtensions.isEmpty ? "none of AVX2, FMA, AVX-512" : vectorExtensions.joined(separator: " ")
        let missing = missingVectorExtensions.isEmpty ? "" : " (no \(missingVectorExtensions.joined(separator: ", ")))"
        return "CPU: \(cpuModel), \(logicalCPUs) logical CPU\(logicalCPUs == 1 ? "" : "s"), \(present)\(missing); "
            + "OpenBLAS core \(blasCore); our kernels \(kernelPath)"
    }

    /// Two lines for reports: ``summary`` and the full OpenBLAS configuration.
    public var lines: [String] { [summary, "BLAS: \(blasConfiguration)"] }
}
