import Datasets
import Foundation
import LinearAlgebra
import Testing
import MLPCore
import Deflate
import TestSupport

/// Every bad input ends as one clear line on stderr and a non-zero exit: never a crash or a trace.
@Suite("mlp: bad input gives one clear line")
struct BadInputTests {
    /// Writes a small valid MNIST-layout directory (gzip IDX files) with `count` training images.
    static func writeDataset(in directory: String, trainingCount: Int = 20, testCount: Int = 10) throws {
        for (prefix, count) in [("train", trainingCount), ("t10k", testCount)] {
            let pixels = (0..<(count * 784)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let labels = (0..<count).map { UInt8($0 % 10) }
            try IDXFile(images: pixels, count: count, height: 28, width: 28)
                .write(to: "\(directory)/\(prefix)-images-idx3-ubyte.gz", compressed: true)
            try IDXFile(labels: labels).write(to: "\(directory)/\(prefix)-labels-idx1-ubyte.gz", compressed: true)
        }
    }

    /// The exit status of a usage error (a bad option value, a missing or conflicting option):
    /// ArgumentParser's `EX_USAGE`.
    static let usageErrorStatus: Int32 = 64

    /// Expects one `mlp: error:` line on stderr that mentions every fragment, a non-zero exit
    /// (exactly `status` when given), and no crash.
    static func expectOneLineError(_ outcome: CommandLine.Outcome, mentioning fragments: String..., status: Int32? = nil,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status != 0, "exit status was 0", sourceLocation: sourceLocation)
        if let status {
            #expect(outcome.status == status, "exit status was \(outcome.status), not \(status); stderr: \(outcome.standardError)",
                    sourceLocation: sourceLocation)
        }
        let lines = outcome.standardError.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr was: \(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("mlp: error: ") == true, sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(outcome.standardError.localizedCaseInsensitiveContains(fragment),
                    "stderr \(outcome.standardError) does not mention \(fragment)", sourceLocation: sourceLocation)
        }
        #expect(!outcome.standardError.contains("Fatal error") && !outcome.standardError.contains("Stack dump"),
                sourceLocation: sourceLocation)
    }

    @Test("a valid small dataset is read")
    func validDataset() throws {
        let directory = try makeTemporaryDirectory("ok")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeDataset(in: directory)
        let outcome = try CommandLine.run(["data", "info", "--dataset", "mnist", "--data-dir", directory])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("28×28"))
        #expect(outcome.standardOutput.contains("20"))
        // The class table: labels 0–9 (2 training and 1 test image each), then the totals.
        let cells = outcome.standardOutput.split(separator: "\n")
            .map { $0.split(whereSeparator: { $0 == "│" || $0 == " " }).map(String.init) }
        #expect(cells.contains(["Total", "20", "10"]), "\(outcome.standardOutput)")
        #expect((0..<10).allSatisfy { cells.contains([String($0), "2", "1"]) }, "\(outcome.standardOutput)")
    }

    @Test("damaged IDX files")
    func damagedIDX() throws {
        let directory = try makeTemporaryDirectory("idx")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = "\(directory)/train-images-idx3-ubyte.gz"
        let labels = "\(directory)/train-labels-idx1-ubyte.gz"
        let arguments = ["data", "info", "--dataset", "mnist", "--data-dir", directory]

        // Truncated gzip.
        try Self.writeDataset(in: directory)
        let whole = try Data(contentsOf: URL(fileURLWithPath: images))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: images))
        Self.expectOneLineError(try CommandLine.run(arguments), mentioning: "truncated")

        // Wrong magic: a labels file where images belong.
        try FileManager.default.removeItem(atPath: images)
        try FileManager.default.copyItem(atPath: labels, toPath: images)
        Self.expectOneLineError(try CommandLine.run(arguments), mentioning: "magic")

        // A header that promises more images than the file holds.
        var raw = IDXFile(images: [UInt8](repeating: 1, count: 20 * 784), count: 20, height: 28, width: 28).encoded()
        raw[7] = 21
        try FileManager.default.removeItem(atPath: images)
        try AtomicFile.write(Zlib.gzip(raw), to: images)
        Self.expectOneLineError(try CommandLine.run(arguments), mentioning: "train-images")

        // Image and label counts that differ.
        try IDXFile(images: [UInt8](repeating: 1, count: 19 * 784), count: 19, height: 28, width: 28)
            .write(to: images, compressed: true)
        Self.expectOneLineError(try CommandLine.run(arguments), mentioning: "19")

        // A directory where a file should be.
        try FileManager.default.removeItem(atPath: images)
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: false)
        Self.expectOneLineError(try CommandLine.run(arguments), mentioning: "directory")
    }

    @Test("bad CSV files")
    func badCSV() throws {
        let directory = try makeTemporaryDirectory("csv")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pixels = Array(repeating: "0", count: 784).joined(separator: ",")
        let cases: [(String, String)] = [
            ("3,\(pixels)\n4,x\(pixels.dropFirst())\n", ":2: column 2"),     // not a number
            ("3,\(pixels)\n4,0,0\n", "2"),                                // wrong width
            ("3,\(pixels)\n12,\(pixels)\n", "12"),                        // label out of range
        ]
        for (index, (content, fragment)) in cases.enumerated() {
            let path = "\(directory)/bad\(index).csv"
            try content.write(toFile: path, atomically: true, encoding: .utf8)
            Self.expectOneLineError(try CommandLine.run(["data", "info", "--csv", path]), mentioning: fragment)
        }
        Self.expectOneLineError(try CommandLine.run(["data", "info", "--csv", "\(directory)/missing.csv"]),
                                mentioning: "missing.csv")
    }

    @Test("a wrong MLP_KERNELS stops a command with one line, while help and usage errors still come out")
    func badKernelPath() throws {
        let wrong = ["MLP_KERNELS": "sse9"]
        Self.expectOneLineError(try CommandLine.run(["data", "info", "--dataset", "mnist"], environment: wrong),
                                mentioning: "MLP_KERNELS=sse9", "avx512", status: 1)
        for arguments in [["train", "--help"], ["help", "train"]] {
            let help = try CommandLine.run(arguments, environment: wrong)
            #expect(help.status == 0 && help.standardOutput.contains("--learning-rate"), "\(arguments): \(help.standardError)")
        }
        let version = try CommandLine.run(["--version"], environment: wrong)
        #expect(version.status == 0 && !version.standardOutput.isEmpty, "stderr: \(version.standardError)")
        Self.expectOneLineError(try CommandLine.run(["train", "--bogus"], environment: wrong), mentioning: "--bogus",
                                status: Self.usageErrorStatus)
    }

    @Test("unknown options, names and missing data")
    func badArguments() throws {
        Self.expectOneLineError(try CommandLine.run(["data", "info", "--bogus"]), mentioning: "--bogus", status: Self.usageErrorStatus)
        Self.expectOneLineError(try CommandLine.run(["data", "info", "--dataset", "cifar"]), mentioning: "mnist", status: Self.usageErrorStatus)
        let empty = try makeTemporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let outcome = try CommandLine.run(["data", "info", "--dataset", "mnist"],
                                          environment: ["MNIST_DIR": empty + "/nothing"], directory: empty)
        Self.expectOneLineError(outcome, mentioning: "mlp data fetch mnist")
    }
}
