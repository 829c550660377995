import CMLP
import Foundation
@testable import MLPCAPI
import MLPCore
import Testing
import TestSupport

/// Checkpoints through the C API: 4 epochs equal 2 with `checkpoint_path` and a
/// `mlp_train_resume` to 4, bit for bit; `mlp_model_save_checkpoint` continues a finished run;
/// bad calls return a status and a message.
@Suite struct CheckpointExportTests {
    static let (rows, cols) = (90, 6)
    static let data: (x: [Float], labels: [Int32]) = {
        var generator = SeededGenerator(seed: 8)
        let labels = (0..<rows).map { Int32($0 % 3) }
        let x = labels.flatMap { label in (0..<cols).map { _ in Float(label) * 60 + Float.random(in: 0...120, using: &generator) } }
        return (x, labels)
    }()

    /// Trains with `epochs` epochs (and a checkpoint path), or resumes `resume` to `epochs`.
    static func train(epochs: Int, checkpoint: String? = nil, resume: String? = nil) -> (mlp_status, OpaquePointer?) {
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        let hidden = [10, 5]
        var model: OpaquePointer?
        let status = hidden.withUnsafeBufferPointer { sizes in
            options.hidden_layer_sizes = sizes.baseAddress
            options.hidden_layer_count = 2
            options.max_epochs = epochs
            options.batch_size = 16
            options.optimizer = StaticCString.pointer("sgd")
            options.learning_rate = 0.02
            options.seed = 5
            options.threads = 2
            return (checkpoint ?? "").withCString { path in
                if checkpoint != nil { options.checkpoint_path = path }
                if let resume { return mlpTrainResume(resume, data.x, data.labels, rows, cols, &options, &model) }
                return mlpTrainClassifier(data.x, data.labels, rows, cols, &options, &model)
            }
        }
        return (status, model)
    }

    static func probabilities(_ model: OpaquePointer?) -> [UInt32] {
        var output = [Float](repeating: .nan, count: rows * 3)
        let status = output.withUnsafeMutableBufferPointer { mlpModelPredictProba(model, data.x, rows, cols, $0.baseAddress, rows * 3) }
        #expect(status == MLP_OK, "\(lastError())")
        return bits(output)
    }

    @Test func resumedTrainingEqualsAnUninterruptedRun() throws {
        try withTemporaryDirectory("capi-checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            let (wholeStatus, whole) = Self.train(epochs: 4)
            #expect(wholeStatus == MLP_OK, "\(lastError())")
            let (firstStatus, first) = Self.train(epochs: 2, checkpoint: path)
            #expect(firstStatus == MLP_OK, "\(lastError())")
            let (resumedStatus, resumed) = Self.train(epochs: 4, resume: path)
            #expect(resumedStatus == MLP_OK, "\(lastError())")
            #expect(Self.probabilities(resumed) == Self.probabilities(whole))

            // A checkpoint saved from the 2-epoch model continues the same way.
            let saved = directory + "/saved.checkpoint"
            #expect(mlpModelSaveCheckpoint(first, saved) == MLP_OK, "\(lastError())")
            let (againStatus, again) = Self.train(epochs: 4, resume: saved)
            #expect(againStatus == MLP_OK, "\(lastError())")
            #expect(Self.probabilities(again) == Self.probabilities(whole))
            for model in [whole, first, resumed, again] { #expect(mlpModelFree(model) == MLP_OK) }
        }
    }

    @Test func badCheckpointCallsReturnAStatus() throws {
        try withTemporaryDirectory("capi-checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            let (status, model) = Self.train(epochs: 1, checkpoint: path)
            #expect(status == MLP_OK)
            var out: OpaquePointer?
            #expect(mlpTrainResume(nil, Self.data.x, Self.data.labels, Self.rows, Self.cols, nil, &out) == MLP_ERROR_NULL_ARGUMENT)
            #expect(mlpTrainResume(path, Self.data.x, Self.data.labels, Self.rows, Self.cols, nil, nil) == MLP_ERROR_NULL_ARGUMENT)
            #expect(mlpTrainResume(directory + "/missing", Self.data.x, Self.data.labels, Self.rows, Self.cols, nil, &out) == MLP_ERROR_IO)
            var changed = Self.data.x
            changed[0] += 1
            #expect(mlpTrainResume(path, changed, Self.data.labels, Self.rows, Self.cols, nil, &out) == MLP_ERROR_INVALID_ARGUMENT)
            #expect(lastError().contains("training data"), "\(lastError())")
            #expect(mlpTrainResume(path, Self.data.x, Self.data.labels, Self.rows, Self.cols - 1, nil, &out) == MLP_ERROR_SHAPE)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            try writeBytes(Array(bytes.prefix(bytes.count / 3)), to: directory + "/truncated")
            #expect(mlpTrainResume(directory + "/truncated", Self.data.x, Self.data.labels, Self.rows, Self.cols, nil, &out) == MLP_ERROR_FORMAT)
            #expect(out == nil)

            // A model read from a model file holds no training state.
            #expect(mlpModelSave(model, directory + "/model.safetensors") == MLP_OK)
            var loaded: OpaquePointer?
            #expect(mlpModelLoad(directory + "/model.safetensors", &loaded) == MLP_OK)
            #expect(mlpModelSaveCheckpoint(loaded, directory + "/x.checkpoint") == MLP_ERROR_INVALID_ARGUMENT)
            #expect(mlpModelSaveCheckpoint(model, nil) == MLP_ERROR_NULL_ARGUMENT)
            #expect(mlpModelSaveCheckpoint(model, directory) == MLP_ERROR_IO)
            // A checkpoint is not a model file.
            #expect(mlpModelLoad(path, &loaded) == MLP_ERROR_FORMAT)
            #expect(lastError().contains("checkpoint"), "\(lastError())")
            _ = mlpModelFree(model)
        }
    }
}
