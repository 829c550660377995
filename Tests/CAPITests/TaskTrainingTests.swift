import CMLP
import Foundation
import LinearAlgebra
@testable import MLPCAPI
import MLPCore
import NeuralNetwork
import Testing
import TestSupport

/// The tasks added in 2.3.0: regressors and autoencoders trained from C equal the library's,
/// bit for bit with the same configuration, data and threads; per-feature scaling (standardize,
/// explicit scales and offsets) is computed, saved and applied as the library does; functions
/// of one kind refuse the others with one clear error.
@Suite struct TaskTrainingTests {
    static let (rows, cols, targetCount) = (48, 3, 2)

    /// Three columns in very different units (about 1, about 1000, and a constant 7), and two
    /// targets that are linear in them plus noise.
    static let data: (x: [Float], targets: [Float], weights: [Float]) = {
        var generator = SeededGenerator(seed: 21)
        var x = [Float](), targets = [Float](), weights = [Float]()
        for row in 0..<rows {
            let a = Float.random(in: -1...1, using: &generator)
            let b = Float.random(in: 500...1500, using: &generator)
            x += [a, b, 7]
            targets += [2 * a + b / 1000 + Float.random(in: -0.05...0.05, using: &generator), a - 3]
            weights.append(row % 3 == 0 ? 2 : 0.5)
        }
        return (x, targets, weights)
    }()

    /// Small options, the same in every test: 3 epochs of batches of 16 on one thread.
    static func options(hidden: UnsafePointer<Int>, count: Int) -> mlp_train_options {
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.hidden_layer_sizes = hidden
        options.hidden_layer_count = count
        options.max_epochs = 3
        options.batch_size = 16
        options.threads = 1
        options.seed = 5
        options.learning_rate = 0.01
        options.input_scale = 1
        options.input_offset = 0
        return options
    }

    /// The library's configuration for ``options(hidden:count:)``.
    static func configuration(hidden: [Int]) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = hidden
        configuration.maxEpochs = 3
        configuration.batchSize = 16
        configuration.threads = 1
        configuration.seed = 5
        configuration.learningRateInit = 0.01
        return configuration
    }

    /// Trains a regressor through C with `change` applied to the options.
    static func trainRegressor(
        x: [Float] = data.x, targets: [Float]? = data.targets, targetCount: Int = targetCount, weights: [Float]? = nil,
        scales: [Float]? = nil, offsets: [Float]? = nil, _ change: (inout mlp_train_options) -> Void = { _ in }
    ) -> (status: mlp_status, message: String, model: OpaquePointer?) {
        let hidden = [8]
        let scalingCount = scales != nil || offsets != nil ? cols : 0
        var model: OpaquePointer?
        let status = hidden.withUnsafeBufferPointer { hidden in
            weights.withOptionalBuffer { weights in
                scales.withOptionalBuffer { scales in
                    offsets.withOptionalBuffer { offsets in
                        targets.withOptionalBuffer { targets in
                            var options = Self.options(hidden: hidden.baseAddress!, count: 1)
                            options.sample_weights = weights
                            options.input_scales = scales
                            options.input_offsets = offsets
                            options.input_scaling_count = scalingCount
                            change(&options)
                            return mlpTrainRegressor(x, targets, x.count / cols, cols, targetCount, &options, &model)
                        }
                    }
                }
            }
        }
        return (status, lastError(), model)
    }

    static func predictValues(_ model: OpaquePointer?, _ x: [Float] = data.x) -> [Float] {
        var out = [Float](repeating: .nan, count: (x.count / cols) * targetCount)
        let status = out.withUnsafeMutableBufferPointer {
            mlpModelPredictValues(model, x, x.count / cols, cols, $0.baseAddress, $0.count)
        }
        #expect(status == MLP_OK, "\(lastError())")
        return out
    }

    static func handle(_ model: OpaquePointer?) throws -> ModelHandle {
        try HandleTable.shared.model(model, "model")
    }

    // MARK: - Regressor

    @Test func theRegressorEqualsTheLibrarys() throws {
        let (status, message, model) = Self.trainRegressor(weights: Self.data.weights)
        #expect(status == MLP_OK, "\(message)")
        defer { _ = mlpModelFree(model) }

        var regressor = MLPRegressor(configuration: Self.configuration(hidden: [8]))
        let features = Matrix(rows: Self.rows, columns: Self.cols, elements: Self.data.x)
        try regressor.fit(features, targets: Matrix(rows: Self.rows, columns: Self.targetCount, elements: Self.data.targets),
                          sampleWeights: Self.data.weights)
        #expect(bits(try Self.handle(model).network.parameters) == bits(regressor.network!.parameters))
        #expect(bits(Self.predictValues(model)) == bits(regressor.predict(features).elements))

        // The weights matter: unweighted, the model differs.
        let (_, _, unweighted) = Self.trainRegressor()
        defer { _ = mlpModelFree(unweighted) }
        #expect(bits(Self.predictValues(unweighted)) != bits(Self.predictValues(model)))

        var kind = MLP_MODEL_CLASSIFIER
        var inputs = 0, outputs = 0, code = 99
        #expect(mlpModelKindOf(model, &kind) == MLP_OK && kind == MLP_MODEL_REGRESSOR)
        #expect(mlpModelSizes(model, &inputs, &outputs, &code) == MLP_OK)
        #expect(inputs == Self.cols && outputs == Self.targetCount && code == 0)
    }

    @Test func aSavedRegressorLoadsAndPredictsTheSame() throws {
        let (_, _, model) = Self.trainRegressor { $0.standardize = 1 }
        defer { _ = mlpModelFree(model) }
        let path = try temporaryFilePath("regressor.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mlpModelSave(model, path) == MLP_OK, "\(lastError())")
        var loaded: OpaquePointer?
        #expect(mlpModelLoad(path, &loaded) == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(loaded) }
        #expect(bits(Self.predictValues(loaded)) == bits(Self.predictValues(model)))
        let regressor = try MLPRegressor.load(from: path)
        #expect(regressor.inputScaling == (try Self.handle(model).scaling))
        #expect(!regressor.inputScaling.isUniform)
    }

    // MARK: - Standardization

    /// The closed form: mean = Σx / n, σ = √(Σ(x − mean)² / n), column by column.
    static func closedFormScaling(_ x: [Float], cols: Int) -> InputScaling {
        let n = x.count / cols
        var means = [Double](), deviations = [Double]()
        for column in 0..<cols {
            let values = (0..<n).map { Double(x[$0 * cols + column]) }
            let mean = values.reduce(0, +) / Double(n)
            means.append(mean)
            deviations.append((values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot())
        }
        return InputScaling.standardized(means: means, standardDeviations: deviations)
    }

    @Test func standardizeEqualsTheLibrarysStandardScaler() throws {
        let (status, message, model) = Self.trainRegressor { $0.standardize = 1; $0.input_scale = .nan }
        #expect(status == MLP_OK, "\(message) (input_scale is ignored when standardizing)")
        defer { _ = mlpModelFree(model) }
        let expected = Self.closedFormScaling(Self.data.x, cols: Self.cols)
        let scaling = try Self.handle(model).scaling
        let (scales, offsets) = scaling.affine(featureCount: Self.cols)
        let (expectedScales, expectedOffsets) = expected.affine(featureCount: Self.cols)
        for column in 0..<Self.cols {
            #expect(abs(scales[column] - expectedScales[column]) <= 1e-6 * abs(expectedScales[column]))
            #expect(abs(offsets[column] - expectedOffsets[column]) <= 1e-6 * max(1, abs(expectedOffsets[column])))
        }
        // The constant column (7) is only centred: scale 1, offset −7.
        #expect(scales[2] == 1 && offsets[2] == -7)

        // The library's regressor on the closed form's features: the same model, bit for bit.
        var regressor = MLPRegressor(configuration: Self.configuration(hidden: [8]))
        regressor.inputScaling = expected
        var features = Self.data.x
        features.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<Self.rows { expected.apply(to: buffer.baseAddress! + row * Self.cols, count: Self.cols) }
        }
        let matrix = Matrix(rows: Self.rows, columns: Self.cols, elements: features)
        try regressor.fit(matrix, targets: Matrix(rows: Self.rows, columns: Self.targetCount, elements: Self.data.targets))
        #expect(bits(Self.predictValues(model)) == bits(regressor.predict(matrix).elements))

        // The same scaling given explicitly trains the same model.
        let (givenStatus, givenMessage, given) = Self.trainRegressor(scales: scales, offsets: offsets)
        #expect(givenStatus == MLP_OK, "\(givenMessage)")
        defer { _ = mlpModelFree(given) }
        #expect(bits(Self.predictValues(given)) == bits(Self.predictValues(model)))
    }

    @Test func aPerFeatureScalingIsAppliedColumnByColumn() throws {
        let scales: [Float] = [2, 0.001, -1]
        let offsets: [Float] = [0.5, -1, 7]
        let (status, message, model) = Self.trainRegressor(scales: scales, offsets: offsets)
        #expect(status == MLP_OK, "\(message)")
        defer { _ = mlpModelFree(model) }
        let handle = try Self.handle(model)
        #expect(handle.scaling == InputScaling(scales: scales, offsets: offsets))
        var features = [Float]()
        for (index, raw) in Self.data.x.enumerated() {
            let scaled: Float = raw * scales[index % 3]
            features.append(scaled + offsets[index % 3])
        }
        let swift = handle.network.outputs(for: Matrix(rows: Self.rows, columns: Self.cols, elements: features))
        #expect(bits(Self.predictValues(model)) == bits(swift.elements))
    }

    // MARK: - Autoencoder

    @Test func theAutoencoderEqualsTheLibrarys() throws {
        let hidden = [6, 2, 6]
        let x = (0..<Self.rows * 5).map { Float(($0 * 37) % 256) }
        var model: OpaquePointer?
        let status = hidden.withUnsafeBufferPointer { sizes in
            Self.data.weights.withUnsafeBufferPointer { weights in
                var options = Self.options(hidden: sizes.baseAddress!, count: 3)
                options.input_scale = 1.0 / 255
                options.sample_weights = weights.baseAddress
                return mlpTrainAutoencoder(x, Self.rows, 5, &options, &model)
            }
        }
        #expect(status == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(model) }

        var autoencoder = Autoencoder(configuration: Self.configuration(hidden: hidden))
        let features = Matrix(rows: Self.rows, columns: 5, elements: x.map { $0 * (1.0 / 255 as Float) })
        try autoencoder.fit(features, sampleWeights: Self.data.weights)
        #expect(bits(try Self.handle(model).network.parameters) == bits(autoencoder.network!.parameters))

        var kind = MLP_MODEL_CLASSIFIER
        var inputs = 0, outputs = 0, code = 0
        #expect(mlpModelKindOf(model, &kind) == MLP_OK && kind == MLP_MODEL_AUTOENCODER)
        #expect(mlpModelSizes(model, &inputs, &outputs, &code) == MLP_OK)
        #expect(inputs == 5 && outputs == 5 && code == 2)

        var reconstruction = [Float](repeating: .nan, count: Self.rows * 5)
        #expect(mlpModelReconstruct(model, x, Self.rows, 5, &reconstruction, Self.rows * 5) == MLP_OK, "\(lastError())")
        #expect(bits(reconstruction) == bits(autoencoder.reconstruct(features).elements))
        var codes = [Float](repeating: .nan, count: Self.rows * 2)
        #expect(mlpModelCodes(model, x, Self.rows, 5, &codes, Self.rows * 2) == MLP_OK, "\(lastError())")
        #expect(bits(codes) == bits(autoencoder.features(of: features, layer: autoencoder.bottleneckLayer).elements))

        // Saved and loaded: the same codes.
        let path = try temporaryFilePath("autoencoder.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mlpModelSave(model, path) == MLP_OK, "\(lastError())")
        var loaded: OpaquePointer?
        #expect(mlpModelLoad(path, &loaded) == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(loaded) }
        var again = [Float](repeating: .nan, count: Self.rows * 2)
        #expect(mlpModelCodes(loaded, x, Self.rows, 5, &again, Self.rows * 2) == MLP_OK)
        #expect(bits(again) == bits(codes))
    }

    // MARK: - Errors

    @Test func functionsOfOneKindRefuseTheOthers() {
        let (_, _, regressor) = Self.trainRegressor()
        defer { _ = mlpModelFree(regressor) }
        var labels = [Int32](repeating: 0, count: Self.rows)
        var probabilities = [Float](repeating: 0, count: Self.rows * 2)
        var out = [Float](repeating: 0, count: Self.rows * Self.cols)
        var inputs = 0, classes = 0
        #expect(mlpModelPredict(regressor, Self.data.x, Self.rows, Self.cols, &labels, Self.rows) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_model_predict: the model is a regressor, not a classifier (mlp_model_predict_values predicts a regressor's targets)")
        #expect(mlpModelPredictProba(regressor, Self.data.x, Self.rows, Self.cols, &probabilities, Self.rows * 2) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpModelInfo(regressor, &inputs, &classes) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpModelClasses(regressor, &labels, 2) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpModelReconstruct(regressor, Self.data.x, Self.rows, Self.cols, &out, out.count) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_model_reconstruct: the model is a regressor, not an autoencoder (mlp_model_predict_values predicts a regressor's targets)")
        #expect(mlpModelCodes(regressor, Self.data.x, Self.rows, Self.cols, &out, out.count) == MLP_ERROR_INVALID_ARGUMENT)

        let labelsForClassifier = (0..<Self.rows).map { Int32($0 % 2) }
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.max_epochs = 1
        options.threads = 1
        var classifier: OpaquePointer?
        #expect(mlpTrainClassifier(Self.data.x, labelsForClassifier, Self.rows, Self.cols, &options, &classifier) == MLP_OK)
        defer { _ = mlpModelFree(classifier) }
        #expect(mlpModelPredictValues(classifier, Self.data.x, Self.rows, Self.cols, &probabilities, Self.rows * 2) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_model_predict_values: the model is a classifier, not a regressor (mlp_model_predict and mlp_model_predict_proba predict a classifier's classes)")
        var code = 99
        #expect(mlpModelSizes(classifier, &inputs, &classes, &code) == MLP_OK)
        #expect(inputs == Self.cols && classes == 2 && code == 0)
        var kind = MLP_MODEL_AUTOENCODER
        #expect(mlpModelKindOf(classifier, &kind) == MLP_OK && kind == MLP_MODEL_CLASSIFIER)
        #expect(mlpModelKindOf(classifier, nil) == MLP_ERROR_NULL_ARGUMENT && lastError() == "mlp_model_kind_of: kind is NULL")
        #expect(mlpModelKindOf(nil, &kind) == MLP_ERROR_NULL_ARGUMENT)
    }

    @Test func badScalingArgumentsAreOneClearError() {
        struct Case {
            let status: mlp_status
            let message: String
            var scales: [Float]? = [1, 1, 1]
            var offsets: [Float]? = [0, 0, 0]
            var change: (inout mlp_train_options) -> Void = { _ in }
        }
        let prefix = "mlp_train_regressor: "
        var cases = [Case]()
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT, message: prefix + "standardize must be 0 or 1, got 2",
                          scales: nil, offsets: nil, change: { $0.standardize = 2 }))
        cases.append(Case(status: MLP_ERROR_NULL_ARGUMENT, message: prefix + "input_scales (with input_scaling_count 3) is NULL",
                          scales: nil))
        cases.append(Case(status: MLP_ERROR_NULL_ARGUMENT, message: prefix + "input_offsets (with input_scaling_count 3) is NULL",
                          offsets: nil))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT, message: prefix + "input_scales is set but input_scaling_count is 0",
                          change: { $0.input_scaling_count = 0 }))
        cases.append(Case(status: MLP_ERROR_SHAPE,
                          message: prefix + "input_scaling_count is 2, expected cols = 3 (one scale and offset per feature)",
                          change: { $0.input_scaling_count = 2 }))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT, message: prefix + "input_scales[1] is 0.0, not a finite non-zero number",
                          scales: [1, 0, 1]))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT, message: prefix + "input_scales[0] is nan, not a finite non-zero number",
                          scales: [.nan, 1, 1]))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT, message: prefix + "input_offsets[2] is inf, not a finite number",
                          offsets: [0, 0, .infinity]))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT,
                          message: prefix + "standardize and input_scales/input_offsets are exclusive: give one or the other",
                          change: { $0.standardize = 1 }))
        cases.append(Case(status: MLP_ERROR_INVALID_ARGUMENT,
                          message: prefix + "x[4] (row 1, column 1) is 3.4028235e+38, and its feature x * 10.0 + 0.0 is inf, not a finite number",
                          scales: [1, 10, 1]))
        var x = Self.data.x
        x[4] = .greatestFiniteMagnitude
        for test in cases {
            let (status, message, model) = Self.trainRegressor(x: x, scales: test.scales, offsets: test.offsets, test.change)
            #expect(status == test.status, "\(test.message): \(message)")
            #expect(message == test.message)
            #expect(model == nil)
        }
    }

    @Test func badTaskArgumentsAreOneClearError() {
        var (status, message, model) = Self.trainRegressor(targets: nil)
        #expect(status == MLP_ERROR_NULL_ARGUMENT && message == "mlp_train_regressor: targets is NULL" && model == nil)
        var targets = Self.data.targets
        targets[5] = .nan
        (status, message, model) = Self.trainRegressor(targets: targets)
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && model == nil)
        #expect(message == "mlp_train_regressor: targets[5] (row 2, column 1) is nan, not a finite number")
        (status, message, model) = Self.trainRegressor(targetCount: 0)
        #expect(status == MLP_ERROR_SHAPE && message == "mlp_train_regressor: target_count is 0: a regressor needs at least one target per sample")
        (status, message, model) = Self.trainRegressor(targetCount: -1)
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && message.contains("target_count = 18446744073709551615 is too large"))
        (status, message, model) = Self.trainRegressor { $0.class_weight = Int32(MLP_CLASS_WEIGHT_BALANCED.rawValue) }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT)
        #expect(message == "mlp_train_regressor: class_weight is 1: a regressor has no classes to weigh (use MLP_CLASS_WEIGHT_NONE, 0)")
        var weights = Self.data.weights
        weights[7] = -1
        (status, message, model) = Self.trainRegressor(weights: weights)
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && message.contains("sample_weights: the sample weight of row 7 is -1.0"))
        var x = Self.data.x
        x[3] = .nan
        (status, message, model) = Self.trainRegressor(x: x) { $0.standardize = 1 }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && message == "mlp_train_regressor: x[3] (row 1, column 0) is nan, not a finite number")

        var autoencoder: OpaquePointer?
        #expect(mlpTrainAutoencoder(nil, 4, 2, nil, &autoencoder) == MLP_ERROR_NULL_ARGUMENT && lastError() == "mlp_train_autoencoder: x is NULL")
        #expect(mlpTrainAutoencoder(Self.data.x, 0, 3, nil, &autoencoder) == MLP_ERROR_SHAPE)
        #expect(mlpTrainAutoencoder(Self.data.x, Self.rows, Self.cols, nil, nil) == MLP_ERROR_NULL_ARGUMENT)
        #expect(autoencoder == nil)
    }

    @Test func predictionBuffersAreChecked() {
        let (_, _, model) = Self.trainRegressor()
        defer { _ = mlpModelFree(model) }
        var out = [Float](repeating: 0, count: 6)
        #expect(mlpModelPredictValues(model, Self.data.x, 3, Self.cols, &out, 5) == MLP_ERROR_SHAPE)
        #expect(lastError() == "mlp_model_predict_values: out_len is 5, expected 6 (rows × targets = 3 × 2)")
        #expect(mlpModelPredictValues(model, Self.data.x, 3, Self.cols, nil, 6) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpModelPredictValues(model, Self.data.x, 3, 2, &out, 6) == MLP_ERROR_SHAPE)
        #expect(mlpModelPredictValues(model, nil, 0, Self.cols, nil, 0) == MLP_OK)
        #expect(out == [Float](repeating: 0, count: 6))
    }

    /// A caller compiled against 2.2.0 passes a struct of 200 bytes that ends at class_weight and
    /// its tail padding, which it never sets: the 2.3.0 fields take their defaults, whatever lies
    /// in memory there or after it.
    @Test func a2_2StructGetsTheScalingDefaults() throws {
        let size = MemoryLayout<mlp_train_options>.offset(of: \.class_weight)! + 8
        #expect(MemoryLayout<mlp_train_options>.offset(of: \.input_scales)! == size)
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        #expect(options.standardize == 0 && options.input_scales == nil && options.input_offsets == nil && options.input_scaling_count == 0)
        withUnsafeMutableBytes(of: &options) { bytes in
            for index in (size - 4)..<bytes.count { bytes[index] = 0xA5 }
        }
        options.struct_size = size
        let read = try TrainOptions.read(&options)
        #expect(read.standardize == 0 && read.input_scales == nil && read.input_offsets == nil && read.input_scaling_count == 0)
        options.input_scale = 1
        var model: OpaquePointer?
        #expect(mlpTrainRegressor(Self.data.x, Self.data.targets, Self.rows, Self.cols, Self.targetCount, &options, &model) == MLP_OK,
                "\(lastError())")
        #expect(try Self.handle(model).scaling == InputScaling(scale: 1))
        _ = mlpModelFree(model)
    }

    /// A regressor's run can be checkpointed; mlp_train_resume, which continues classifiers,
    /// refuses it with one clear error.
    @Test func aRegressorsCheckpointIsSavedAndNotResumedAsAClassifier() throws {
        let (_, _, model) = Self.trainRegressor()
        defer { _ = mlpModelFree(model) }
        let path = try temporaryFilePath("regressor.checkpoint")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(mlpModelSaveCheckpoint(model, path) == MLP_OK, "\(lastError())")
        let labels = [Int32](repeating: 0, count: Self.rows)
        var resumed: OpaquePointer?
        #expect(mlpTrainResume(path, Self.data.x, labels, Self.rows, Self.cols, nil, &resumed) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("the checkpoint holds a regressor, not a classifier"), "\(lastError())")
        #expect(resumed == nil)
    }

    /// A model file whose per-feature scaling has another count than the network's inputs is
    /// refused when loaded.
    @Test func aScalingOfTheWrongCountIsAFormatError() throws {
        var generator = SeededGenerator(seed: 2)
        let network = Network(layerSizes: [3, 4, 1], hiddenActivation: .relu, loss: .squaredError(.halfMeanOverSamples), using: &generator)
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = [4]
        var regressor = MLPRegressor(network: network, configuration: configuration)
        regressor.inputScaling = InputScaling(scales: [1, 2], offsets: [0, 0])
        let path = try temporaryFilePath("mismatched.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try regressor.save(to: path)
        var model: OpaquePointer?
        #expect(mlpModelLoad(path, &model) == MLP_ERROR_FORMAT)
        #expect(lastError().contains("the input scaling has 2 per-feature terms for 3 inputs"), "\(lastError())")
        #expect(model == nil)
    }
}

extension Optional where Wrapped == [Float] {
    /// The array's base address (nil for nil or an empty array) during `body`.
    func withOptionalBuffer<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        guard let self else { return body(nil) }
        return self.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
