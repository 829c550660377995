import NeuralNetwork

/// Why a model could not be exported as ONNX; prints as one line.
public enum ONNXExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model file could not be read, or is not a model (a missing file, a checkpoint, …).
    case cannotLoad(ModelFileError)
    /// The model has not been trained, so there is no network to export.
    case notFitted(ModelKind)
    /// A hidden activation that no standard ONNX operator computes.
    case unsupportedActivation(String)
    /// The graph would pass protobuf's 2 GiB limit on one message.
    case tooLarge(parameterCount: Int)
    /// The output path is the model file itself: writing would destroy the model.
    case outputIsInput(String)
    /// The ONNX file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The protobuf encoder refused the graph.
    case cannotEncode(String)

    public var description: String {
        switch self {
        case .cannotLoad(let error):
            return error.description
        case .notFitted(let kind):
            return "cannot export \(kind.withArticle) that has not been trained"
        case .unsupportedActivation(let name):
            return "the activation '\(name)' has no ONNX operator"
        case .tooLarge(let parameterCount):
            return "a network of \(parameterCount) parameters does not fit in one ONNX file (protobuf's 2 GiB limit)"
        case .outputIsInput(let path):
            return "the ONNX output \(path) is the model file itself; choose another path"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .cannotEncode(let reason):
            return "cannot encode the ONNX graph: \(reason)"
        }
    }
}
