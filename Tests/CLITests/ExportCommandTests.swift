import Foundation
import MLPCore
import Testing
import TestSupport

/// `mlp export --onnx`: train from CSV, export, and run the graph with onnxruntime against
/// `mlp predict`; bad inputs give one line and leave the output alone.
@Suite("mlp export")
struct ExportCommandTests {
    /// `count` CSV rows `label,pixel1,…,pixel784` (labels 0, 3 and 8, pixels 0–255), seeded.
    static func csvRows(count: Int, seed: UInt64) -> [[Int]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let label = [0, 3, 8][Int.random(in: 0..<3, using: &generator)]
            // Each class brightens its own band of pixels, so that training learns something.
            let pixels = (0..<784).map { index in
                let band = index / 262 == [0, 3, 8].firstIndex(of: label)!
                return Int.random(in: 0...(band ? 255 : 90), using: &generator)
            }
            return [label] + pixels
        }
    }

    static func csvText(_ rows: [[Int]]) -> String {
        rows.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    @Test("train, export and onnxruntime agree with mlp predict")
    func trainExportPredict() throws {
        let python = try PythonEnvironment.python("onnx", packages: PythonEnvironment.onnxPackages)
        try withTemporaryDirectory("export") { directory in
            let testRows = Self.csvRows(count: 60, seed: 2)
            try Self.csvText(Self.csvRows(count: 240, seed: 1)).write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
            try Self.csvText(testRows).write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
            let model = directory + "/model.safetensors", onnx = directory + "/model.onnx"
            let train = try CommandLine.run(["train", "--csv", directory + "/train.csv", "--test-csv", directory + "/test.csv",
                                             "--hidden", "16,8", "--epochs", "4", "--batch-size", "20", "--out", model])
            try #require(train.status == 0, "\(train.standardError)")

            let export = try CommandLine.run(["export", model, "--onnx", onnx])
            try #require(export.status == 0, "\(export.standardError)")
            #expect(export.standardOutput.split(separator: "\n").count == 1)
            #expect(export.standardOutput.contains("a classifier 784-16-8-3"), "\(export.standardOutput)")

            // Through stdout: the same bytes, and the summary on stderr instead.
            let piped = try CommandLine.run(program: "/bin/bash", [
                "-c", #"set -o pipefail; "$0" export "$1" --onnx /dev/stdout | cat > "$2""#,
                CommandLine.binaryPath, model, directory + "/piped.onnx",
            ])
            #expect(piped.status == 0, "\(piped.standardError)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/piped.onnx")) == Data(contentsOf: URL(fileURLWithPath: onnx)))
            #expect(piped.standardError.hasPrefix("Wrote /dev/stdout: ONNX opset"), "\(piped.standardError)")

            let predict = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/test.csv", "--probabilities"])
            try #require(predict.status == 0, "\(predict.standardError)")
            let lines = predict.standardOutput.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            try #require(lines.count == testRows.count)

            let pixels = testRows.flatMap { $0.dropFirst().map { Float($0) } }
            try writeBytes(pixels.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }, to: directory + "/input.bin")
            let output = try PythonEnvironment.run(python, script: Self.runScript, [onnx, directory + "/input.bin", String(testRows.count)])
            let theirs = output.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            try #require(theirs.count == testRows.count)
            var largest: Float = 0
            for (ours, onnxRow) in zip(lines, theirs) {
                #expect(ours[0] == onnxRow[0], "label \(ours[0]) from mlp predict, \(onnxRow[0]) from onnxruntime")
                let ourProbabilities = ours.dropFirst().compactMap(Float.init)
                let theirProbabilities = onnxRow.dropFirst().compactMap(Float.init)
                try #require(ourProbabilities.count == 3 && theirProbabilities.count == 3)
                for (a, b) in zip(ourProbabilities, theirProbabilities) { largest = max(largest, abs(a - b)) }
            }
            print("ONNX CLI classifier: max |onnxruntime − mlp predict| = \(largest)")
            #expect(largest <= 1e-5)
        }
    }

    @Test("tables with per-feature standardisation: a classifier, a regressor and an autoencoder agree with onnxruntime on 1,000 rows",
          arguments: ["classify", "regress", "autoencode"])
    func standardizedTables(task: String) throws {
        let python = try PythonEnvironment.python("onnx", packages: PythonEnvironment.onnxPackages)
        try withTemporaryDirectory("export-\(task)") { directory in
            // Columns of very different scales (so standardisation is far from the identity) and a
            // text label; the regressor learns two targets from them.
            var generator = SeededGenerator(seed: 11)
            func table(_ rows: Int) -> (csv: String, features: [Float]) {
                var text = "mass,length,ratio,label,y1,y2\n", features = [Float]()
                for _ in 0..<rows {
                    let a = Float.random(in: -1...1, using: &generator), b = Float.random(in: -1...1, using: &generator)
                    let c = Float.random(in: -1...1, using: &generator)
                    let row: [Float] = [a * 1000 + 5000, b * 0.001, c * 10 - 3]
                    features += row
                    text += row.map { "\($0)" }.joined(separator: ",") + ",\(a + b > 0 ? "high" : "low"),\(a - 2 * c),\(a * b)\n"
                }
                return (text, features)
            }
            let training = table(400), test = table(1_000)
            try training.csv.write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
            try test.csv.write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
            let model = directory + "/model.safetensors", onnx = directory + "/model.onnx"
            var options = ["--csv", directory + "/train.csv", "--feature-columns", "mass,length,ratio", "--standardize",
                           "--hidden", "12", "--epochs", "15", "--batch-size", "32", "--task", task, "--out", model]
            switch task {
            case "classify": options += ["--target", "label"]
            case "regress": options += ["--target", "y1,y2"]
            default: options += ["--code-size", "2"]
            }
            let train = try CommandLine.run(["train"] + options)
            try #require(train.status == 0, "\(train.standardError)")
            let export = try CommandLine.run(["export", model, "--onnx", onnx])
            try #require(export.status == 0, "\(export.standardError)")
            let predict = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/test.csv"]
                                              + (task == "classify" ? ["--probabilities"] : []))
            try #require(predict.status == 0, "\(predict.standardError)")
            let ours = predict.standardOutput.split(separator: "\n").map { line in
                line.split(separator: ",").dropFirst(task == "classify" ? 1 : 0).compactMap { Float($0) }
            }
            try writeBytes(test.features.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) },
                           to: directory + "/input.bin")
            let output = try PythonEnvironment.run(python, script: Self.firstOutputScript, [onnx, directory + "/input.bin", "1000"])
            let theirs = output.split(separator: "\n").map { $0.split(separator: ",").compactMap { Float($0) } }
            try #require(ours.count == 1_000 && theirs.count == 1_000)
            let width = task == "autoencode" ? 3 : 2
            var largest: Float = 0
            for (a, b) in zip(ours, theirs) {
                try #require(a.count == width && b.count == width)
                for (x, y) in zip(a, b) { largest = max(largest, abs(x - y) / max(1, abs(x))) }
            }
            print("ONNX CLI \(task) on a standardized table: max |onnxruntime − mlp predict| (relative above 1) = \(largest)")
            #expect(largest <= 1e-5)
        }
    }

    /// Runs the graph on raw float32 rows and prints its first output, one comma-separated row per line.
    static let firstOutputScript = #"""
    import sys, numpy as np, onnx, onnxruntime as ort
    path, inputs, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    onnx.checker.check_model(onnx.load(path), full_check=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.fromfile(inputs, dtype="<f4").reshape(rows, -1)
    first = session.run([session.get_outputs()[0].name], {"input": x})[0]
    for row in first:
        print(",".join(repr(float(v)) for v in row))
    """#

    @Test("a file that is not a model, a missing one, or a bad output path: one line, no output")
    func badInput() throws {
        try withTemporaryDirectory("export-bad") { directory in
            let csv = directory + "/data.csv", onnx = directory + "/out.onnx"
            try Self.csvText(Self.csvRows(count: 2, seed: 3)).write(toFile: csv, atomically: true, encoding: .utf8)
            let notAModel = try CommandLine.run(["export", csv, "--onnx", onnx])
            BadInputTests.expectOneLineError(notAModel, mentioning: "data.csv", status: 1)
            #expect(!FileManager.default.fileExists(atPath: onnx))
            #expect(fileNames(in: directory) == ["data.csv"])

            // An existing output survives a failed export untouched.
            try "old".write(toFile: onnx, atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try CommandLine.run(["export", directory + "/missing.safetensors", "--onnx", onnx]),
                                             mentioning: "missing.safetensors", "no such file", status: 1)
            #expect(try String(contentsOfFile: onnx, encoding: .utf8) == "old")

            // A valid model, to bad outputs.
            let model = directory + "/model.safetensors"
            try Self.csvText(Self.csvRows(count: 30, seed: 4)).write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
            let train = try CommandLine.run(["train", "--csv", directory + "/train.csv", "--test-csv", directory + "/train.csv",
                                             "--hidden", "4", "--epochs", "1", "--out", model])
            try #require(train.status == 0, "\(train.standardError)")
            let files = fileNames(in: directory)
            BadInputTests.expectOneLineError(try CommandLine.run(["export", model, "--onnx", directory]),
                                             mentioning: "is a directory", status: 1)
            BadInputTests.expectOneLineError(try CommandLine.run(["export", model, "--onnx", csv + "/model.onnx"]),
                                             mentioning: "cannot write", status: 1)
            let modelBytes = try Data(contentsOf: URL(fileURLWithPath: model))
            BadInputTests.expectOneLineError(try CommandLine.run(["export", model, "--onnx", model]),
                                             mentioning: "model file itself", status: 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == modelBytes)
            #expect(fileNames(in: directory) == files)
            BadInputTests.expectOneLineError(try CommandLine.run(["export", model]), mentioning: "--onnx",
                                             status: BadInputTests.usageErrorStatus)
        }
    }

    /// Runs the graph on the raw pixels and prints `label,p0,p1,…` per row, as `mlp predict` does.
    static let runScript = #"""
    import sys, numpy as np, onnx, onnxruntime as ort
    path, inputs, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    onnx.checker.check_model(onnx.load(path), full_check=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.fromfile(inputs, dtype="<f4").reshape(rows, -1)
    probabilities, labels = session.run(["probabilities", "label"], {"input": x})
    for label, row in zip(labels, probabilities):
        print(",".join([str(int(label))] + [repr(float(p)) for p in row]))
    """#
}
