import CMLP
import NeuralNetwork

// The functions of mlp.h for every kind of model (its kind and widths) and the predictions of
// regressors and autoencoders: values, reconstructions and codes from raw inputs.

/// `mlp_status mlp_model_kind_of(const mlp_model *model, mlp_model_kind *kind)`.
@_cdecl("mlp_model_kind_of")
public func mlpModelKindOf(_ model: OpaquePointer?, _ kind: UnsafeMutablePointer<mlp_model_kind>?) -> mlp_status {
    exported("mlp_model_kind_of") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        guard let kind else { throw .nullArgument("kind") }
        kind.pointee = handle.cKind
    }
}

/// `mlp_status mlp_model_sizes(model, input_count, output_count, code_size)`.
@_cdecl("mlp_model_sizes")
public func mlpModelSizes(
    _ model: OpaquePointer?, _ inputCount: UnsafeMutablePointer<Int>?, _ outputCount: UnsafeMutablePointer<Int>?,
    _ codeSize: UnsafeMutablePointer<Int>?
) -> mlp_status {
    exported("mlp_model_sizes") { () throws(CAPIError) in
        let handle = try HandleTable.shared.model(model, "model")
        inputCount?.pointee = handle.inputCount
        outputCount?.pointee = handle.outputCount
        codeSize?.pointee = handle.codeSize
    }
}

/// `mlp_status mlp_model_predict_values(model, x, rows, cols, out, out_len)`.
@_cdecl("mlp_model_predict_values")
public func mlpModelPredictValues(
    _ model: OpaquePointer?, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ out: UnsafeMutablePointer<Float>?, _ outLength: Int
) -> mlp_status {
    exported("mlp_model_predict_values") { () throws(CAPIError) in
        try writeValues(model, .regressor, x, rows, cols, out, outLength, layer: { _ in nil }, what: "predictions", unit: "targets")
    }
}

/// `mlp_status mlp_model_reconstruct(model, x, rows, cols, out, out_len)`.
@_cdecl("mlp_model_reconstruct")
public func mlpModelReconstruct(
    _ model: OpaquePointer?, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ out: UnsafeMutablePointer<Float>?, _ outLength: Int
) -> mlp_status {
    exported("mlp_model_reconstruct") { () throws(CAPIError) in
        try writeValues(model, .autoencoder, x, rows, cols, out, outLength, layer: { _ in nil }, what: "reconstructions", unit: "cols")
    }
}

/// `mlp_status mlp_model_codes(model, x, rows, cols, out, out_len)`.
@_cdecl("mlp_model_codes")
public func mlpModelCodes(
    _ model: OpaquePointer?, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ out: UnsafeMutablePointer<Float>?, _ outLength: Int
) -> mlp_status {
    exported("mlp_model_codes") { () throws(CAPIError) in
        try writeValues(model, .autoencoder, x, rows, cols, out, outLength, layer: { $0.codeLayer }, what: "codes", unit: "code_size")
    }
}

/// The body of the three functions above: checks the model's kind, the inputs and `out`, then
/// computes every value (the network's outputs, or hidden layer `layer`'s) before writing any.
private func writeValues(
    _ model: OpaquePointer?, _ kind: ModelKind, _ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int,
    _ out: UnsafeMutablePointer<Float>?, _ outLength: Int, layer: (ModelHandle) -> Int?, what: String, unit: String
) throws(CAPIError) {
    let handle = try HandleTable.shared.model(model, "model")
    try handle.require(kind)
    let inputs = try handle.inputs(x, rows: rows, cols: cols)
    let layer = layer(handle)
    let width = layer.map { handle.network.layerSizes[$0 + 1] } ?? handle.outputCount
    let count = inputs?.sampleCount ?? 0
    let destination = try handle.output(out, length: outLength, rows: count, perRow: width, names: ("out", "out_len"),
                                        explanation: "rows × \(unit) = \(count) × \(width)")
    guard let inputs else { return }
    let values = try handle.values(inputs, layer: layer, what: what)
    _ = destination.update(fromContentsOf: values)
}
