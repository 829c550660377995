import CMLP
import LinearAlgebra
import NeuralNetwork

// Training the other kinds of model from C: mlp_train_regressor and mlp_train_autoencoder, with
// the same options, checks and memory budget as mlp_train_classifier.

/// `mlp_status mlp_train_regressor(x, targets, rows, cols, target_count, options, out)`.
@_cdecl("mlp_train_regressor")
public func mlpTrainRegressor(
    _ x: UnsafePointer<Float>?, _ targets: UnsafePointer<Float>?, _ rows: Int, _ cols: Int, _ targetCount: Int,
    _ options: UnsafePointer<mlp_train_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> mlp_status {
    exported("mlp_train_regressor") { () throws(CAPIError) in
        guard let out else { throw .nullArgument("out") }
        let call = try TrainingCall(x, rows: rows, cols: cols, options: options)
        let targetCount = try Arguments.count(targetCount, "target_count")
        guard targetCount > 0 else { throw .shape("target_count is 0: a regressor needs at least one target per sample") }
        let targetElements = try Arguments.elementCount(rows: call.rows, cols: targetCount, "the target matrix")
        try call.checkMemory(outputCount: targetCount, extraBytes: Allocation.bytes(Float.self, count: targetElements))
        let targetBuffer = try Arguments.finiteBuffer(targets, rows: call.rows, columns: targetCount, "targets")
        let (features, scaling) = try call.features()
        let sampleWeights = try TrainOptions.sampleWeights(call.options, rows: call.rows, task: "a regressor")

        var regressor = MLPRegressor(configuration: call.configuration)
        regressor.inputScaling = scaling
        try TrainOptions.prepare(&regressor, call.options)
        do throws(NeuralNetworkError) {
            try regressor.fit(features, targets: Matrix(rows: call.rows, columns: targetCount, elements: Array(targetBuffer)),
                              sampleWeights: sampleWeights)
        } catch {
            throw CAPIError(error)
        }
        out.pointee = try HandleTable.shared.register(ModelHandle(regressor), as: .model)
    }
}

/// `mlp_status mlp_train_autoencoder(x, rows, cols, options, out)`.
@_cdecl("mlp_train_autoencoder")
public func mlpTrainAutoencoder(
    _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int, _ options: UnsafePointer<mlp_train_options>?,
    _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> mlp_status {
    exported("mlp_train_autoencoder") { () throws(CAPIError) in
        guard let out else { throw .nullArgument("out") }
        let call = try TrainingCall(x, rows: rows, cols: cols, options: options)
        try call.checkMemory(outputCount: call.cols, extraBytes: 0)
        let (features, scaling) = try call.features()
        let sampleWeights = try TrainOptions.sampleWeights(call.options, rows: call.rows, task: "an autoencoder")

        var autoencoder = Autoencoder(configuration: call.configuration)
        autoencoder.inputScaling = scaling
        try TrainOptions.prepare(&autoencoder, call.options)
        do throws(NeuralNetworkError) {
            try autoencoder.fit(features, sampleWeights: sampleWeights)
        } catch {
            throw CAPIError(error)
        }
        out.pointee = try HandleTable.shared.register(ModelHandle(autoencoder), as: .model)
    }
}
