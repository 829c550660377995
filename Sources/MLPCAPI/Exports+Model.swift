import CMLP
import LinearAlgebra
import NeuralNetwork

// The model functions of mlp.h: models of every kind loaded from, and saved to, the files
// `mlp train` writes, and a classifier's batch prediction on raw inputs (the other kinds' in
// Exports+ModelKinds.swift).

/// `mlp_status mlp_model_load(const char *path, mlp_model **out)`.
///
/// The file is read by ``FileAccess/readRegularFile(_:kind:copies:)`` (never blocking on a FIFO,
/// never reading a device) and decoded by the library's ``SavedModel/decode(_:)``.
@_cdecl("mlp_model_load")
public func mlpModelLoad(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> mlp_status {
    exported("mlp_model_load") { () throws(CAPIError) in
        let path = try Arguments.string(path, "path")
        guard let out else { throw .nullArgument("out") }
        let bytes = try FileAccess.readRegularFile(path, kind: "model file")
        let saved: SavedModel
        do throws(SafeTensorsProblem) {
            saved = try SavedModel.decode(bytes)
        } catch {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "model file \(path): \(error)")
        }
        let handle: ModelHandle
        do throws(CAPIError) {
            handle = try ModelHandle(saved)
        } catch {
            throw CAPIError(status: error.status, message: "model file \(path): \(error.message)")
        }
        out.pointee = try HandleTable.shared.register(handle, as: .model)
    }
}

/// `mlp_status mlp_model_save(const mlp_model *model, const char *path)`.
@_cdecl("mlp_model_save")
public func mlpModelSave(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> mlp_status {
    exported("mlp_model_save") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        let path = try Arguments.string(path, "path")
        try FileAccess.checkWritableTarget(path, kind: "model file")
        do throws(ModelFileError) {
            try handle.model.model.save(to: path)
        } catch {
            throw CAPIError(error)
        }
    }
}

/// `mlp_status mlp_model_save_checkpoint(const mlp_model *model, const char *path)`.
@_cdecl("mlp_model_save_checkpoint")
public func mlpModelSaveCheckpoint(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> mlp_status {
    exported("mlp_model_save_checkpoint") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        let path = try Arguments.string(path, "path")
        try FileAccess.checkWritableTarget(path, kind: "checkpoint")
        do throws(ModelFileError) {
            try handle.model.model.saveCheckpoint(to: path)
        } catch {
            if case .cannotWrite(let reason) = error.problem, reason.hasPrefix("the model has no training state") {
                throw .invalidArgument("the model holds no training state (it was read from a model file): \(reason)")
            }
            throw CAPIError(error)
        }
    }
}

/// `mlp_status mlp_model_free(mlp_model *model)`.
@_cdecl("mlp_model_free")
public func mlpModelFree(_ model: OpaquePointer?) -> mlp_status {
    exported("mlp_model_free") { () throws(CAPIError) in
        try HandleTable.shared.release(model, as: .model, name: "model")
    }
}

/// `mlp_status mlp_model_info(const mlp_model *model, size_t *input_count, size_t *class_count)`.
@_cdecl("mlp_model_info")
public func mlpModelInfo(
    _ model: OpaquePointer?, _ inputCount: UnsafeMutablePointer<Int>?, _ classCount: UnsafeMutablePointer<Int>?
) -> mlp_status {
    exported("mlp_model_info") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        try handle.require(.classifier, instead: "mlp_model_sizes gives the widths of every kind of model")
        inputCount?.pointee = handle.inputCount
        classCount?.pointee = handle.classCount
    }
}

/// `mlp_status mlp_model_classes(const mlp_model *model, int32_t *classes, size_t len)`.
@_cdecl("mlp_model_classes")
public func mlpModelClasses(_ model: OpaquePointer?, _ classes: UnsafeMutablePointer<Int32>?, _ length: Int) -> mlp_status {
    exported("mlp_model_classes") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        try handle.require(.classifier, instead: "mlp_model_sizes gives the widths of every kind of model")
        try Arguments.length(length, expected: handle.classCount, "len", "the model's class count")
        let destination = try Arguments.outputBuffer(classes, count: handle.classCount, "classes")
        for (index, label) in handle.labels.enumerated() { destination[index] = label }
    }
}

/// `mlp_status mlp_model_predict_proba(model, x, rows, cols, out, out_len)`.
/// The probabilities are computed and checked in full before `out` is written.
@_cdecl("mlp_model_predict_proba")
public func mlpModelPredictProba(
    _ model: OpaquePointer?, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ out: UnsafeMutablePointer<Float>?, _ outLength: Int
) -> mlp_status {
    exported("mlp_model_predict_proba") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        try handle.require(.classifier)
        let inputs = try handle.inputs(x, rows: rows, cols: cols)
        let destination = try handle.output(out, length: outLength, rows: inputs?.sampleCount ?? 0, perRow: handle.classCount,
                                            names: ("out", "out_len"))
        guard let inputs else { return }
        let probabilities = try handle.probabilities(inputs)
        _ = destination.update(fromContentsOf: probabilities)
    }
}

/// `mlp_status mlp_model_predict(model, x, rows, cols, classes, len)`.
/// The labels are computed and checked in full before `classes` is written.
@_cdecl("mlp_model_predict")
public func mlpModelPredict(
    _ model: OpaquePointer?, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ classes: UnsafeMutablePointer<Int32>?, _ length: Int
) -> mlp_status {
    exported("mlp_model_predict") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        try handle.require(.classifier)
        let inputs = try handle.inputs(x, rows: rows, cols: cols)
        let destination = try handle.output(classes, length: length, rows: inputs?.sampleCount ?? 0, perRow: 1,
                                            names: ("classes", "len"))
        guard let inputs else { return }
        let labels = try handle.predictedLabels(inputs)
        _ = destination.update(fromContentsOf: labels)
    }
}
