import MLPCore
import Testing
@testable import Performance

@Suite("Machine description")
struct MachineDescriptionTests {
    /// Abridged `/proc/cpuinfo` of a 2-core Zen 4 guest (AVX-512 and AVX512_BF16).
    static let zen4 = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 9B14
        flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512_bf16 avx512vl
        
        processor\t: 1
        model name\t: AMD EPYC 9B14
        flags\t\t: fpu sse sse2
        """

    @Test("the first processor's model and flags, and which reported extensions it has")
    func parsesCPUInfo() {
        let (model, flags) = CPUInfo.parse(Self.zen4)
        #expect(model == "AMD EPYC 9B14")
        #expect(flags.contains("avx512_bf16") && flags.contains("fma") && !flags.contains("avx512bw"))
        let machine = MachineDescription(cpuModel: model, logicalCPUs: 2, flags: flags,
                                         blasConfiguration: "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64",
                                         blasCore: "Cooperlake", kernelPath: "avx512")
        #expect(machine.vectorExtensions == ["AVX2", "FMA", "AVX-512F", "AVX512_BF16"])
        #expect(machine.missingVectorExtensions.isEmpty)
        #expect(machine.summary == "CPU: AMD EPYC 9B14, 2 logical CPUs, AVX2 FMA AVX-512F AVX512_BF16; OpenBLAS core Cooperlake; our kernels avx512")
    }

    @Test("an AVX2-only CPU lists what it lacks, and empty text is unknown")
    func missingExtensions() {
        let zen3 = MachineDescription(cpuModel: "AMD EPYC", logicalCPUs: 1, flags: ["avx2", "fma", "sse2"],
                                      blasConfiguration: "", blasCore: "Zen", kernelPath: "avx2")
        #expect(zen3.summary == "CPU: AMD EPYC, 1 logical CPU, AVX2 FMA (no AVX-512F, AVX512_BF16); OpenBLAS core Zen; our kernels avx2")
        let unknown = CPUInfo.parse("")
        #expect(unknown.model == "unknown" && unknown.flags.isEmpty)
    }
}
