import Datasets
import Foundation
import Testing
import TestSupport

/// `mpirun` jobs of the real binary: bit-identity with one process, over shared memory and over
/// TCP (as two hosts talk), distributed experiments, and the faults that must end a job cleanly.
/// `scripts/install-dependencies.sh` installs Open MPI; these run as root in CI, so every job
/// passes `--allow-run-as-root`, `--oversubscribe` (2 ranks on 2 cores may share them) and
/// `--bind-to none` (by default each rank would be pinned to one core).
@Suite("mpirun jobs", .serialized, .enabled(if: MPIJob.launcher != nil, "mpirun is not installed (scripts/install-dependencies.sh installs Open MPI)"))
struct DistributedCommandTests {
    /// A dataset of 300 training and 60 test images of 10 classes, written as IDX files.
    static func dataset() throws -> (directory: String, options: [String]) {
        let directory = try makeTemporaryDirectory("mpi")
        try BadInputTests.writeDataset(in: directory, trainingCount: 300, testCount: 60)
        return (directory, ["--dataset", "mnist", "--data-dir", directory])
    }

    static let training = ["--hidden", "16,8", "--epochs", "3", "--batch-size", "32", "--early-stopping",
                           "--optimizer", "sgd", "--learning-rate", "0.05", "--l2", "0.001", "--clip-norm", "5", "--seed", "4"]

    @Test("2 ranks of 1 thread write a model whose tensors equal 1 process of 2 threads, over shared memory and TCP")
    func bitIdentity() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let single = directory + "/single.safetensors"
        let alone = try CommandLine.run(["train"] + data + Self.training + ["--threads", "2", "--out", single])
        #expect(alone.status == 0, "\(alone.standardError)")
        for transport in MPIJob.Transport.allCases {
            let model = directory + "/\(transport).safetensors"
            let job = try MPIJob.run(ranks: 2, transport: transport,
                                     ["train", "--distributed"] + data + Self.training + ["--threads", "1", "--out", model])
            #expect(job.status == 0, "\(transport): \(job.standardError)")
            #expect(job.standardOutput.components(separatedBy: "Test accuracy").count == 2, "rank 0 alone prints")
            #expect(try SafeTensorsFile.tensorBytes(model) == SafeTensorsFile.tensorBytes(single), "\(transport)")
        }
    }

    @Test("with SGD on a sparse first layer, 2 ranks equal 1 process of 2 threads given --no-fused-first-layer, not its fused step")
    func bitIdentityWithoutTheFusedStep() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // No clipping: one process would take the fused first-layer step (32 columns, 16 per thread).
        let options = ["--hidden", "32,8", "--epochs", "2", "--batch-size", "32", "--optimizer", "sgd", "--learning-rate", "0.05",
                       "--l2", "0.001", "--input-kernel", "sparse", "--seed", "4"]
        let plain = directory + "/plain.safetensors", fused = directory + "/fused.safetensors"
        let ranks = directory + "/ranks.safetensors"
        for (extra, path) in [(["--no-fused-first-layer"], plain), ([], fused)] {
            let alone = try CommandLine.run(["train"] + data + options + extra + ["--threads", "2", "--out", path])
            #expect(alone.status == 0, "\(alone.standardError)")
        }
        let job = try MPIJob.run(ranks: 2, ["train", "--distributed"] + data + options + ["--threads", "1", "--out", ranks])
        #expect(job.status == 0, "\(job.standardError)")
        #expect(try SafeTensorsFile.tensorBytes(ranks) == SafeTensorsFile.tensorBytes(plain))
        #expect(try SafeTensorsFile.tensorBytes(fused) != SafeTensorsFile.tensorBytes(plain), "the fused step ran and rounds its own way")
    }

    @Test("--reduction allreduce agrees with the ordered sum to rounding")
    func allreduce() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var models: [[Float]] = []
        for reduction in ["ordered", "allreduce"] {
            let model = directory + "/\(reduction).safetensors"
            let job = try MPIJob.run(ranks: 2, ["train", "--distributed", "--reduction", reduction] + data + Self.training
                                        + ["--threads", "1", "--out", model])
            #expect(job.status == 0, "\(job.standardError)")
            models.append(try SafeTensorsFile.floats(model))
        }
        let difference = zip(models[0], models[1]).map { abs($0 - $1) }.max() ?? .infinity
        #expect(models[0].count == models[1].count && difference < 1e-3, "largest difference \(difference)")
    }

    @Test("grid search and section B spread over 2 ranks give the single process's tables")
    func distributedExperiments() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fashion = ProcessInfo.processInfo.environment["FASHION_MNIST_DIR"] ?? "/usr/share/datasets/fashion-mnist"
        let runs: [(command: [String], table: String)] = [
            (["grid-search", "--quick", "--threads", "1", "--data-dir", fashion], "All 4 combinations"),
            (["scratch", "--quick", "--threads", "1", "--activations", "relu,tanh", "--data-dir", directory], "MNIST models"),
        ]
        _ = data
        for (command, table) in runs {
            let alone = try CommandLine.run(command + ["--out", directory + "/alone"] + (command[0] == "grid-search" ? ["--workers", "1"] : []))
            #expect(alone.status == 0, "\(alone.standardError)")
            let job = try MPIJob.run(ranks: 2, command + ["--distributed", "--out", directory + "/together"])
            #expect(job.status == 0, "\(job.standardError)")
            let single = try Self.tableRows(directory + "/alone/results.md", after: table)
            let together = try Self.tableRows(directory + "/together/results.md", after: table)
            #expect(!single.isEmpty && together == single, "\(command[0]): \(together) vs \(single)")
        }
    }

    @Test("killing one rank ends the whole job within 30 s, non-zero, with no rank left")
    func killedRank() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let job = try MPIJob.start(ranks: 2, ["train", "--distributed", "--threads", "1", "--epochs", "1000000", "--hidden", "8",
                                              "--tolerance", "0", "--patience", "1000000"]
                                      + data + ["--out", directory + "/never.safetensors"])
        let ranks = try #require(MPIJob.waitForChildren(of: job.processIdentifier, count: 2, seconds: 20))
        Thread.sleep(forTimeInterval: 1)
        kill(ranks.max()!, SIGKILL)
        let started = Date()
        let ended = MPIJob.wait(job, seconds: 30)
        #expect(ended, "the job still ran 30 s after a rank was killed")
        if !ended { job.terminate() }
        #expect(job.terminationStatus != 0)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(MPIJob.waitUntilGone(ranks, seconds: 5), "a rank outlived the job")
        #expect(!FileManager.default.fileExists(atPath: directory + "/never.safetensors"))
    }

    @Test("a bad input on one rank stops every rank with that rank's one line")
    func badInputOnOneRank() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = directory + "/absent"
        let job = try MPIJob.run(multiple: [
            ["train", "--distributed", "--threads", "1"] + data + ["--out", directory + "/m.safetensors"],
            ["train", "--distributed", "--threads", "1", "--dataset", "mnist", "--data-dir", missing, "--out", directory + "/m.safetensors"],
        ])
        #expect(job.status != 0)
        let errors = job.standardError.split(separator: "\n").filter { $0.hasPrefix("mlp: error:") }
        #expect(errors.count == 2, "\(job.standardError)")
        #expect(errors.allSatisfy { $0.contains(missing) }, "\(errors)")
        #expect(errors.contains { $0.contains("rank 1: ") }, "rank 0 names the failing rank: \(errors)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/m.safetensors"))
    }

    @Test("ranks that disagree on the options stop with a clear error")
    func disagreeingRanks() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let common = ["train", "--distributed", "--threads", "1", "--epochs", "1"] + data + ["--out", directory + "/m.safetensors"]
        let job = try MPIJob.run(multiple: [common + ["--learning-rate", "0.01"], common + ["--learning-rate", "0.02"]])
        #expect(job.status != 0)
        #expect(job.standardError.contains("rank 1's training configuration differs from rank 0's"), "\(job.standardError)")
    }

    @Test("bench train --distributed reports 1 and 2 ranks, communication per batch and efficiency")
    func distributedBenchmark() throws {
        let directory = try makeTemporaryDirectory("mpi-bench")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let job = try MPIJob.run(ranks: 2, ["bench", "train", "--distributed", "--synthetic", "--samples", "512", "--epochs", "2",
                                            "--threads", "1", "--out", directory + "/run"])
        #expect(job.status == 0, "\(job.standardError)")
        #expect(job.standardOutput.contains("communication ms/batch") && job.standardOutput.contains("64 hosts"))
        let json = try Data(contentsOf: URL(fileURLWithPath: directory + "/run/results.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let one = try #require(object["one"] as? [String: Any]), all = try #require(object["all"] as? [String: Any])
        #expect(one["ranks"] as? Int == 1 && all["ranks"] as? Int == 2)
        #expect((all["secondsPerEpoch"] as? [Double])?.count == 2)
        #expect((all["communicationMillisecondsPerBatch"] as? Double ?? 0) > 0)
        #expect(object["bytesPerReduction"] as? Int == 4 * 244_522)
        let speedup = try #require(object["speedup"] as? Double), efficiency = try #require(object["efficiency"] as? Double)
        #expect(abs(efficiency - speedup / 2) < 1e-12)
    }

    @Test("--distributed without an MPI launcher is a usage error")
    func noLauncher() throws {
        BadInputTests.expectOneLineError(try CommandLine.run(["train", "--distributed"]), mentioning: "mpirun",
                                         status: BadInputTests.usageErrorStatus)
        BadInputTests.expectOneLineError(try CommandLine.run(["grid-search", "--distributed"]), mentioning: "mpirun",
                                         status: BadInputTests.usageErrorStatus)
    }

    /// The body rows of the first Markdown table after the line containing `title`, without the
    /// columns of seconds (timings differ between runs).
    static func tableRows(_ path: String, after title: String) throws -> [[String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains(title) }),
              let header = lines[start...].firstIndex(where: { $0.hasPrefix("|") }) else { return [] }
        let headers = lines[header].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let timed = Set(headers.indices.filter { headers[$0].lowercased().contains("time") || headers[$0].lowercased().contains("second") })
        return lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { row in
            row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.enumerated()
                .filter { !timed.contains($0.offset) }.map(\.element)
        }
    }
}

/// `mpirun` with the flags a root CI job on 2 cores needs.
enum MPIJob {
    enum Transport: String, CaseIterable {
        /// Open MPI's default on one host (shared memory).
        case sharedMemory
        /// TCP only, as two hosts talk.
        case tcp
    }

    static let launcher: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func flags(_ transport: Transport) -> [String] {
        ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"] + (transport == .tcp ? ["--mca", "btl", "self,tcp"] : [])
    }

    /// Runs `mpirun -np ranks mlp arguments…` to its end.
    static func run(ranks: Int, transport: Transport = .sharedMemory, _ arguments: [String]) throws -> CommandLine.Outcome {
        try CommandLine.run(program: launcher!, flags(transport) + ["-np", String(ranks), CommandLine.binaryPath] + arguments)
    }

    /// Runs one rank per argument list (`mpirun -np 1 mlp a… : -np 1 mlp b…`).
    static func run(multiple: [[String]]) throws -> CommandLine.Outcome {
        let programs = multiple.map { ["-np", "1", CommandLine.binaryPath] + $0 }
        return try CommandLine.run(program: launcher!, flags(.sharedMemory) + Array(programs.joined(separator: [":"])))
    }

    /// Starts `mpirun -np ranks mlp arguments…` and returns the running process.
    static func start(ranks: Int, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher!)
        process.arguments = flags(.sharedMemory) + ["-np", String(ranks), CommandLine.binaryPath] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The process IDs of `parent`'s children, once there are `count` of them (within `seconds`).
    static func waitForChildren(of parent: Int32, count: Int, seconds: Double) -> [Int32]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let children = childProcesses(of: parent)
            if children.count >= count { return children }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// Every process whose parent is `parent`, from /proc.
    static func childProcesses(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// Waits up to `seconds` until none of `processes` runs (gone, or a zombie awaiting its reaper).
    static func waitUntilGone(_ processes: [Int32], seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        func running(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
        }
        while Date() < deadline {
            if !processes.contains(where: running) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Waits up to `seconds` for `process` to end; returns whether it did.
    static func wait(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }
}

/// The tensors of a safetensors file: an 8-byte little-endian header length, the JSON header,
/// then the data.
enum SafeTensorsFile {
    static func tensorBytes(_ path: String) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        return Array(bytes[(8 + length)...])
    }

    static func floats(_ path: String) throws -> [Float] {
        let bytes = try tensorBytes(path)
        return stride(from: 0, to: bytes.count - 3, by: 4).map { offset in
            Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                  | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
    }
}
