import CMLP
import Foundation
import LinearAlgebra
@testable import MLPCAPI
import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Two well-separated blobs of "pixels" in 0…255: class 3 near 40, class 7 near 210.
private func blobs(rows: Int, cols: Int, seed: UInt64) -> (x: [Float], labels: [Int32]) {
    var generator = SeededGenerator(seed: seed)
    var x = [Float]()
    var labels = [Int32]()
    for row in 0..<rows {
        let label: Int32 = row % 2 == 0 ? 3 : 7
        let center: Float = label == 3 ? 40 : 210
        for _ in 0..<cols { x.append(center + Float.random(in: -30...30, using: &generator)) }
        labels.append(label)
    }
    return (x, labels)
}


private func trainTiny(_ x: [Float], _ labels: [Int32], rows: Int, cols: Int) -> OpaquePointer? {
    var options = mlp_train_options()
    #expect(mlp_train_options_init(&options) == MLP_OK)
    let hidden = [8]
    var model: OpaquePointer?
    let status = hidden.withUnsafeBufferPointer { sizes in
        options.hidden_layer_sizes = sizes.baseAddress
        options.hidden_layer_count = 1
        options.max_epochs = 30
        options.batch_size = 16
        options.learning_rate = 0.01
        options.seed = 3
        options.threads = 1
        return mlpTrainClassifier(x, labels, rows, cols, &options, &model)
    }
    #expect(status == MLP_OK, "\(lastError())")
    return model
}

@Suite struct ModelExportTests {
    @Test func trainSaveLoadAndPredict() throws {
        let (rows, cols) = (64, 5)
        let (x, labels) = blobs(rows: rows, cols: cols, seed: 1)
        let model = trainTiny(x, labels, rows: rows, cols: cols)
        defer { _ = mlpModelFree(model) }

        var inputs = 0, classCount = 0
        #expect(mlpModelInfo(model, &inputs, &classCount) == MLP_OK)
        #expect(inputs == cols && classCount == 2)
        var classes = [Int32](repeating: 0, count: 2)
        #expect(mlpModelClasses(model, &classes, 2) == MLP_OK)
        #expect(classes == [3, 7])

        var predicted = [Int32](repeating: 0, count: rows)
        #expect(mlpModelPredict(model, x, rows, cols, &predicted, rows) == MLP_OK)
        #expect(predicted == labels)
        var probabilities = [Float](repeating: 0, count: rows * 2)
        #expect(mlpModelPredictProba(model, x, rows, cols, &probabilities, rows * 2) == MLP_OK)
        for row in 0..<rows {
            #expect(abs(probabilities[2 * row] + probabilities[2 * row + 1] - 1) < 1e-5)
        }

        // Saved and loaded again, the model predicts the same probabilities, and records the
        // default scaling as `mlp train` does.
        let path = try temporaryFilePath("tiny.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mlpModelSave(model, path) == MLP_OK, "\(lastError())")
        let classifier = try MLPClassifier.load(from: path)
        #expect(classifier.inputScaling == .unitInterval)
        var loaded: OpaquePointer?
        #expect(mlpModelLoad(path, &loaded) == MLP_OK)
        defer { _ = mlpModelFree(loaded) }
        var again = [Float](repeating: 0, count: rows * 2)
        #expect(mlpModelPredictProba(loaded, x, rows, cols, &again, rows * 2) == MLP_OK)
        #expect(again == probabilities)

        // The C API scales raw inputs as the model says: the Swift model sees x / 255.
        let scaled = Matrix(rows: rows, columns: cols, elements: x.map { $0 * (1 / 255 as Float) })
        let swiftProbabilities = classifier.predictProbabilities(scaled)
        #expect(swiftProbabilities.elements == probabilities)
    }

    @Test func sameSeedSameModel() {
        let (x, labels) = blobs(rows: 32, cols: 3, seed: 2)
        let first = trainTiny(x, labels, rows: 32, cols: 3)
        let second = trainTiny(x, labels, rows: 32, cols: 3)
        defer { _ = mlpModelFree(first); _ = mlpModelFree(second) }
        var p1 = [Float](repeating: 0, count: 64), p2 = [Float](repeating: 1, count: 64)
        #expect(mlpModelPredictProba(first, x, 32, 3, &p1, 64) == MLP_OK)
        #expect(mlpModelPredictProba(second, x, 32, 3, &p2, 64) == MLP_OK)
        #expect(p1 == p2)
    }

    @Test func badModelFiles() throws {
        var model: OpaquePointer?
        #expect(mlpModelLoad("/nonexistent/model.safetensors", &model) == MLP_ERROR_IO)
        #expect(lastError().contains("no such file"))
        #expect(model == nil)
        #expect(mlpModelLoad(FileManager.default.temporaryDirectory.path, &model) == MLP_ERROR_IO)

        let garbage = try temporaryFilePath("garbage.safetensors")
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        try Data("this is not a model".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(mlpModelLoad(garbage, &model) == MLP_ERROR_FORMAT)
        #expect(!lastError().isEmpty)
        #expect(mlpModelLoad(nil, &model) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpModelLoad(garbage, nil) == MLP_ERROR_NULL_ARGUMENT)
    }

    @Test func badPredictCalls() throws {
        let (x, labels) = blobs(rows: 16, cols: 4, seed: 3)
        let model = trainTiny(x, labels, rows: 16, cols: 4)
        defer { _ = mlpModelFree(model) }
        var classes = [Int32](repeating: 0, count: 16)
        var probabilities = [Float](repeating: 0, count: 32)

        #expect(mlpModelPredict(nil, x, 16, 4, &classes, 16) == MLP_ERROR_NULL_ARGUMENT)
        #expect(lastError() == "mlp_model_predict: model is NULL")
        #expect(mlpModelPredict(model, x, 16, 3, &classes, 16) == MLP_ERROR_SHAPE)
        #expect(lastError().contains("expects 4 input features"))
        #expect(mlpModelPredict(model, x, 16, 4, &classes, 15) == MLP_ERROR_SHAPE)
        #expect(mlpModelPredictProba(model, x, 16, 4, &probabilities, 16) == MLP_ERROR_SHAPE)
        #expect(lastError().contains("out_len is 16, expected 32"))
        #expect(mlpModelPredict(model, nil, 16, 4, &classes, 16) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpModelPredict(model, x, 16, 4, nil, 16) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpModelPredict(model, nil, 0, 4, nil, 0) == MLP_OK)
        #expect(mlpModelPredict(model, x, -1, 4, &classes, 16) == MLP_ERROR_INVALID_ARGUMENT)
        var withNaN = x
        withNaN[5] = .nan
        #expect(mlpModelPredict(model, withNaN, 16, 4, &classes, 16) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("row 1, column 1"))
        var two = [Int32](repeating: 0, count: 2)
        #expect(mlpModelClasses(model, &two, 3) == MLP_ERROR_SHAPE)
        // A path below a regular file cannot be written (AtomicFile creates missing directories).
        let file = try temporaryFilePath("plain-file")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(mlpModelSave(model, file + "/model.safetensors") == MLP_ERROR_IO)
        #expect(lastError().contains("cannot write"))
        #expect(mlpModelFree(model) == MLP_OK)
        #expect(mlpModelPredict(model, x, 16, 4, &classes, 16) == MLP_ERROR_INVALID_HANDLE)
        #expect(mlpModelFree(model) == MLP_ERROR_INVALID_HANDLE)
    }

    @Test func badTrainingCalls() {
        let (x, labels) = blobs(rows: 8, cols: 2, seed: 4)
        var model: OpaquePointer?
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        #expect(mlp_train_options_init(nil) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpTrainClassifier(x, labels, 8, 2, nil, nil) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpTrainClassifier(nil, labels, 8, 2, nil, &model) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpTrainClassifier(x, nil, 8, 2, nil, &model) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpTrainClassifier(x, labels, 0, 2, nil, &model) == MLP_ERROR_SHAPE)
        let oneClass = [Int32](repeating: 1, count: 8)
        #expect(mlpTrainClassifier(x, oneClass, 8, 2, nil, &model) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("at least 2 classes"))

        var bad = options
        bad.learning_rate = -1
        #expect(mlpTrainClassifier(x, labels, 8, 2, &bad, &model) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("learningRateInit"))
        bad = options
        bad.activation = StaticCString.pointer("swish-ish")
        #expect(mlpTrainClassifier(x, labels, 8, 2, &bad, &model) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("unknown activation"))
        bad = options
        bad.hidden_layer_count = 2
        #expect(mlpTrainClassifier(x, labels, 8, 2, &bad, &model) == MLP_ERROR_NULL_ARGUMENT)
        let huge = [Int](repeating: 1 << 20, count: 3)
        huge.withUnsafeBufferPointer { sizes in
            bad.hidden_layer_sizes = sizes.baseAddress
            bad.hidden_layer_count = 3
            #expect(mlpTrainClassifier(x, labels, 8, 2, &bad, &model) == MLP_ERROR_OUT_OF_MEMORY)
        }
        bad = options
        bad.input_scale = .infinity
        #expect(mlpTrainClassifier(x, labels, 8, 2, &bad, &model) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(model == nil)
    }

    /// A model trained from C with its own scaling records it in the one typed form that the
    /// Swift models, `mlp predict` and the C API all read, and predicts from raw inputs with it.
    @Test func customInputScalingRoundTrips() throws {
        let (rows, cols) = (64, 5)
        let (x, labels) = blobs(rows: rows, cols: cols, seed: 2)
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.input_scale = 0.5
        options.input_offset = -3
        options.max_epochs = 5
        options.threads = 1
        var model: OpaquePointer?
        #expect(mlpTrainClassifier(x, labels, rows, cols, &options, &model) == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(model) }
        let path = try temporaryFilePath("scaled.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mlpModelSave(model, path) == MLP_OK, "\(lastError())")
        let classifier = try MLPClassifier.load(from: path)
        #expect(classifier.inputScaling == InputScaling(scale: 0.5, offset: -3))
        var probabilities = [Float](repeating: 0, count: rows * 2)
        #expect(mlpModelPredictProba(model, x, rows, cols, &probabilities, rows * 2) == MLP_OK)
        let scaled = Matrix(rows: rows, columns: cols, elements: x.map { $0 * 0.5 - 3 })
        #expect(bits(classifier.predictProbabilities(scaled).elements) == bits(probabilities))

        var zero = options
        zero.input_scale = 0
        var refused: OpaquePointer?
        #expect(mlpTrainClassifier(x, labels, rows, cols, &zero, &refused) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(refused == nil)
    }
}
