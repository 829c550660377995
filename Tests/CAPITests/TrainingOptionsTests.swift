import CMLP
import Foundation
@testable import MLPCAPI
import MLPCore
import NeuralNetwork
import Testing
import TestSupport

/// The training options added in 2.2.0: AdamW, schedules with warm-up, dropout, sample and class
/// weights. Each is read into the configuration, each bad value is one clear error, and a caller
/// compiled against 2.1 (a smaller struct) gets the defaults.
@Suite struct TrainingOptionsTests {
    static let (rows, cols) = (60, 4)
    static let data: (x: [Float], labels: [Int32]) = {
        var generator = SeededGenerator(seed: 12)
        let labels = (0..<rows).map { Int32($0 % 4 == 0 ? 1 : 0) }
        let x = labels.flatMap { label in (0..<cols).map { _ in Float(label) * 80 + Float.random(in: 0...150, using: &generator) } }
        return (x, labels)
    }()

    static func options() -> mlp_train_options {
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.max_epochs = 3
        options.batch_size = 16
        options.threads = 1
        options.seed = 3
        return options
    }

    /// Trains with `change` applied to the options; returns the status, message and model.
    static func train(weights: [Float]? = nil, _ change: (inout mlp_train_options) -> Void) -> (mlp_status, String, OpaquePointer?) {
        var options = Self.options()
        change(&options)
        var model: OpaquePointer?
        let status: mlp_status
        if let weights {
            status = weights.withUnsafeBufferPointer { buffer in
                options.sample_weights = buffer.baseAddress
                return mlpTrainClassifier(data.x, data.labels, rows, cols, &options, &model)
            }
        } else {
            status = mlpTrainClassifier(data.x, data.labels, rows, cols, &options, &model)
        }
        return (status, lastError(), model)
    }

    @Test func defaultsMatchTheLibrary() throws {
        let options = Self.options()
        let configuration = try TrainOptions.configuration(options)
        #expect(configuration.weightDecay == 0.01 && configuration.learningRateSchedule == .constant)
        #expect(configuration.warmupEpochs == 0 && configuration.stepSize == 10 && configuration.stepFactor == 0.1)
        #expect(configuration.minimumLearningRate == 0 && configuration.scheduleEpochs == nil && configuration.dropout == 0)
        #expect(options.sample_weights == nil && options.class_weight == 0)
    }

    /// A caller compiled against 2.1 passes a struct that ends at checkpoint_every: the new
    /// fields take their defaults, whatever lies in memory after it.
    @Test func anOlderStructGetsTheDefaults() throws {
        var options = Self.options()
        options.dropout = 0.7
        options.weight_decay = -3
        options.class_weight = 99
        options.struct_size = MemoryLayout<mlp_train_options>.offset(of: \.checkpoint_every)! + MemoryLayout<Int>.size
        let read = try TrainOptions.read(&options)
        #expect(read.dropout == 0 && read.weight_decay == 0.01 && read.class_weight == 0)
        var model: OpaquePointer?
        #expect(mlpTrainClassifier(Self.data.x, Self.data.labels, Self.rows, Self.cols, &options, &model) == MLP_OK, "\(lastError())")
        _ = mlpModelFree(model)
    }

    @Test func theNewOptionsReachTheConfiguration() throws {
        var options = Self.options()
        options.optimizer = StaticCString.pointer("adamw")
        options.weight_decay = 0.05
        options.learning_rate_schedule = StaticCString.pointer("cosine")
        options.warmup_epochs = 1
        options.schedule_epochs = 7
        options.minimum_learning_rate = 1e-5
        options.dropout = 0.2
        let configuration = try TrainOptions.configuration(options)
        #expect(configuration.optimizer == .adamw && configuration.weightDecay == 0.05)
        #expect(configuration.learningRateSchedule == .cosine && configuration.warmupEpochs == 1)
        #expect(configuration.scheduleEpochs == 7 && configuration.minimumLearningRate == 1e-5 && configuration.dropout == 0.2)
        options.learning_rate_schedule = StaticCString.pointer("step")
        options.step_size = 2
        options.step_factor = 0.5
        let stepped = try TrainOptions.configuration(options)
        #expect(stepped.learningRateSchedule == .step && stepped.stepSize == 2 && stepped.stepFactor == 0.5)

        let (status, message, model) = Self.train { options in
            options.optimizer = StaticCString.pointer("adamw")
            options.learning_rate_schedule = StaticCString.pointer("cosine")
            options.warmup_epochs = 1
            options.dropout = 0.25
        }
        #expect(status == MLP_OK, "\(message)")
        _ = mlpModelFree(model)
    }

    @Test func badOptionsAreOneClearError() {
        let cases: [(String, (inout mlp_train_options) -> Void)] = [
            ("weightDecay = nan", { $0.optimizer = StaticCString.pointer("adamw"); $0.weight_decay = .nan }),
            ("weightDecay = -1.0", { $0.weight_decay = -1 }),
            ("unknown learning-rate schedule 'cosin'", { $0.learning_rate_schedule = StaticCString.pointer("cosin") }),
            ("warmupEpochs = 2; warm-up works with the constant, cosine and step schedules, not adaptive",
             { $0.learning_rate_schedule = StaticCString.pointer("adaptive"); $0.warmup_epochs = 2 }),
            ("stepSize = 0", { $0.step_size = 0 }),
            ("stepFactor = 1.5", { $0.step_factor = 1.5 }),
            ("minimumLearningRate = 0.5", { $0.minimum_learning_rate = 0.5 }),
            ("dropout = 1.0", { $0.dropout = 1 }),
            ("dropout = nan", { $0.dropout = .nan }),
            ("class_weight must be MLP_CLASS_WEIGHT_NONE (0) or MLP_CLASS_WEIGHT_BALANCED (1), got 7", { $0.class_weight = 7 }),
        ]
        for (expected, change) in cases {
            let (status, message, model) = Self.train(change)
            #expect(status == MLP_ERROR_INVALID_ARGUMENT, "\(expected): \(message)")
            #expect(message.contains(expected), "\(message)")
            #expect(model == nil)
        }
    }

    @Test func sampleWeightsAreCheckedNamingTheRow() {
        var weights = [Float](repeating: 1, count: Self.rows)
        weights[5] = .nan
        var (status, message, model) = Self.train(weights: weights) { _ in }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && model == nil)
        #expect(message == "mlp_train_classifier: sample_weights: the sample weight of row 5 is nan; weights must be finite and at least 0")
        weights[5] = 1
        weights[9] = -.infinity
        (status, message, model) = Self.train(weights: weights) { _ in }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && message.contains("row 9 is -inf"))
        (status, message, model) = Self.train(weights: [Float](repeating: 0, count: Self.rows)) { _ in }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT && message.contains("every sample weight is 0"))
    }

    /// Unit sample weights change nothing; balanced class weights equal the sample weights
    /// scikit-learn's formula gives.
    @Test func weightsTrainAsTheLibraryDoes() throws {
        func probabilities(_ model: OpaquePointer?) -> [UInt32] {
            var output = [Float](repeating: .nan, count: Self.rows * 2)
            let status = output.withUnsafeMutableBufferPointer {
                mlpModelPredictProba(model, Self.data.x, Self.rows, Self.cols, $0.baseAddress, Self.rows * 2)
            }
            #expect(status == MLP_OK, "\(lastError())")
            return bits(output)
        }
        let (_, _, plain) = Self.train { _ in }
        let (onesStatus, onesMessage, ones) = Self.train(weights: [Float](repeating: 1, count: Self.rows)) { _ in }
        #expect(onesStatus == MLP_OK, "\(onesMessage)")
        #expect(probabilities(ones) == probabilities(plain))

        let (balancedStatus, balancedMessage, balanced) = Self.train { $0.class_weight = Int32(MLP_CLASS_WEIGHT_BALANCED.rawValue) }
        #expect(balancedStatus == MLP_OK, "\(balancedMessage)")
        // 15 of the 60 samples are class 1: weights 60 / (2 · 15) = 2 and 60 / (2 · 45) = 2/3.
        let formula = Self.data.labels.map { Float($0 == 1 ? 60.0 / 30 : 60.0 / 90) }
        let (_, _, weighted) = Self.train(weights: formula) { _ in }
        #expect(probabilities(balanced) == probabilities(weighted))
        #expect(probabilities(balanced) != probabilities(plain))
        for model in [plain, ones, balanced, weighted] { _ = mlpModelFree(model) }
    }
}
