import CMLP
import LinearAlgebra
import NeuralNetwork
import MLPCore

/// The object behind an `mlp_model *`: a fitted classifier and its input scaling.
/// Immutable, so several threads may predict with one model at once.
final class ModelHandle: Sendable {
    let classifier: MLPClassifier
    let network: Network
    /// The classes as the C API's `int32_t` labels.
    let labels: [Int32]

    init(_ classifier: MLPClassifier) throws(CAPIError) {
        guard let network = classifier.network else {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "the model is not fitted")
        }
        var labels = [Int32]()
        for label in classifier.classes {
            guard let narrow = Int32(exactly: label) else {
                throw CAPIError(status: MLP_ERROR_FORMAT, message: "the class label \(label) does not fit in an int32_t")
            }
            labels.append(narrow)
        }
        self.classifier = classifier
        self.network = network
        self.labels = labels
    }

    var inputCount: Int { network.inputCount }
    var classCount: Int { labels.count }

    /// The scaled feature matrix of `rows × cols` raw inputs, after checking the shape and values.
    func features(_ x: UnsafePointer<Float>?, rows: Int, cols: Int) throws(CAPIError) -> Matrix {
        let rows = try Arguments.count(rows, "rows")
        let cols = try Arguments.count(cols, "cols")
        guard cols == inputCount else {
            throw .shape("cols is \(cols), the model expects \(inputCount) input features")
        }
        let count = try Arguments.elementCount(rows: rows, cols: cols, "the input")
        let raw = try Arguments.buffer(x, count: count, "x")
        try Arguments.finite(raw, columns: cols, "x")
        return Matrix(rows: rows, columns: cols, elements: raw.map(classifier.inputScaling.feature))
    }
}

extension ModelHandle {
    /// The class probabilities of `rows × cols` raw inputs and the caller's output buffer, after
    /// checking that it holds `perRow` values a row (`names`: the buffer's and its length's
    /// parameters); nil when there are no rows.
    func predict<Output>(
        _ x: UnsafePointer<Float>?, rows: Int, cols: Int, into out: UnsafeMutablePointer<Output>?, length: Int,
        perRow: Int, names: (buffer: String, length: String)
    ) throws(CAPIError) -> (probabilities: Matrix, destination: UnsafeMutableBufferPointer<Output>)? {
        let features = try features(x, rows: rows, cols: cols)
        let needed = features.rows * perRow
        try Arguments.length(length, expected: needed, names.length,
                             perRow == 1 ? "one class per row" : "rows × classes = \(features.rows) × \(perRow)")
        let destination = try Arguments.outputBuffer(out, count: needed, names.buffer)
        guard needed > 0 else { return nil }
        return (classifier.predictProbabilities(features), destination)
    }
}

extension HandleTable {
    func model(_ handle: OpaquePointer?, _ name: String) throws(CAPIError) -> ModelHandle {
        try object(handle, as: .model, type: ModelHandle.self, name: name)
    }
}

extension CAPIError {
    /// The status and message of a model file error: IO for an unreadable or unwritable file,
    /// FORMAT for contents that are not a valid model.
    init(_ error: ModelFileError) {
        switch error.problem {
        case .cannotRead, .cannotWrite: self.init(status: MLP_ERROR_IO, message: error.description)
        case .invalid: self.init(status: MLP_ERROR_FORMAT, message: error.description)
        }
    }

    /// The status and message of a training error.
    init(_ error: NeuralNetworkError) {
        switch error {
        case .diverged: self.init(status: MLP_ERROR_TRAINING, message: error.description)
        case .cannotWriteCheckpoint: self.init(status: MLP_ERROR_IO, message: error.description)
        case .insufficientMemory: self.init(status: MLP_ERROR_OUT_OF_MEMORY, message: error.description)
        default: self.init(status: MLP_ERROR_INVALID_ARGUMENT, message: error.description)
        }
    }
}
