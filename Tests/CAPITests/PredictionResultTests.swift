import CMLP
import Foundation
import LinearAlgebra
@testable import MLPCAPI
import MLPCore
import NeuralNetwork
import Testing
import TestSupport

/// What the prediction functions return: classes sorted whatever order the labels or the model
/// file had, the probabilities' columns in that order, no NaN or infinity ever, and nothing
/// written on an error.
@Suite struct PredictionResultTests {
    /// Three blobs on a line, labelled 9, 2, 5 in that order of first appearance.
    static let threeClasses: (x: [Float], labels: [Int32]) = {
        var generator = SeededGenerator(seed: 11)
        var x = [Float]()
        var labels = [Int32]()
        for row in 0..<90 {
            let (label, center): (Int32, Float) = [(9, 30), (2, 128), (5, 220)][row % 3]
            x += [center + Float.random(in: -15...15, using: &generator), Float.random(in: 0...255, using: &generator)]
            labels.append(label)
        }
        return (x, labels)
    }()

    @Test func classesTrainedFromUnsortedLabelsComeSorted() {
        let (x, labels) = Self.threeClasses
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.max_epochs = 60
        options.learning_rate = 0.01
        options.threads = 1
        var model: OpaquePointer?
        #expect(mlpTrainClassifier(x, labels, 90, 2, &options, &model) == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(model) }
        var classes = [Int32](repeating: 0, count: 3)
        #expect(mlpModelClasses(model, &classes, 3) == MLP_OK)
        #expect(classes == [2, 5, 9])
        var probabilities = [Float](repeating: 0, count: 270)
        var predicted = [Int32](repeating: 0, count: 90)
        #expect(mlpModelPredictProba(model, x, 90, 2, &probabilities, 270) == MLP_OK)
        #expect(mlpModelPredict(model, x, 90, 2, &predicted, 90) == MLP_OK)
        for row in 0..<90 {
            let slice = probabilities[(3 * row)..<(3 * row + 3)]
            #expect(predicted[row] == classes[slice.indices.max { slice[$0] < slice[$1] }! - 3 * row])
        }
        let accuracy = zip(predicted, labels).filter { $0 == $1 }.count
        #expect(accuracy >= 80, "\(accuracy) of 90")
    }

    /// A classifier whose classes are not sorted (as a hand-made model file could hold them):
    /// the C API sorts them and moves the probability columns with them.
    @Test func unsortedClassesOfAModelAreSortedWithTheirColumns() throws {
        var generator = SeededGenerator(seed: 4)
        let network = Network(layerSizes: [2, 5, 3], hiddenActivation: .tanh, loss: .softmaxCrossEntropy,
                              using: &generator)
        var classifier = MLPClassifier(network: network, classes: [9, 2, 5])
        classifier.inputScaling = .none
        let model = try HandleTable.shared.register(ModelHandle(classifier), as: .model)
        defer { _ = mlpModelFree(model) }
        var classes = [Int32](repeating: 0, count: 3)
        #expect(mlpModelClasses(model, &classes, 3) == MLP_OK)
        #expect(classes == [2, 5, 9])

        let x: [Float] = (0..<40).map { Float($0 % 9) / 4 - 1 }
        var probabilities = [Float](repeating: 0, count: 60)
        #expect(mlpModelPredictProba(model, x, 20, 2, &probabilities, 60) == MLP_OK)
        let swift = classifier.predictProbabilities(Matrix(rows: 20, columns: 2, elements: x))
        // Sorted position j is label [2, 5, 9][j], the network's column [1, 2, 0][j].
        for row in 0..<20 {
            #expect(bits([swift[row, 1], swift[row, 2], swift[row, 0]]) == bits(probabilities[(3 * row)..<(3 * row + 3)]))
        }
        var predicted = [Int32](repeating: 0, count: 20)
        #expect(mlpModelPredict(model, x, 20, 2, &predicted, 20) == MLP_OK)
        #expect(predicted.map(Int.init) == classifier.predict(Matrix(rows: 20, columns: 2, elements: x)))
    }

    @Test func repeatedClassesAreAFormatError() {
        let network = Network(layerSizes: [1, 3], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              parameters: [Float](repeating: 0, count: 6))
        let error = #expect(throws: CAPIError.self) { _ = try ModelHandle(MLPClassifier(network: network, classes: [4, 1, 4])) }
        #expect(error?.status == MLP_ERROR_FORMAT)
        #expect(error?.message == "the class label 4 appears twice")
    }

    /// A model whose layer is [3e38, 3e38] with bias 3e38: finite, but an input of 1 overflows
    /// its logits to infinity (probabilities NaN). Sample 9000 (in the second block of 8192
    /// rows) is the first such input.
    @Test func nonFiniteOutputsAreAnErrorAndWriteNothing() throws {
        let network = Network(layerSizes: [1, 2], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              parameters: [3e38, 3e38, 3e38, 3e38])
        var classifier = MLPClassifier(network: network, classes: [0, 1],
                                       configuration: TrainingConfiguration(hiddenLayerSizes: []))
        classifier.inputScaling = .none
        try withTemporaryDirectory("capi-nonfinite") { directory in
            let path = directory + "/huge.safetensors"
            try classifier.save(to: path)
            var model: OpaquePointer?
            #expect(mlpModelLoad(path, &model) == MLP_OK, "\(lastError())")
            defer { _ = mlpModelFree(model) }
            let rows = 9100
            var x = [Float](repeating: 0, count: rows)
            var probabilities = [Float](repeating: -7, count: rows * 2)
            #expect(mlpModelPredictProba(model, x, rows, 1, &probabilities, rows * 2) == MLP_OK)
            #expect(probabilities.allSatisfy { $0 == 0.5 })

            x[9000] = 1
            x[9050] = 1
            probabilities = [Float](repeating: -7, count: rows * 2)
            #expect(mlpModelPredictProba(model, x, rows, 1, &probabilities, rows * 2) == MLP_ERROR_FORMAT)
            #expect(lastError() == "mlp_model_predict_proba: the model's output for sample 9000 is not finite (its weights overflow on that input); no result was written")
            #expect(probabilities.allSatisfy { $0 == -7 })
            var predicted = [Int32](repeating: -7, count: rows)
            #expect(mlpModelPredict(model, x, rows, 1, &predicted, rows) == MLP_ERROR_FORMAT)
            #expect(lastError().contains("sample 9000"))
            #expect(predicted.allSatisfy { $0 == -7 })
        }
    }

    /// Inputs that are finite but whose scaled features are not (`x * 2` of 3e38).
    @Test func scaledInputsMustBeFinite() throws {
        let network = Network(layerSizes: [2, 2], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              parameters: [1, 0, 0, 1, 0, 0])
        var classifier = MLPClassifier(network: network, classes: [0, 1])
        classifier.inputScaling = InputScaling(scale: 2)
        let model = try HandleTable.shared.register(ModelHandle(classifier), as: .model)
        defer { _ = mlpModelFree(model) }
        var out = [Float](repeating: -7, count: 4)
        #expect(mlpModelPredictProba(model, [1, 2, 3e38, 4], 2, 2, &out, 4) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_model_predict_proba: x[2] (row 1, column 0) is 3e+38, and its feature x * 2.0 is inf, not a finite number")
        #expect(out == [-7, -7, -7, -7])

        let labels: [Int32] = [0, 1]
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.input_scale = 2
        var trained: OpaquePointer?
        #expect(mlpTrainClassifier([1, 2, 3e38, 4], labels, 2, 2, &options, &trained) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("x[2] (row 1, column 0) is 3e+38, and its feature"))
        for (field, value) in [("learning_rate", Double.infinity), ("alpha", .nan)] {
            var bad = options
            bad.input_scale = 1
            if field == "alpha" { bad.alpha = value } else { bad.learning_rate = value }
            #expect(mlpTrainClassifier([1, 2, 3, 4], labels, 2, 2, &bad, &trained) == MLP_ERROR_INVALID_ARGUMENT, "\(field)")
        }
        #expect(trained == nil)
    }

    /// The output buffer may be the input buffer: the whole result is computed before it is
    /// written.
    @Test func predictionsInPlace() throws {
        var generator = SeededGenerator(seed: 5)
        let network = Network(layerSizes: [2, 4, 2], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              using: &generator)
        var classifier = MLPClassifier(network: network, classes: [3, 8])
        classifier.inputScaling = .none
        let model = try HandleTable.shared.register(ModelHandle(classifier), as: .model)
        defer { _ = mlpModelFree(model) }
        let x: [Float] = (0..<64).map { Float($0 % 11) / 5 - 1 }
        var separate = [Float](repeating: 0, count: 64)
        #expect(mlpModelPredictProba(model, x, 32, 2, &separate, 64) == MLP_OK)
        var buffer = x
        let status = buffer.withUnsafeMutableBufferPointer { mlpModelPredictProba(model, $0.baseAddress, 32, 2, $0.baseAddress, 64) }
        #expect(status == MLP_OK)
        #expect(bits(buffer) == bits(separate))

        var labels = [Int32](repeating: 0, count: 32)
        #expect(mlpModelPredict(model, x, 32, 2, &labels, 32) == MLP_OK)
        buffer = x
        let inPlace = buffer.withUnsafeMutableBytes { raw in
            mlpModelPredict(model, raw.bindMemory(to: Float.self).baseAddress, 32, 2,
                            raw.bindMemory(to: Int32.self).baseAddress, 32)
        }
        #expect(inPlace == MLP_OK)
        #expect(buffer.prefix(32).map(\.bitPattern).map { Int32(bitPattern: $0) } == labels)
    }
}
