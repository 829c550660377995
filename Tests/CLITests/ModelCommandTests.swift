import Datasets
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// `mlp train`, `evaluate` and `predict` on a tiny dataset the test writes itself.
@Suite("mlp train / evaluate / predict")
struct ModelCommandTests {
    @Test("train saves a model whose evaluate accuracy and predict output agree")
    func trainEvaluatePredict() throws {
        let directory = try makeTemporaryDirectory("model")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try BadInputTests.writeDataset(in: directory, trainingCount: 40, testCount: 12)
        let model = directory + "/model.safetensors"
        let common = ["--dataset", "mnist", "--data-dir", directory]
        let train = try CommandLine.run(["train"] + common + ["--hidden", "8", "--epochs", "3", "--batch-size", "8", "--out", model])
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("Test accuracy:"))
        #expect(FileManager.default.fileExists(atPath: model))
        // The model records the BLAS kernel that trained it: this process's, or a forced one.
        #expect(try Self.metadata(of: model)["blas_configuration"] == BLAS.configuration)
        let forced = directory + "/nehalem.safetensors"
        let nehalem = try CommandLine.run(["train"] + common + ["--hidden", "8", "--epochs", "1", "--out", forced],
                                          environment: ["OPENBLAS_CORETYPE": "Nehalem"])
        #expect(nehalem.status == 0, "\(nehalem.standardError)")
        #expect(try Self.metadata(of: forced)["blas_configuration"]?.contains(" Nehalem ") == true)

        let evaluate = try CommandLine.run(["evaluate", "--model", model] + common)
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(evaluate.standardOutput.contains("Accuracy"))
        // The accuracy line of train and evaluate must agree: the saved model is the trained one.
        let trained = train.standardOutput.split(separator: "\n").first { $0.hasPrefix("Test accuracy:") }
        let evaluated = evaluate.standardOutput.split(separator: "\n").first { $0.hasPrefix("Accuracy") }
        let trainedValue = trained?.split(separator: " ").dropFirst(2).first
        let evaluatedValue = evaluated?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
        #expect(trainedValue != nil && trainedValue == evaluatedValue)
        // The per-class rows (label, class, rows, precision, recall, F1) cover the 12 test images,
        // their recalls times their rows add up to that accuracy, and the confusion matrix's
        // diagonal to the same count.
        let tableRows = evaluate.standardOutput.split(separator: "\n")
            .map { $0.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) } }
        let classRows = tableRows.filter { $0.count == 6 && Int($0[0]) != nil }
        #expect(classRows.count == 10)
        let imageCounts: [Int] = classRows.compactMap { Int($0[2]) }
        let correctCounts: [Int] = classRows.compactMap { row in Double(row[4]).map { Int(($0 * Double(row[2])!).rounded()) } }
        #expect(imageCounts.reduce(0, +) == 12)
        let summed = String(format: "%.2f%%", Double(correctCounts.reduce(0, +)) / 12 * 100)
        #expect(evaluatedValue.map(String.init) == summed)
        let confusionRows = tableRows.filter { $0.count == 11 && Int($0[0]) != nil }
        #expect(confusionRows.count == 10)
        let diagonal = confusionRows.enumerated().map { Int($1[$0 + 1]) ?? -1 }.reduce(0, +)
        #expect(diagonal == correctCounts.reduce(0, +))
        for line in ["Macro F1", "Cross-entropy"] { #expect(evaluate.standardOutput.contains(line)) }

        let predictions = directory + "/predictions.txt"
        let predict = try CommandLine.run(["predict", "--model", model, "--idx", directory + "/t10k-images-idx3-ubyte.gz",
                                           "--output", predictions])
        #expect(predict.status == 0, "\(predict.standardError)")
        let lines = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines.allSatisfy { Int($0).map { (0..<10).contains($0) } ?? false })

        // The same images as CSV, with and without a label column, give the same predictions.
        let images = try IDXFile.read(at: directory + "/t10k-images-idx3-ubyte.gz", expecting: .images)
        let rows = (0..<12).map { row in images.data[(row * 784)..<((row + 1) * 784)].map(String.init).joined(separator: ",") }
        for (name, text) in [("unlabelled.csv", rows.joined(separator: "\n")),
                             ("labelled.csv", rows.map { "3," + $0 }.joined(separator: "\n"))] {
            let csv = directory + "/" + name
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            let fromCSV = try CommandLine.run(["predict", "--model", model, "--csv", csv])
            #expect(fromCSV.status == 0, "\(name): \(fromCSV.standardError)")
            #expect(fromCSV.standardOutput.split(separator: "\n") == lines, "\(name) predictions differ from the IDX ones")
        }
        // A directory where the model should be is one clear line.
        BadInputTests.expectOneLineError(
            try CommandLine.run(["predict", "--model", directory, "--idx", directory + "/t10k-images-idx3-ubyte.gz"]),
            mentioning: "is a directory")
    }

    @Test("a model trained on some of the classes (--limit) names only those, loads and evaluates")
    func limitedClasses() throws {
        let directory = try makeTemporaryDirectory("limit")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try BadInputTests.writeDataset(in: directory, trainingCount: 40, testCount: 12)
        let model = directory + "/model.safetensors"
        let common = ["--dataset", "mnist", "--data-dir", directory]
        // The first 5 training images have labels 0–4 only.
        let train = try CommandLine.run(["train"] + common + ["--hidden", "8", "--epochs", "1", "--limit", "5", "--out", model])
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("784-8-5 "))
        #expect(try Self.metadata(of: model)["class_names"] == #"["0","1","2","3","4"]"#)
        let evaluate = try CommandLine.run(["evaluate", "--model", model] + common)
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(evaluate.standardOutput.contains("Per class"))
    }

    /// The `__metadata__` of a safetensors file: an 8-byte little-endian header length, then JSON.
    static func metadata(of path: String) throws -> [String: String] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any]
        return header?["__metadata__"] as? [String: String] ?? [:]
    }

    /// The training configuration a model file records (`__metadata__`'s `configuration`, JSON).
    static func configuration(of path: String) throws -> [String: Any] {
        let text = try #require(try metadata(of: path)["configuration"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("train takes the library's spellings of every enumerated option, and its tolerance")
    func trainingOptions() throws {
        let directory = try makeTemporaryDirectory("options")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try BadInputTests.writeDataset(in: directory, trainingCount: 40, testCount: 12)
        let common = ["train", "--dataset", "mnist", "--data-dir", directory, "--hidden", "8", "--batch-size", "8"]

        // Aliases, case and a slope in the name, as the library's init(name:) parsers accept them.
        let aliased = directory + "/aliased.safetensors"
        let outcome = try CommandLine.run(common + [
            "--epochs", "1", "--activation", "leaky-relu(0.2)", "--init", "kaiming", "--optimizer", "ADAM",
            "--schedule", "inverse-scaling", "--parallelism", "openblas", "--input-kernel", "automatic", "--out", aliased])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let configuration = try Self.configuration(of: aliased)
        #expect(configuration["activation"] as? String == "leaky-relu(0.2)")
        #expect(configuration["initialization"] as? String == "he-normal")
        #expect(configuration["optimizer"] as? String == "adam")
        #expect(configuration["learningRateSchedule"] as? String == "invscaling")
        #expect(configuration["parallelism"] as? String == "blas")
        #expect(configuration["inputKernel"] as? String == "auto")
        // The default tolerance is the library's, which the C API uses too: 1e-4, not 0.
        let tolerance = try #require(configuration["tolerance"] as? Double)
        #expect(abs(tolerance - 1e-4) < 1e-12)

        // --leaky-slope sets the slope of leaky-relu.
        let sloped = directory + "/sloped.safetensors"
        let slope = try CommandLine.run(common + ["--epochs", "1", "--activation", "leaky-relu", "--leaky-slope", "0.3", "--out", sloped])
        #expect(slope.status == 0, "\(slope.standardError)")
        #expect(try Self.configuration(of: sloped)["activation"] as? String == "leaky-relu(0.3)")

        // No epoch improves the loss by 1e9: after more than --patience 1 such epochs (epochs 2
        // and 3), training stops, at epoch 3 of 6.
        let stopped = directory + "/stopped.safetensors"
        let stop = try CommandLine.run(common + ["--epochs", "6", "--patience", "1", "--tolerance", "1e9", "--out", stopped])
        #expect(stop.status == 0, "\(stop.standardError)")
        #expect(stop.standardOutput.contains("Trained 3 epochs"), "\(stop.standardOutput)")
        #expect(stop.standardOutput.contains("(stopped: no-improvement)"), "\(stop.standardOutput)")
        #expect(try Self.configuration(of: stopped)["tolerance"] as? Double == 1e9)
    }

    @Test("a corrupted model, an unknown activation and a negative learning rate are one clear line each")
    func badModelInputs() throws {
        let directory = try makeTemporaryDirectory("badmodel")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = directory + "/broken.safetensors"
        try Data([0x10, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":".utf8)).write(to: URL(fileURLWithPath: model))
        BadInputTests.expectOneLineError(
            try CommandLine.run(["evaluate", "--model", model, "--data-dir", directory]), mentioning: "broken.safetensors")
        BadInputTests.expectOneLineError(
            try CommandLine.run(["predict", "--model", directory + "/absent.safetensors", "--idx", model]),
            mentioning: "absent.safetensors")
        BadInputTests.expectOneLineError(try CommandLine.run(["train", "--activation", "relux"]), mentioning: "leaky-relu",
                                         status: BadInputTests.usageErrorStatus)
        BadInputTests.expectOneLineError(try CommandLine.run(["train", "--learning-rate=-0.1"]), mentioning: "positive",
                                         status: BadInputTests.usageErrorStatus)
    }
}
