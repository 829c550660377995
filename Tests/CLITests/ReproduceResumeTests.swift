import Foundation
import Testing
import TestSupport

/// `mlp reproduce --resume` of the real binary: a run killed with SIGKILL and resumed writes the
/// uninterrupted run's results, in one process and in an `mpirun` job; a directory without a run,
/// other options and a corrupt saved file are refused in one line. The quick run takes seconds in
/// a release build, so these run only with `MLP_BINARY` (and Fashion-MNIST).
@Suite("mlp reproduce --resume", .serialized,
       .enabled(if: QuickReproduction.isAvailable, "needs MLP_BINARY (a release build) and Fashion-MNIST"))
struct ReproduceResumeTests {
    static let options = ["--quick", "--threads", "1"]

    /// Starts `mlp reproduce` with `arguments` and kills it with SIGKILL once it has saved section A.
    static func killedRun(_ arguments: [String], directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.binaryPath)
        process.arguments = ["reproduce"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline && !FileManager.default.fileExists(atPath: directory + "/sections/theory.json") {
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "the run was not killed")
        #expect(FileManager.default.fileExists(atPath: directory + "/sections/theory.json"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/results.md"), "the run ended before it was killed")
    }

    /// `results.md` in `directory` without its first line (the command, which names the directory)
    /// and without the columns of seconds.
    static func results(_ directory: String) throws -> String {
        let text = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
        return removingTimedColumns(String(text.drop { $0 != "\n" }))
    }

    @Test("a run killed after section A and resumed writes the uninterrupted run's results.md")
    func killedRunResumes() throws {
        try withTemporaryDirectory("reproduce-resume") { root in
            let killed = root + "/killed", whole = root + "/whole"
            try Self.killedRun(Self.options + ["--out", killed], directory: killed)

            let resumed = try CommandLine.run(["reproduce"] + Self.options + ["--resume", killed])
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(resumed.standardOutput.contains("Reusing A (finished earlier, "))
            #expect(resumed.standardOutput.contains("from \(killed)/sections/theory.json"))
            #expect(!resumed.standardOutput.contains("== A. Theory"), "section A ran again")
            #expect(resumed.standardOutput.contains("== C5. "))

            let uninterrupted = try CommandLine.run(["reproduce"] + Self.options + ["--out", whole])
            #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")
            let expected = try Self.results(whole)
            #expect(expected.contains("Per-class precision and recall"))
            #expect(try Self.results(killed) == expected)
            // The report names the command that started the run, not the one that resumed it.
            let report = try String(contentsOfFile: killed + "/report.md", encoding: .utf8)
            #expect(report.contains("--out \(killed)") && !report.contains("--resume"))
        }
    }

    @Test("--resume of a directory without a run, with other options or with a corrupt section file is one line")
    func refusals() throws {
        try withTemporaryDirectory("reproduce-resume") { root in
            let killed = root + "/killed"
            try Self.killedRun(Self.options + ["--out", killed], directory: killed)
            let resume = ["reproduce", "--resume", killed]

            let empty = root + "/empty"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
            BadInputTests.expectOneLineError(try CommandLine.run(["reproduce", "--resume", empty] + Self.options),
                                             mentioning: empty + "/sections/run.json", status: 1)
            BadInputTests.expectOneLineError(try CommandLine.run(resume + Self.options + ["--seed", "7"]),
                                             mentioning: "started with --seed 42 --quick --threads 1", "not --seed 7", status: 1)
            BadInputTests.expectOneLineError(try CommandLine.run(resume + ["--threads", "1"]),
                                             mentioning: "--quick", "resume it with the same options", status: 1)
            BadInputTests.expectOneLineError(try CommandLine.run(resume + Self.options + ["--out", root + "/elsewhere"]),
                                             mentioning: "--out", status: BadInputTests.usageErrorStatus)
            try writeBytes(Array("{\"key\": \"theory\"".utf8), to: killed + "/sections/theory.json")
            BadInputTests.expectOneLineError(try CommandLine.run(resume + Self.options),
                                             mentioning: killed + "/sections/theory.json", "corrupt", "delete it", status: 1)
            #expect(!FileManager.default.fileExists(atPath: killed + "/results.md"))
            #expect(!FileManager.default.fileExists(atPath: root + "/elsewhere"))
        }
    }

    @Test("an mpirun job resumes with rank 0's saved sections on every rank",
          .enabled(if: MPIJob.launcher != nil, "mpirun is not installed"))
    func distributedResume() throws {
        try withTemporaryDirectory("reproduce-resume-mpi") { root in
            let run = root + "/run"
            let options = Self.options + ["--distributed"]
            let first = try MPIJob.run(ranks: 2, ["reproduce"] + options + ["--out", run])
            #expect(first.status == 0, "\(first.standardError)")
            let expected = try Self.results(run)
            for key in ["grid-search", "features"] { try FileManager.default.removeItem(atPath: run + "/sections/\(key).json") }
            try FileManager.default.removeItem(atPath: run + "/results.md")

            let resumed = try MPIJob.run(ranks: 2, ["reproduce"] + options + ["--resume", run])
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(resumed.standardOutput.components(separatedBy: "Reusing C4 (finished earlier, ").count == 2, "rank 0 alone prints")
            #expect(!resumed.standardOutput.contains("Reusing C3") && resumed.standardOutput.contains("== C3. "))
            #expect(try Self.results(run) == expected)

            // One process cannot resume what two started.
            BadInputTests.expectOneLineError(try CommandLine.run(["reproduce"] + Self.options + ["--resume", run]),
                                             mentioning: "in 2 processes", status: 1)
        }
    }
}

/// Whether `mlp reproduce --quick` can run here in seconds: `MLP_BINARY` names a release build and
/// Fashion-MNIST is installed.
enum QuickReproduction {
    static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        let fashion = environment["FASHION_MNIST_DIR"] ?? "/usr/share/datasets/fashion-mnist"
        return !(environment["MLP_BINARY"] ?? "").isEmpty
            && ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].contains { FileManager.default.fileExists(atPath: fashion + "/" + $0) }
    }
}
