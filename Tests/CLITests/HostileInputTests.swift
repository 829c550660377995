import Foundation
import Testing
import TestSupport

/// The defect classes of the hostile-input report, each driven through the real binary: one clean
/// line and an exit of 1–127, within seconds, with nothing on disk changed but the intended output.
@Suite("hostile input", .serialized)
struct HostileInputTests {
    /// A directory with a small dataset and a model trained on it.
    static func prepared() throws -> (directory: String, data: [String], model: String) {
        let directory = try makeTemporaryDirectory("hostile")
        try BadInputTests.writeDataset(in: directory, trainingCount: 60, testCount: 20)
        let data = ["--dataset", "mnist", "--data-dir", directory]
        let model = directory + "/model.safetensors"
        let outcome = try CommandLine.run(["train"] + data + ["--hidden", "8", "--epochs", "1", "--out", model])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return (directory, data, model)
    }

    /// Writes a copy of the model at `source` to `destination` with its metadata and data changed.
    static func tamper(
        _ source: String, to destination: String, metadata change: (inout [String: String]) -> Void = { _ in },
        data changeData: (inout [UInt8]) -> Void = { _ in }
    ) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        var header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
        var metadata = header["__metadata__"] as! [String: String]
        change(&metadata)
        header["__metadata__"] = metadata
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Array(bytes[(8 + length)...])
        changeData(&data)
        let size = (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) }
        try writeBytes(size + json + data, to: destination)
    }

    static func float(_ value: Float) -> [UInt8] { withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }

    @Test("1. untrusted metadata: negative and unsorted labels, bad layer sizes and names are checked at load, and evaluate never traps")
    func untrustedMetadata() throws {
        let (directory, data, model) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let negative = directory + "/negative.safetensors"
        try Self.tamper(model, to: negative) { $0["classes"] = "[-1,0,1,2,3,4,5,6,7,8]"; $0["class_names"] = nil }
        let evaluated = try CommandLine.run(["evaluate", "--model", negative] + data)
        #expect(evaluated.status == 0, "a negative label is a label: \(evaluated.standardError)")
        #expect(evaluated.standardOutput.contains("-1"))
        for (name, change) in [
            ("unsorted", { (metadata: inout [String: String]) in metadata["classes"] = "[1,0,2,3,4,5,6,7,8,9]" }),
            ("huge layer", { (metadata: inout [String: String]) in metadata["layer_sizes"] = "[784,8000000000000,10]" }),
            ("names", { (metadata: inout [String: String]) in metadata["class_names"] = "[\"a\\u001b[31m\",\"b\"]" }),
            ("configuration", { (metadata: inout [String: String]) in
                metadata["configuration"] = metadata["configuration"]!.replacingOccurrences(of: "\"batchSize\":128", with: "\"batchSize\":-5")
            }),
        ] {
            let path = directory + "/\(name).safetensors"
            try Self.tamper(model, to: path, metadata: change)
            BadInputTests.expectOneLineError(try CommandLine.run(["evaluate", "--model", path] + data), mentioning: path)
            BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", path, "--idx", directory + "/t10k-images-idx3-ubyte.gz"]),
                                             mentioning: path)
        }
    }

    @Test("2. outputs: devices and FIFOs are written through, a symbolic link's target is replaced, a replaced file keeps its mode")
    func outputsOverSpecialFiles() throws {
        let (directory, data, model) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = directory + "/t10k-images-idx3-ubyte.gz"
        // /dev/null stays a character device.
        let toNull = try CommandLine.run(["predict", "--model", model, "--idx", images, "--output", "/dev/null"])
        #expect(toNull.status == 0, "\(toNull.standardError)")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        // /dev/stdout is the pipe the test reads: the predictions arrive there.
        let toStdout = try CommandLine.run(["predict", "--model", model, "--idx", images, "--output", "/dev/stdout"])
        #expect(toStdout.status == 0, "\(toStdout.standardError)")
        #expect(toStdout.standardOutput.split(separator: "\n").count >= 20, "\(toStdout.standardOutput)")
        // A symbolic link keeps pointing at its target, which holds the new model.
        let target = directory + "/target.safetensors", link = directory + "/link.safetensors"
        try writeBytes([1, 2, 3], to: target)
        #expect(chmod(target, 0o640) == 0)
        #expect(symlink(target, link) == 0)
        let trained = try CommandLine.run(["train"] + data + ["--hidden", "8", "--epochs", "1", "--out", link])
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(lstat(link, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK)
        #expect(stat(target, &status) == 0 && status.st_mode & 0o7777 == 0o640 && status.st_size > 100)
        // A FIFO nobody reads is refused at once instead of blocking.
        let fifo = directory + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", model, "--idx", images, "--output", fifo]),
                                         mentioning: "FIFO")
        #expect(lstat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test("3. sizes: networks too large for this machine are refused by size, under a 4 GiB address-space limit too")
    func oversizedNetworks() throws {
        let (directory, data, _) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for hidden in ["100000,100000", "1000000000", "30000,30000"] {
            let arguments = ["train"] + data + ["--hidden", hidden, "--epochs", "1", "--out", directory + "/big.safetensors"]
            BadInputTests.expectOneLineError(try CommandLine.run(arguments), mentioning: "not enough memory", "GB")
            let limited = try CommandLine.run(program: "/bin/bash", ["-c", "ulimit -v 4194304; exec \"$0\" \"$@\"", CommandLine.binaryPath] + arguments)
            BadInputTests.expectOneLineError(limited, mentioning: "not enough memory")
        }
        // 1024 threads under the limit: their stacks do not fit, and training must not wait for
        // threads that cannot be created.
        let threads = ["train"] + data + ["--batch-size", "60", "--epochs", "1", "--threads", "1024", "--out", directory + "/big.safetensors"]
        let limited = try CommandLine.run(program: "/bin/bash", ["-c", "ulimit -v 4194304; exec timeout -s KILL 60 \"$0\" \"$@\"", CommandLine.binaryPath] + threads)
        BadInputTests.expectOneLineError(limited, mentioning: "not enough memory", "1024 threads")
        #expect(!FileManager.default.fileExists(atPath: directory + "/big.safetensors"))
    }

    @Test("4 and 11. FIFOs and devices as inputs: refused by type at once, with the right words")
    func specialInputs() throws {
        let (directory, data, model) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/in.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        BadInputTests.expectOneLineError(try CommandLine.run(["data", "info", "--csv", fifo]), mentioning: "is a FIFO")
        BadInputTests.expectOneLineError(try CommandLine.run(["evaluate", "--model", fifo] + data), mentioning: "is a FIFO")
        BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", model, "--idx", fifo]), mentioning: "is a FIFO")
        BadInputTests.expectOneLineError(try CommandLine.run(["evaluate", "--model", "/dev/zero"] + data), mentioning: "character device")
        BadInputTests.expectOneLineError(try CommandLine.run(["data", "info", "--csv", "/dev/zero"]), mentioning: "character device")
        #expect(Date().timeIntervalSince(started) < 20)
        BadInputTests.expectOneLineError(try CommandLine.run(["train"] + data + ["--seed", "-1"]), mentioning: "seed", "non-negative",
                                         status: BadInputTests.usageErrorStatus)
        // An output that cannot be written is found before training.
        let unwritable = try CommandLine.run(["train"] + data + ["--epochs", "50", "--out", "/proc/self/forbidden/model.safetensors"])
        BadInputTests.expectOneLineError(unwritable, mentioning: "/proc/self/forbidden")
        #expect(!unwritable.standardOutput.contains("Trained"))
    }

    @Test("5. non-finite results: NaN, infinite and overflowing weights, and theory parameters that overflow")
    func nonFiniteResults() throws {
        let (directory, data, model) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = directory + "/t10k-images-idx3-ubyte.gz"
        for (name, value) in [("nan", Float.nan), ("infinity", Float.infinity)] {
            let path = directory + "/\(name).safetensors"
            try Self.tamper(model, to: path, data: { $0.replaceSubrange(0..<4, with: Self.float(value)) })
            BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", path, "--idx", images]), mentioning: "finite")
        }
        let huge = directory + "/huge.safetensors"
        try Self.tamper(model, to: huge, data: { data in
            for offset in stride(from: 0, to: data.count, by: 4) { data.replaceSubrange(offset..<(offset + 4), with: Self.float(3e38)) }
        })
        let predicted = try CommandLine.run(["predict", "--model", huge, "--idx", images, "--probabilities"])
        BadInputTests.expectOneLineError(predicted, mentioning: "not finite")
        #expect(!predicted.standardOutput.lowercased().contains("nan"))
        BadInputTests.expectOneLineError(try CommandLine.run(["evaluate", "--model", huge] + data), mentioning: "not finite")
        for arguments in [["--bias", "nan"], ["--bias", "inf"], ["--bias", "1e308"], ["--weights", "1e308,1"]] {
            let outcome = try CommandLine.run(["theory", "--out", directory + "/theory"] + arguments)
            BadInputTests.expectOneLineError(outcome, mentioning: arguments[0], status: BadInputTests.usageErrorStatus)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/theory/results.json"))
    }

    @Test("9 and 10. terminal injection is escaped; overlapping or gapped safetensors offsets are refused")
    func injectionAndOffsets() throws {
        let (directory, data, model) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hostile = directory + "/evil\u{1b}[31mred\u{7}.csv"
        let outcome = try CommandLine.run(["data", "info", "--csv", hostile])
        BadInputTests.expectOneLineError(outcome, mentioning: "no such file")
        #expect(!outcome.standardError.contains("\u{1b}") && !outcome.standardError.contains("\u{7}"), "\(outcome.standardError.debugDescription)")
        let csv = directory + "/cells.csv"
        try writeBytes(Array("label,p1\n1,\u{1b}[2J\u{0}bad\n".utf8), to: csv)
        let cells = try CommandLine.run(["data", "info", "--csv", csv])
        #expect(cells.status != 0 && !cells.standardError.contains("\u{1b}") && !cells.standardError.contains("\u{0}"))

        // Offsets of the first two tensors made to overlap, then to leave a gap.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        for (name, shift) in [("overlap", -4), ("gap", 4)] {
            var object = try JSONSerialization.jsonObject(with: Data(header.utf8)) as! [String: Any]
            let names = object.keys.filter { $0 != "__metadata__" }.sorted {
                ((object[$0] as! [String: Any])["data_offsets"] as! [Int])[0] < ((object[$1] as! [String: Any])["data_offsets"] as! [Int])[0]
            }
            var second = object[names[1]] as! [String: Any]
            let offsets = second["data_offsets"] as! [Int]
            second["data_offsets"] = [offsets[0] + shift, offsets[1] + shift]
            object[names[1]] = second
            var json = [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            while json.count % 8 != 0 { json.append(0x20) }
            let path = directory + "/\(name).safetensors"
            try writeBytes((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + bytes[(8 + length)...], to: path)
            BadInputTests.expectOneLineError(try CommandLine.run(["evaluate", "--model", path] + data), mentioning: "data_offsets")
        }
    }
}
