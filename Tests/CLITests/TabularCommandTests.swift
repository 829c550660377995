import Foundation
import Testing
import TestSupport

/// `mlp train`, `predict`, `evaluate` and `inspect` on tables the tests write: CSV with a header
/// row and NPY arrays, for every task, and the bad inputs of each, one clear line apiece.
@Suite("tables: every task from the command line")
struct TabularCommandTests {
    /// The bytes of a version-1 `.npy` file of `descr` with `shape`, holding `payload`.
    static func npy(descr: String = "<f8", fortran: Bool = false, shape: [Int], payload: [UInt8]) -> [UInt8] {
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(dimensions), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = UInt16(header.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + payload
    }

    /// A float64 `.npy` file of `values` with `shape`.
    static func writeNPY(_ path: String, _ values: [Double], shape: [Int]) throws {
        var payload = [UInt8]()
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { payload += $0 } }
        try Data(npy(shape: shape, payload: payload)).write(to: URL(fileURLWithPath: path))
    }

    /// Two noisy clusters of points in 3 columns with text labels, as CSV with a header.
    static func clusters(rows: Int, seed: UInt64) -> String {
        var generator = SplitMix(seed: seed)
        var text = "width,height,label,depth\n"
        for row in 0..<rows {
            let positive = row % 2 == 0
            let center: Double = positive ? 2 : -2
            let values = (0..<3).map { _ in center + generator.normal() }
            // Different units per column, so standardisation matters.
            text += "\(values[0] * 100 + 500),\(values[1] * 0.01),\(positive ? "yes" : "no"),\(values[2])\n"
        }
        return text
    }

    @Test("a CSV table with text labels: train standardizes, predict finds columns by name, evaluate and inspect agree")
    func classifierOnATable() throws {
        try withTemporaryDirectory("table") { directory in
            try Self.clusters(rows: 200, seed: 1).write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
            try Self.clusters(rows: 60, seed: 2).write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
            let model = directory + "/model.safetensors"
            let train = try CommandLine.run(["train", "--csv", directory + "/train.csv", "--test-csv", directory + "/test.csv",
                                             "--target", "label", "--standardize", "--hidden", "8", "--epochs", "30",
                                             "--batch-size", "16", "--threads", "1", "--out", model])
            #expect(train.status == 0, "\(train.standardError)")
            #expect(train.standardOutput.contains("3-8-2 "))
            #expect(train.standardOutput.contains("Test accuracy: 100.00% on 60 rows"), "\(train.standardOutput)")

            // The columns in another order, with the label dropped and an extra column: the same
            // predictions, since the model picks its features by name.
            let lines = try String(contentsOfFile: directory + "/test.csv", encoding: .utf8).split(separator: "\n")
            let reordered = lines.map { line -> String in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return [cells[3], "extra", cells[1], cells[0]].joined(separator: ",")
            }.joined(separator: "\n")
            try reordered.write(toFile: directory + "/reordered.csv", atomically: true, encoding: .utf8)
            let predict = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/test.csv", "--probabilities"])
            let again = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/reordered.csv", "--probabilities"])
            #expect(predict.status == 0 && again.status == 0, "\(predict.standardError) \(again.standardError)")
            #expect(predict.standardOutput == again.standardOutput)
            let predicted = predict.standardOutput.split(separator: "\n").map { $0.split(separator: ",")[0] }
            let expected = lines.dropFirst().map { $0.split(separator: ",")[2] }
            #expect(predicted == Array(expected))
            for line in predict.standardOutput.split(separator: "\n") {
                let probabilities = line.split(separator: ",").dropFirst().compactMap { Double($0) }
                #expect(probabilities.count == 2 && abs(probabilities.reduce(0, +) - 1) < 1e-6)
            }

            let evaluate = try CommandLine.run(["evaluate", "--model", model, "--csv", directory + "/test.csv"])
            #expect(evaluate.status == 0, "\(evaluate.standardError)")
            for fragment in ["Accuracy       100.00%", "Macro F1       1.0000", "ROC-AUC        1.0000"] {
                #expect(evaluate.standardOutput.contains(fragment), "\(evaluate.standardOutput)")
            }
            let inspect = try CommandLine.run(["inspect", model])
            #expect(inspect.status == 0, "\(inspect.standardError)")
            for fragment in ["a classifier", "3-8-2", "per feature (3 features)", "width, height, depth", "Targets          label",
                             "Classes          2: 0 no, 1 yes", "BLAS"] {
                #expect(inspect.standardOutput.contains(fragment), "\(fragment): \(inspect.standardOutput)")
            }
        }
    }

    @Test("NPY arrays: a two-target regressor's evaluate scores equal those computed from its predictions")
    func regressorOnArrays() throws {
        try withTemporaryDirectory("regress") { directory in
            var generator = SplitMix(seed: 3)
            func make(_ rows: Int, _ name: String) throws -> (x: [Double], y: [Double]) {
                var x = [Double](), y = [Double]()
                for _ in 0..<rows {
                    let a = generator.normal(), b = generator.normal()
                    x += [a, b * 10]
                    y += [3 * a - 0.2 * b * 10 + 1, a * b]
                }
                try Self.writeNPY(directory + "/\(name)_x.npy", x, shape: [rows, 2])
                try Self.writeNPY(directory + "/\(name)_y.npy", y, shape: [rows, 2])
                return (x, y)
            }
            _ = try make(300, "train")
            let test = try make(80, "test")
            let model = directory + "/regressor.safetensors"
            let train = try CommandLine.run(["train", "--task", "regress", "--features", directory + "/train_x.npy",
                                             "--targets", directory + "/train_y.npy", "--test-features", directory + "/test_x.npy",
                                             "--test-targets", directory + "/test_y.npy", "--standardize", "--hidden", "32",
                                             "--epochs", "60", "--learning-rate", "0.01", "--batch-size", "32", "--out", model])
            #expect(train.status == 0, "\(train.standardError)")
            #expect(train.standardOutput.contains("Test R²"))
            let predict = try CommandLine.run(["predict", "--model", model, "--features", directory + "/test_x.npy"])
            #expect(predict.status == 0, "\(predict.standardError)")
            let rows = predict.standardOutput.split(separator: "\n").map { $0.split(separator: ",").compactMap { Double($0) } }
            #expect(rows.count == 80 && rows.allSatisfy { $0.count == 2 })
            // R², RMSE and MAE per column, in closed form from the printed predictions.
            var rSquared = [Double](), rmse = [Double](), mae = [Double]()
            for column in 0..<2 {
                let truth = (0..<80).map { test.y[$0 * 2 + column] }, guess = rows.map { $0[column] }
                let mean = truth.reduce(0, +) / 80
                let residual = zip(truth, guess).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                let spread = truth.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
                rSquared.append(1 - residual / spread)
                rmse.append((residual / 80).squareRoot())
                mae.append(zip(truth, guess).map { abs($0 - $1) }.reduce(0, +) / 80)
            }
            #expect(rSquared[0] > 0.95, "\(rSquared)")
            let evaluate = try CommandLine.run(["evaluate", "--model", model, "--features", directory + "/test_x.npy",
                                                "--targets", directory + "/test_y.npy"])
            #expect(evaluate.status == 0, "\(evaluate.standardError)")
            func printed(_ label: String) -> Double? {
                evaluate.standardOutput.split(separator: "\n").first { $0.hasPrefix(label + " ") }
                    .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).last }.flatMap { Double($0) }
            }
            #expect(printed("R²").map { abs($0 - (rSquared[0] + rSquared[1]) / 2) < 1e-4 } == true, "\(evaluate.standardOutput)")
            #expect(printed("RMSE").map { abs($0 - (rmse[0] + rmse[1]) / 2) / $0 < 1e-4 } == true, "\(evaluate.standardOutput)")
            #expect(printed("MAE").map { abs($0 - (mae[0] + mae[1]) / 2) / $0 < 1e-4 } == true, "\(evaluate.standardOutput)")
        }
    }

    @Test("an autoencoder on a table: --code-size sets the bottleneck, predict --codes writes it")
    func autoencoderOnATable() throws {
        try withTemporaryDirectory("autoencode") { directory in
            try Self.clusters(rows: 120, seed: 4).write(toFile: directory + "/data.csv", atomically: true, encoding: .utf8)
            let model = directory + "/autoencoder.safetensors"
            let train = try CommandLine.run(["train", "--task", "autoencode", "--csv", directory + "/data.csv",
                                             "--feature-columns", "width,height,depth", "--standardize", "--hidden", "6",
                                             "--code-size", "2", "--epochs", "20", "--out", model])
            #expect(train.status == 0, "\(train.standardError)")
            #expect(train.standardOutput.contains("3-6-2-6-3 "), "\(train.standardOutput)")
            #expect(train.standardOutput.contains("on 24 rows (code size 2)"), "\(train.standardOutput)")
            let codes = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/data.csv", "--codes"])
            let reconstruction = try CommandLine.run(["predict", "--model", model, "--csv", directory + "/data.csv"])
            #expect(codes.status == 0 && reconstruction.status == 0, "\(codes.standardError) \(reconstruction.standardError)")
            #expect(codes.standardOutput.split(separator: "\n").allSatisfy { $0.split(separator: ",").count == 2 })
            #expect(reconstruction.standardOutput.split(separator: "\n").count == 120)
            #expect(reconstruction.standardOutput.split(separator: "\n").allSatisfy { $0.split(separator: ",").count == 3 })
        }
    }

    @Test("bad tables are one clear line each, and the model file is never clobbered")
    func badTables() throws {
        try withTemporaryDirectory("bad-table") { directory in
            let good = directory + "/good.csv"
            try Self.clusters(rows: 40, seed: 5).write(toFile: good, atomically: true, encoding: .utf8)
            let out = directory + "/kept.safetensors"
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
            func train(_ arguments: [String]) throws -> CommandLine.Outcome {
                try CommandLine.run(["train", "--hidden", "4", "--epochs", "1", "--out", out] + arguments)
            }
            // A missing cell, a non-numeric cell, a column that does not exist.
            try "a,b,y\n1,2,x\n3,,y\n".write(toFile: directory + "/missing.csv", atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try train(["--csv", directory + "/missing.csv", "--target", "y"]),
                                             mentioning: "missing.csv:3: column 2 (b): the cell is empty")
            try "a,b,y\n1,2,x\n3,abc,y\n".write(toFile: directory + "/text.csv", atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try train(["--csv", directory + "/text.csv", "--target", "y"]),
                                             mentioning: "text.csv:3: column 2 (b): \"abc\" is not a finite number")
            BadInputTests.expectOneLineError(try train(["--csv", good, "--target", "price"]),
                                             mentioning: "no column named \"price\"", "width, height, label, depth")
            // A NaN sample weight, in a column and in an NPY file.
            try "a,b,w,y\n1,2,1,x\n3,4,nan,y\n5,6,1,x\n".write(toFile: directory + "/weights.csv", atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try train(["--csv", directory + "/weights.csv", "--target", "y", "--sample-weight", "w"]),
                                             mentioning: "weights.csv:3: column 3 (w)")
            try Self.writeNPY(directory + "/w.npy", (0..<40).map { $0 == 7 ? .nan : 1 }, shape: [40])
            BadInputTests.expectOneLineError(try train(["--csv", good, "--target", "label", "--sample-weight", directory + "/w.npy"]),
                                             mentioning: "the weight of row 8 is nan")
            // NPY headers that are wrong: not NPY, Fortran order, a size the file does not hold.
            try Data("not an array at all".utf8).write(to: URL(fileURLWithPath: directory + "/junk.npy"))
            BadInputTests.expectOneLineError(try train(["--task", "autoencode", "--features", directory + "/junk.npy"]),
                                             mentioning: "junk.npy", "not a NumPy .npy file")
            let doubles = [UInt8](repeating: 0, count: 48)
            try Data(Self.npy(fortran: true, shape: [3, 2], payload: doubles)).write(to: URL(fileURLWithPath: directory + "/fortran.npy"))
            BadInputTests.expectOneLineError(try train(["--task", "autoencode", "--features", directory + "/fortran.npy"]),
                                             mentioning: "Fortran order")
            try Data(Self.npy(shape: [1_000_000_000, 1_000_000_000], payload: doubles))
                .write(to: URL(fileURLWithPath: directory + "/huge.npy"))
            BadInputTests.expectOneLineError(try train(["--task", "autoencode", "--features", directory + "/huge.npy"]),
                                             mentioning: "huge.npy", "the file holds 48")
            try Data(Self.npy(descr: "<c8", shape: [3, 2], payload: doubles)).write(to: URL(fileURLWithPath: directory + "/complex.npy"))
            BadInputTests.expectOneLineError(try train(["--task", "autoencode", "--features", directory + "/complex.npy"]),
                                             mentioning: "dtype '<c8' is not supported")
            // Features and targets of different lengths; a NaN feature.
            try Self.writeNPY(directory + "/x.npy", (0..<12).map(Double.init), shape: [6, 2])
            try Self.writeNPY(directory + "/y.npy", (0..<5).map(Double.init), shape: [5])
            BadInputTests.expectOneLineError(try train(["--task", "regress", "--features", directory + "/x.npy", "--targets", directory + "/y.npy"]),
                                             mentioning: "holds 5 rows", "6")
            try Self.writeNPY(directory + "/nan.npy", (0..<12).map { $0 == 5 ? .nan : Double($0) }, shape: [6, 2])
            BadInputTests.expectOneLineError(try train(["--task", "autoencode", "--features", directory + "/nan.npy"]),
                                             mentioning: "feature 2 of row 3 is not a finite number")
            // A class-weight file naming a class the data lacks.
            try "maybe,2\n".write(toFile: directory + "/classes.csv", atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try train(["--csv", good, "--target", "label", "--class-weight", directory + "/classes.csv"]),
                                             mentioning: "'maybe' is not one of the training classes")
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")

            // Predicting from a table that lacks one of the model's columns.
            let model = directory + "/model.safetensors"
            let trained = try CommandLine.run(["train", "--csv", good, "--target", "label", "--hidden", "4", "--epochs", "1", "--out", model])
            #expect(trained.status == 0, "\(trained.standardError)")
            try "width,label,depth\n1,yes,2\n".write(toFile: directory + "/narrow.csv", atomically: true, encoding: .utf8)
            BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", model, "--csv", directory + "/narrow.csv"]),
                                             mentioning: "no column named \"height\"")
            BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", model, "--features", directory + "/x.npy"]),
                                             mentioning: "expects 3 features per row, the input has 2")
            BadInputTests.expectOneLineError(try CommandLine.run(["predict", "--model", model, "--csv", good, "--codes"]),
                                             mentioning: "--codes is for autoencoders")
            BadInputTests.expectOneLineError(try CommandLine.run(["inspect", good]), mentioning: "good.csv")
        }
    }
}

/// A small deterministic generator for test data (SplitMix64, Box–Muller normals).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
