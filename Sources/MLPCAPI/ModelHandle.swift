import CMLP
import LinearAlgebra
import NeuralNetwork
import MLPCore

/// The object behind an `mlp_model *`: a fitted classifier and its input scaling.
/// Immutable, so several threads may predict with one model at once.
final class ModelHandle: Sendable {
    let classifier: MLPClassifier
    let network: Network
    /// The classes as the C API's `int32_t` labels, sorted (as `mlp_model_classes` promises).
    let labels: [Int32]
    /// For each of ``labels``, its column in the network's output; nil when the classifier's
    /// classes are already sorted, so that column `j` is `labels[j]`'s.
    let columns: [Int]?

    init(_ classifier: MLPClassifier) throws(CAPIError) {
        guard let network = classifier.network else {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "the model is not fitted")
        }
        guard classifier.classes.count == network.outputCount else {
            throw CAPIError(status: MLP_ERROR_FORMAT,
                            message: "\(classifier.classes.count) classes for a network of \(network.outputCount) outputs")
        }
        var classes = [(label: Int32, column: Int)]()
        for (column, label) in classifier.classes.enumerated() {
            guard let narrow = Int32(exactly: label) else {
                throw CAPIError(status: MLP_ERROR_FORMAT, message: "the class label \(label) does not fit in an int32_t")
            }
            classes.append((narrow, column))
        }
        classes.sort { $0.label < $1.label }
        for (previous, next) in zip(classes, classes.dropFirst()) where previous.label == next.label {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "the class label \(next.label) appears twice")
        }
        let order = classes.map(\.column)
        self.classifier = classifier
        self.network = network
        self.labels = classes.map(\.label)
        self.columns = order == Array(order.indices) ? nil : order
    }

    var inputCount: Int { network.inputCount }
    var classCount: Int { labels.count }
}

extension ModelHandle {
    /// Rows given to the network at once: a multiple of its inference chunk (512 rows), so the
    /// blocks are computed exactly as one pass over all rows would be (as `mlp predict` does).
    static let blockRows = 16 * 512

    /// The caller's `rows × cols` raw inputs as the model's features, after checking the shape,
    /// that every raw value is finite and that its scaled feature is too; nil when `rows` is 0.
    func inputs(_ x: UnsafePointer<Float>?, rows: Int, cols: Int) throws(CAPIError) -> ScaledInputs? {
        let rows = try Arguments.count(rows, "rows")
        let cols = try Arguments.count(cols, "cols")
        guard cols == inputCount else {
            throw .shape("cols is \(cols), the model expects \(inputCount) input features")
        }
        let count = try Arguments.elementCount(rows: rows, cols: cols, "the input")
        let raw = try Arguments.buffer(x, count: count, "x")
        try Arguments.finiteFeatures(raw, columns: cols, scaling: classifier.inputScaling, "x")
        guard rows > 0, let base = raw.baseAddress else { return nil }
        return ScaledInputs(base: base, sampleCount: rows, featureCount: cols, scaling: classifier.inputScaling)
    }

    /// Checks the caller's output buffer: `length` must be `rows × perRow`, the pointer non-NULL
    /// unless that is 0 (`names`: the buffer's and its length's parameters).
    func output<Output>(
        _ out: UnsafeMutablePointer<Output>?, length: Int, rows: Int, perRow: Int, names: (buffer: String, length: String)
    ) throws(CAPIError) -> UnsafeMutableBufferPointer<Output> {
        let needed = rows * perRow
        try Arguments.length(length, expected: needed, names.length,
                             perRow == 1 ? "one class per row" : "rows × classes = \(rows) × \(perRow)")
        return try Arguments.outputBuffer(out, count: needed, names.buffer)
    }

    /// Each sample's class probabilities, `rows × classCount` row-major, in the order of
    /// ``labels``.
    /// - Throws: `MLP_ERROR_OUT_OF_MEMORY` when the result will not fit, `MLP_ERROR_FORMAT`
    ///   naming the first sample whose output is not finite.
    func probabilities(_ inputs: ScaledInputs) throws(CAPIError) -> [Float] {
        let (rows, classes) = (inputs.sampleCount, classCount)
        try Allocation.check(Allocation.sum(Allocation.bytes(Float.self, count: rows, classes), workingBytes(rows: rows)),
                             for: "computing the probabilities of \(rows) samples and \(classes) classes")
        var result = [Float](repeating: 0, count: rows * classes)
        try forEachOutputBlock(of: inputs) { start, outputs in
            outputs.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    for row in 0..<outputs.rows {
                        let from = row &* classes
                        let to = (start &+ row) &* classes
                        for position in 0..<classes { target[to &+ position] = source[from &+ (columns?[position] ?? position)] }
                    }
                }
            }
        }
        return result
    }

    /// Each sample's most probable class (the first of ``labels`` on ties).
    /// - Throws: as ``probabilities(_:)``.
    func predictedLabels(_ inputs: ScaledInputs) throws(CAPIError) -> [Int32] {
        let rows = inputs.sampleCount
        try Allocation.check(Allocation.sum(Allocation.bytes(Int32.self, count: rows), workingBytes(rows: rows)),
                             for: "computing the predictions of \(rows) samples and \(classCount) classes")
        var result = [Int32](repeating: 0, count: rows)
        try forEachOutputBlock(of: inputs) { start, outputs in
            outputs.withUnsafeBufferPointer { source in
                for row in 0..<outputs.rows {
                    let from = row &* classCount
                    var best = 0
                    var bestValue = source[from &+ (columns?[0] ?? 0)]
                    for position in 1..<classCount {
                        let value = source[from &+ (columns?[position] ?? position)]
                        if value > bestValue { (best, bestValue) = (position, value) }
                    }
                    result[start &+ row] = labels[best]
                }
            }
        }
        return result
    }

    /// The network's outputs for ``blockRows`` samples at a time, each checked finite, passed to
    /// `body` with the block's first row.
    private func forEachOutputBlock(of inputs: ScaledInputs, _ body: (Int, Matrix) -> Void) throws(CAPIError) {
        var start = 0
        while start < inputs.sampleCount {
            let end = Swift.min(start + ModelHandle.blockRows, inputs.sampleCount)
            do throws(NeuralNetworkError) {
                body(start, try network.checkedOutputs(for: inputs.rows(start..<end)))
            } catch {
                if case .nonFiniteOutput(let row) = error { throw CAPIError(.nonFiniteOutput(row: start + row)) }
                throw CAPIError(error)
            }
            start = end
        }
    }

    /// What inference allocates besides its result, for `rows` samples: one block's outputs, and
    /// the network's input batch and activations for one chunk of 512 rows.
    private func workingBytes(rows: Int) -> Int? {
        let block = Swift.min(rows, ModelHandle.blockRows)
        let widths = network.layerSizes.reduce(0) { $0 + $1 }
        return Allocation.sum(Allocation.bytes(Float.self, count: block, classCount),
                              Allocation.bytes(Float.self, count: Swift.min(block, 512), widths))
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

    /// The status and message of a training or inference error. A non-finite output is FORMAT:
    /// the model's weights overflow float32 on that input.
    init(_ error: NeuralNetworkError) {
        switch error {
        case .diverged: self.init(status: MLP_ERROR_TRAINING, message: error.description)
        case .cannotWriteCheckpoint: self.init(status: MLP_ERROR_IO, message: error.description)
        case .insufficientMemory: self.init(status: MLP_ERROR_OUT_OF_MEMORY, message: error.description)
        case .nonFiniteOutput: self.init(status: MLP_ERROR_FORMAT, message: error.description)
        default: self.init(status: MLP_ERROR_INVALID_ARGUMENT, message: error.description)
        }
    }
}
