import Foundation
import LinearAlgebra
import MLPCore
import ModelExport
import NeuralNetwork
import Testing
import TestSupport

/// Exported graphs checked by `onnx.checker` and run by onnxruntime on 1,000 inputs, against the
/// library's own predictions.
@Suite("ONNX export against onnxruntime")
struct ONNXExportTests {
    /// The largest absolute difference allowed between onnxruntime's outputs and ours.
    static let tolerance: Float = 1e-5
    static let sampleCount = 1_000

    /// `count × width` raw values from `values`, seeded.
    static func rawInputs(count: Int, width: Int, seed: UInt64, _ values: (inout SeededGenerator) -> Float) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: count, columns: width, elements: (0..<(count * width)).map { _ in values(&generator) })
    }

    /// The features the network sees: `raw × scale + offset`, feature by feature, as the dataset
    /// readers compute them.
    static func scaled(_ raw: Matrix, by scaling: InputScaling) -> Matrix {
        let (scales, offsets) = scaling.affine(featureCount: raw.columns)
        return Matrix(rows: raw.rows, columns: raw.columns) { row, column in raw[row, column] * scales[column] + offsets[column] }
    }

    static func configuration(hidden: [Int], activation: Activation, epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = hidden
        configuration.activation = activation
        configuration.maxEpochs = epochs
        configuration.batchSize = 50
        configuration.learningRateInit = 0.01
        configuration.seed = 7
        configuration.threads = 1
        return configuration
    }

    @Test("a classifier's probabilities and labels", arguments: [
        (Activation.relu, InputScaling.unitInterval),
        (Activation.leakyReLU(slope: 0.2), InputScaling(scale: 0.02, offset: -1.5)),
        (Activation.sigmoid, InputScaling.none),
    ])
    func classifier(activation: Activation, scaling: InputScaling) throws {
        let width = 20
        let raw = Self.rawInputs(count: Self.sampleCount, width: width, seed: 11) { Float(UInt8.random(in: 0...255, using: &$0)) }
        // Three classes, not 0…2, from three fixed projections: the graph must map indices to labels.
        let labels = (0..<Self.sampleCount).map { row -> Int in
            let scores = (0..<3).map { kind in (0..<width).reduce(Float(0)) { $0 + raw[row, $1] * Float(($1 * 7 + kind * 5) % 11) - 5 * raw[row, $1] } }
            return [2, 5, 9][scores.firstIndex(of: scores.max()!)!]
        }
        try #require(Set(labels).count == 3)
        var model = MLPClassifier(configuration: Self.configuration(hidden: [16, 8], activation: activation, epochs: 15))
        model.inputScaling = scaling
        let features = Self.scaled(raw, by: scaling)
        try model.fit(features, labels: labels)
        model.classNames = ["two", "five", "nine"]

        let result = try Self.runThroughONNX(.classifier(model), raw: raw)
        let probabilities = model.predictProbabilities(features)
        let difference = Self.maximumDifference(result.floats["probabilities"], probabilities)
        print("ONNX classifier (\(activation), \(scaling)): max |onnxruntime − ours| = \(difference)")
        #expect(difference <= Self.tolerance)
        #expect(result.integers["label"] == model.predict(features).map(Int64.init))
        #expect(result.metadata["model_kind"] == "classifier")
        #expect(result.metadata["classes"] == "[2,5,9]")
        #expect(result.metadata["class_names"] == #"["two","five","nine"]"#)
        #expect(result.metadata["input_scaling"] == scaling.description)
        #expect(result.operators.filter { $0 == "Gemm" }.count == 3)
        let (scales, offsets) = scaling.affine(featureCount: width)
        #expect(result.operators.contains("Mul") == scales.contains { $0 != 1 })
        #expect(result.operators.contains("Add") == offsets.contains { $0 != 0 })
    }

    @Test("a regressor of two outputs")
    func regressor() throws {
        let raw = Self.rawInputs(count: Self.sampleCount, width: 6, seed: 12) { Float.random(in: -2...2, using: &$0) }
        let targets = Matrix(rows: Self.sampleCount, columns: 2) { row, column in
            column == 0 ? sin(raw[row, 0]) + 0.5 * raw[row, 1] : raw[row, 2] * raw[row, 3] - raw[row, 4]
        }
        var model = MLPRegressor(configuration: Self.configuration(hidden: [24, 12], activation: .tanh, epochs: 20))
        try model.fit(Self.scaled(raw, by: model.inputScaling), targets: targets)

        let result = try Self.runThroughONNX(.regressor(model), raw: raw)
        let difference = Self.maximumDifference(result.floats["predictions"], model.predict(Self.scaled(raw, by: model.inputScaling)))
        print("ONNX regressor (tanh, \(model.inputScaling)): max |onnxruntime − ours| = \(difference)")
        #expect(difference <= Self.tolerance)
        #expect(result.metadata["model_kind"] == "regressor")
        #expect(!result.operators.contains("Mul") && !result.operators.contains("Softmax"))
    }

    @Test("an autoencoder's reconstruction")
    func autoencoder() throws {
        let raw = Self.rawInputs(count: Self.sampleCount, width: 16, seed: 13) { Float(UInt8.random(in: 0...255, using: &$0)) }
        var model = Autoencoder(configuration: Self.configuration(hidden: [8, 3, 8], activation: .sigmoid, epochs: 10))
        let features = Self.scaled(raw, by: model.inputScaling)
        try model.fit(features)

        let result = try Self.runThroughONNX(.autoencoder(model), raw: raw)
        let difference = Self.maximumDifference(result.floats["reconstruction"], model.reconstruct(features))
        print("ONNX autoencoder (sigmoid, \(model.inputScaling)): max |onnxruntime − ours| = \(difference)")
        #expect(difference <= Self.tolerance)
        #expect(result.metadata["model_kind"] == "autoencoder")
        #expect(result.producer == "swift-mlp test")
        #expect(result.metadata["input_scaling"] == "x / 255")
    }

    @Test("an unfitted model, an activation with no operator, and the model file as output are refused")
    func refusals() throws {
        let exporter = ONNXExporter(producerVersion: "test")
        #expect(throws: ONNXExportError.notFitted(.regressor)) { try exporter.serialized(.regressor(MLPRegressor())) }
        let network = Network(layerSizes: [2, 3, 1], hiddenActivation: .leakyReLU(slope: .nan), loss: .meanSquaredError,
                              parameters: [Float](repeating: 0.5, count: 13))
        #expect(throws: ONNXExportError.unsupportedActivation("leaky-relu(nan)")) {
            try exporter.serialized(.regressor(MLPRegressor(network: network)))
        }
        try withTemporaryDirectory("onnx-refusals") { directory in
            let modelPath = directory + "/model.safetensors"
            let good = Network(layerSizes: [2, 3, 1], hiddenActivation: .relu, loss: .meanSquaredError,
                               parameters: [Float](repeating: 0.5, count: 13))
            try MLPRegressor(network: good, configuration: Self.configuration(hidden: [3], activation: .relu, epochs: 1))
                .save(to: modelPath)
            let before = try Data(contentsOf: URL(fileURLWithPath: modelPath))
            #expect(throws: ONNXExportError.outputIsInput(modelPath)) { try exporter.export(modelFile: modelPath, to: modelPath) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: modelPath)) == before)
            // A directory as output: refused, and nothing is left beside it.
            #expect(throws: ONNXExportError.self) { try exporter.export(modelFile: modelPath, to: directory) }
            #expect(fileNames(in: directory) == ["model.safetensors"])
            // A file that is not a model.
            try writeBytes(Array("label,pixel\n".utf8), to: directory + "/data.csv")
            #expect(throws: ONNXExportError.self) { try exporter.export(modelFile: directory + "/data.csv", to: directory + "/out.onnx") }
            #expect(!FileManager.default.fileExists(atPath: directory + "/out.onnx"))
        }
    }

    /// What onnxruntime computed, and what the file says about itself.
    struct ONNXResult {
        var floats: [String: [Float]] = [:]
        var integers: [String: [Int64]] = [:]
        var metadata: [String: String] = [:]
        var operators: [String] = []
        var producer = ""
    }

    /// The largest `|ours − theirs|`, or infinity when onnxruntime's output is missing or of another size.
    static func maximumDifference(_ theirs: [Float]?, _ ours: Matrix) -> Float {
        guard let theirs, theirs.count == ours.elements.count else { return .infinity }
        return zip(theirs, ours.elements).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }

    /// Saves `model`, exports the file with ``ONNXExporter/export(modelFile:to:)``, checks the graph
    /// with `onnx.checker.check_model(full_check=True)` and runs it with onnxruntime on `raw`.
    static func runThroughONNX(_ model: SavedModel, raw: Matrix) throws -> ONNXResult {
        let python = try PythonEnvironment.python("onnx", packages: PythonEnvironment.onnxPackages)
        return try withTemporaryDirectory("onnx-export") { directory in
            let modelPath = directory + "/model.safetensors", onnxPath = directory + "/model.onnx"
            try model.model.save(to: modelPath)
            try ONNXExporter(producerVersion: "test").export(modelFile: modelPath, to: onnxPath)
            try writeBytes(raw.elements.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) },
                           to: directory + "/input.bin")
            let summary = try PythonEnvironment.run(python, script: runScript, [onnxPath, directory, String(raw.rows), String(raw.columns)])
            var result = ONNXResult()
            for line in summary.split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
                guard fields.count == 3 else { continue }
                switch fields[0] {
                case "meta": result.metadata[fields[1]] = fields[2]
                case "op": result.operators.append(fields[1])
                case "producer": result.producer = fields[1] + " " + fields[2]
                case "float": result.floats[fields[1]] = try Self.read(directory + "/" + fields[2], as: Float.self)
                case "int64": result.integers[fields[1]] = try Self.read(directory + "/" + fields[2], as: Int64.self)
                default: break
                }
            }
            return result
        }
    }

    static func read<T>(_ path: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    /// Checks the model, runs it, writes each output to `<name>.bin` and prints what it found.
    static let runScript = #"""
    import sys, numpy as np, onnx, onnxruntime as ort
    path, directory, rows, columns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version >= 13, model.opset_import
    assert [i.name for i in model.graph.input] == ["input"]
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    print(f"producer\t{model.producer_name}\t{model.producer_version}")
    for entry in model.metadata_props:
        print(f"meta\t{entry.key}\t{entry.value}")
    for node in model.graph.node:
        print(f"op\t{node.op_type}\t-")
    x = np.fromfile(f"{directory}/input.bin", dtype="<f4").reshape(rows, columns)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    for name, value in zip(names, session.run(None, {"input": x})):
        kind = "int64" if value.dtype == np.int64 else "float"
        value.astype("<i8" if kind == "int64" else "<f4").tofile(f"{directory}/{name}.bin")
        print(f"{kind}\t{name}\t{name}.bin")
    """#
}
