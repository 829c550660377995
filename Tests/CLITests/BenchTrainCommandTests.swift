import Foundation
import LinearAlgebra
import Testing
import TestSupport

@Suite("mlp bench train")
struct BenchTrainCommandTests {
    @Test("a small synthetic run prints the table and writes results.json with every key")
    func syntheticRun() throws {
        let directory = try makeTemporaryDirectory("bench-train")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/run"
        let outcome = try CommandLine.run(["bench", "train", "--synthetic", "--samples", "1024", "--epochs", "2", "--out", out])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("engine, input kernel auto"))
        #expect(outcome.standardOutput.contains("engine, input kernel dense"))
        #expect(outcome.standardOutput.contains("SYNTHETIC"))
        #expect(FileManager.default.fileExists(atPath: out + "/results.md"))
        // Both rulers, and on a machine of several cores the same run at 1 thread and at all of them.
        for fragment in ["× dense bound", "× sparse bound", "sparse-aware bound: the sparse kernels' flops", "(the sparse-aware bound)"] {
            #expect(outcome.standardOutput.contains(fragment), "\(fragment)")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if cores > 1 {
            #expect(outcome.standardOutput.contains("Thread scaling"))
            #expect(outcome.standardOutput.contains("speed-up 1→\(cores)"))
            let scaling = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: out + "/thread-scaling.json"))) as? [String: Any])
            #expect(scaling["threads"] as? [Int] == [1, cores])
            #expect((scaling["rows"] as? [[String: Any]])?.count == 3)
        }

        let json = try Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in ["layerSizes", "data", "dataDescription", "dataNote", "sampleCount", "batchSize", "epochs",
                    "threads", "machine", "flopsPerEpoch", "engines", "replay", "bareGemmSeconds",
                    "peakGflops", "epochSecondsAtPeak", "peakResidentMegabytes", "notes", "nonZeroInputFraction",
                    "sparseAwareFlopsPerEpoch"] {
            #expect(object[key] != nil, "results.json lacks \(key)")
        }
        #expect(object["data"] as? String == "synthetic")
        #expect(object["sampleCount"] as? Int == 1024)
        #expect(object["batchSize"] as? Int == 128)
        let engines = try #require(object["engines"] as? [[String: Any]])
        #expect(engines.compactMap { $0["inputKernel"] as? String } == ["auto", "dense"])
        #expect(engines.allSatisfy { ($0["secondsPerEpoch"] as? [Double])?.count == 2 })
        let replay = try #require(object["replay"] as? [[String: Any]])
        #expect(replay.compactMap { $0["strategy"] as? String } == ["sequential", "blas-threads", "data-parallel", "column-split"])
        try Self.expectMachine(object["machine"], printedIn: outcome.standardOutput)
    }

    /// The run names this machine as `/proc/cpuinfo` and OpenBLAS describe it, in its output and
    /// its JSON: the CPU model, which of AVX2, FMA, AVX-512F and AVX512_BF16 it has, and the kernel.
    static func expectMachine(_ value: Any?, printedIn output: String) throws {
        let machine = try #require(value as? [String: Any])
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).split(separator: "\n")
        let model = cpuinfo.first { $0.hasPrefix("model name") }.map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
        let flags = Set(cpuinfo.first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        #expect(machine["cpuModel"] as? String == model)
        let present = try #require(machine["vectorExtensions"] as? [String])
        for (flag, name) in [("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512_bf16", "AVX512_BF16")] {
            #expect(present.contains(name) == flags.contains(flag), "\(name)")
        }
        #expect(machine["blasCore"] as? String == BLAS.coreName)
        #expect(machine["blasConfiguration"] as? String == BLAS.configuration)
        #expect(output.contains("CPU: \(model ?? "unknown")") && output.contains("OpenBLAS core \(BLAS.coreName)"))
    }

    @Test("bad options are one clear line and a non-zero exit")
    func badOptions() throws {
        let usage = BadInputTests.usageErrorStatus
        BadInputTests.expectOneLineError(try CommandLine.run(["bench", "train", "--batch-size", "0"]), mentioning: "--batch-size", status: usage)
        BadInputTests.expectOneLineError(try CommandLine.run(["bench", "train", "--epochs", "0"]), mentioning: "--epochs", status: usage)
        BadInputTests.expectOneLineError(try CommandLine.run(["bench", "train", "--input-kernel", "fancy"]), mentioning: "sparse", "both",
                                         status: usage)
    }

    @Test("mlp bench autoencoder: a small synthetic run reports epochs of the 784-512-128-32-128-512-784 network")
    func autoencoderRun() throws {
        let directory = try makeTemporaryDirectory("bench-autoencoder")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/run"
        let outcome = try CommandLine.run(["bench", "autoencoder", "--synthetic", "--samples", "512", "--epochs", "2", "--out", out])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("784-512-128-32-128-512-784"))
        let json = try Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["sampleCount"] as? Int == 512)
        #expect(object["batchSize"] as? Int == 256)
        #expect((object["secondsPerEpoch"] as? [Double])?.count == 2)
        // 512 samples · (2·2·942,080 + 2·(942,080 − 784·512)) flops.
        let macs: Double = 942_080, firstLayerMacs: Double = 784 * 512
        let expectedFlops: Double = 512 * (4 * macs + 2 * (macs - firstLayerMacs))
        #expect(object["flopsPerEpoch"] as? Double == expectedFlops)
        // The automatic input kernel on 19 %-non-zero images runs sparse: its bound counts the
        // first layer's products over the non-zero inputs only.
        let fraction = try #require(object["nonZeroInputFraction"] as? Double)
        let nonZero = (fraction * 512 * 784).rounded()
        let expectedBound = expectedFlops - 4 * 512 * (512 * 784 - nonZero)
        #expect(abs((object["boundFlopsPerEpoch"] as? Double ?? 0) - expectedBound) <= 1)
        #expect(outcome.standardOutput.contains("the sparse-aware bound"))
        let loss = try #require(object["finalLoss"] as? Double)
        #expect(loss.isFinite && loss > 0)
        try Self.expectMachine(object["machine"], printedIn: outcome.standardOutput)
        BadInputTests.expectOneLineError(try CommandLine.run(["bench", "autoencoder", "--batch-size", "0"]), mentioning: "--batch-size",
                                         status: BadInputTests.usageErrorStatus)
    }
}
