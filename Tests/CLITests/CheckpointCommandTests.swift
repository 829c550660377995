import Foundation
import Testing
import TestSupport

/// `mlp train --checkpoint / --resume` and its signals, on the real binary: 4 epochs equal 2 and
/// a resume to 4, byte for byte; SIGINT mid-epoch leaves a checkpoint that resumes to the same
/// tensors; refusals and damaged checkpoints are one line.
@Suite("checkpoints and resume", .serialized)
struct CheckpointCommandTests {
    /// A dataset of `count` training and 40 test images, written as IDX files.
    static func dataset(count: Int = 600) throws -> (directory: String, options: [String]) {
        let directory = try makeTemporaryDirectory("checkpoint")
        try BadInputTests.writeDataset(in: directory, trainingCount: count, testCount: 40)
        return (directory, ["--dataset", "mnist", "--data-dir", directory])
    }

    /// The modes the guarantee covers, as options.
    static let modes: [(name: String, options: [String])] = [
        ("adam", ["--optimizer", "adam", "--learning-rate", "0.002"]),
        ("sgd with momentum", ["--optimizer", "sgd", "--momentum", "0.9", "--learning-rate", "0.02"]),
        ("early stopping and adaptive", ["--optimizer", "sgd", "--learning-rate", "0.05", "--early-stopping",
                                         "--schedule", "adaptive", "--tolerance", "0.3", "--clip-norm", "2"]),
    ]
    static let common = ["--hidden", "24,12", "--batch-size", "40", "--seed", "9", "--l2", "0.001"]

    @Test("4 epochs in one go equal 2 epochs with --checkpoint and a --resume to 4, tensor bytes and history")
    func fourEqualTwoPlusTwo() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, options) in Self.modes {
            let whole = directory + "/whole.safetensors", half = directory + "/half.safetensors"
            let resumed = directory + "/resumed.safetensors", checkpoint = directory + "/run.checkpoint"
            let straight = try CommandLine.run(["train"] + data + Self.common + options + ["--threads", "2", "--epochs", "4", "--out", whole])
            #expect(straight.status == 0, "\(name): \(straight.standardError)")
            let first = try CommandLine.run(["train"] + data + Self.common + options
                                            + ["--threads", "2", "--epochs", "2", "--out", half, "--checkpoint", checkpoint])
            #expect(first.status == 0, "\(name): \(first.standardError)")
            // Only the options that may change: the rest come from the checkpoint.
            let second = try CommandLine.run(["train"] + data + ["--epochs", "4", "--threads", "2", "--out", resumed, "--resume", checkpoint])
            #expect(second.status == 0, "\(name): \(second.standardError)")
            #expect(second.standardOutput.contains("Resuming \(checkpoint) after epoch 2"), "\(name): \(second.standardOutput)")
            #expect(try SafeTensorsFile.tensorBytes(resumed) == SafeTensorsFile.tensorBytes(whole), "\(name)")
            #expect(try Self.timelessHistory(resumed) == Self.timelessHistory(whole), "\(name)")
        }
    }

    @Test("under mpirun, rank 0 writes the checkpoint and every rank resumes it: equal to one process of 2 threads")
    func distributedResume() throws {
        guard MPIJob.launcher != nil else { return }
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = Self.common + Self.modes[2].options
        let whole = directory + "/whole.safetensors", checkpoint = directory + "/run.checkpoint"
        let straight = try CommandLine.run(["train"] + data + options + ["--threads", "2", "--epochs", "4", "--out", whole])
        #expect(straight.status == 0, "\(straight.standardError)")
        let first = try MPIJob.run(ranks: 2, ["train", "--distributed"] + data + options
                                   + ["--threads", "1", "--epochs", "2", "--out", directory + "/half.safetensors", "--checkpoint", checkpoint])
        #expect(first.status == 0, "\(first.standardError)")
        let resumed = directory + "/resumed.safetensors"
        let second = try MPIJob.run(ranks: 2, ["train", "--distributed"] + data
                                    + ["--threads", "1", "--epochs", "4", "--out", resumed, "--resume", checkpoint])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(try SafeTensorsFile.tensorBytes(resumed) == SafeTensorsFile.tensorBytes(whole))
    }

    @Test("SIGINT mid-epoch: the batch finishes, a checkpoint is written, exit 130, and the resume ends with the uninterrupted tensors")
    func interruptAndResume() throws {
        let (directory, data) = try Self.dataset(count: 12_000)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = data + Self.common + ["--threads", "2", "--epochs", "5", "--batch-size", "16"]
        let whole = directory + "/whole.safetensors"
        let straight = try CommandLine.run(["train"] + options + ["--out", whole])
        #expect(straight.status == 0, "\(straight.standardError)")

        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let out = directory + "/stopped-\(signal).safetensors", checkpoint = directory + "/stopped-\(signal).checkpoint"
            let process = try Self.start(["train"] + options + ["--out", out, "--checkpoint", checkpoint])
            // Epoch 1's checkpoint exists: the run is inside epoch 2 (750 batches long).
            #expect(Self.waitForFile(checkpoint, seconds: 120), "no checkpoint after epoch 1")
            Thread.sleep(forTimeInterval: 0.05)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationStatus == status)
            let output = String(decoding: (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(output.contains("checkpoint saved to \(checkpoint). Resume with: mlp train"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: out), "no model is written by a stopped run")
            #expect(fileNames(in: directory).filter { $0.contains(".tmp-") }.isEmpty, "temporary files left: \(fileNames(in: directory))")
            let position = try Self.checkpointEntry(checkpoint)
            #expect(position.contains("\"epochInProgress\":{"), "the stop came between epochs: \(position)")

            let resumed = try CommandLine.run(["train"] + options + ["--out", out, "--resume", checkpoint])
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(resumed.standardOutput.contains("inside epoch"), "\(resumed.standardOutput)")
            #expect(try SafeTensorsFile.tensorBytes(out) == SafeTensorsFile.tensorBytes(whole), "signal \(signal)")
            #expect(try Self.timelessHistory(out) == Self.timelessHistory(whole), "signal \(signal)")
        }
    }

    @Test("a resume on other data, with a changed architecture or batch size, or from a damaged checkpoint is refused in one line")
    func refusals() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checkpoint = directory + "/run.checkpoint", out = directory + "/model.safetensors"
        let first = try CommandLine.run(["train"] + data + Self.common + ["--epochs", "1", "--out", out, "--checkpoint", checkpoint])
        #expect(first.status == 0, "\(first.standardError)")
        let resume = ["train"] + data + ["--out", out, "--resume", checkpoint, "--epochs", "2"]

        BadInputTests.expectOneLineError(try CommandLine.run(resume + ["--limit", "500"]), mentioning: "training data", "500 samples")
        BadInputTests.expectOneLineError(try CommandLine.run(resume + ["--hidden", "24,10"]),
                                         mentioning: "--hidden", "[24,12]", status: BadInputTests.usageErrorStatus)
        BadInputTests.expectOneLineError(try CommandLine.run(resume + ["--batch-size", "41", "--seed", "9"]),
                                         mentioning: "--batch-size", status: BadInputTests.usageErrorStatus)
        BadInputTests.expectOneLineError(try CommandLine.run(resume + ["--optimizer", "sgd"]), mentioning: "--optimizer",
                                         status: BadInputTests.usageErrorStatus)
        // Repeating the checkpoint's own values is allowed.
        let same = try CommandLine.run(resume + ["--hidden", "24,12", "--seed", "9", "--threads", "1"])
        #expect(same.status == 0, "\(same.standardError)")
        let before = try Data(contentsOf: URL(fileURLWithPath: out))

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        let damaged: [(String, [UInt8])] = [
            ("truncated", Array(bytes.prefix(bytes.count - 100))),
            ("empty", []),
            ("garbage header", [200, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0x7b, count: 200)),
            ("model file", [UInt8](before)),
        ]
        for (name, contents) in damaged {
            let path = directory + "/damaged.checkpoint"
            try writeBytes(contents, to: path)
            let outcome = try CommandLine.run(["train"] + data + ["--out", out, "--resume", path])
            BadInputTests.expectOneLineError(outcome, mentioning: "damaged.checkpoint")
            #expect(outcome.status == 1, "\(name)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before, "a refused resume left --out as it was")
    }

    @Test("temporary files left by a killed save are removed by the next save; others' are kept")
    func staleTemporaryFiles() throws {
        let (directory, data) = try Self.dataset()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/model.safetensors"
        // A process ID that is not running, and one that is (init).
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead += 1 }
        let stale = out + ".tmp-\(dead)-12345", live = out + ".tmp-1-777", unrelated = out + ".tmp-notours"
        for path in [stale, live, unrelated] { try writeBytes([1, 2, 3], to: path) }
        let outcome = try CommandLine.run(["train"] + data + Self.common + ["--epochs", "1", "--out", out])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    // MARK: - Helpers

    /// Starts `mlp arguments…` with its output in a pipe.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.binaryPath)
        process.arguments = arguments
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitForFile(_ path: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// The safetensors metadata of a file.
    static func metadata(_ path: String) throws -> [String: String] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any]
        return header?["__metadata__"] as? [String: String] ?? [:]
    }

    static func checkpointEntry(_ path: String) throws -> String { try metadata(path)["checkpoint"] ?? "" }

    /// A model file's history without its timings.
    static func timelessHistory(_ path: String) throws -> NSDictionary {
        let text = try metadata(path)["history"] ?? "{}"
        var history = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        history["secondsPerEpoch"] = nil
        history["communicationSecondsPerEpoch"] = nil
        return history as NSDictionary
    }
}
