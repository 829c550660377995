import CMLP
import LinearAlgebra
import NeuralNetwork
import MLPCore

/// The object behind an `mlp_model *`: a fitted classifier, regressor or autoencoder, and its
/// input scaling. Immutable, so several threads may predict with one model at once.
final class ModelHandle: Sendable {
    /// The model, of whichever kind.
    let model: SavedModel
    let network: Network
    /// How raw inputs become the network's features (checked to fit ``inputCount``).
    let scaling: InputScaling
    /// A classifier's classes as the C API's `int32_t` labels, sorted (as `mlp_model_classes`
    /// promises); empty for the other kinds.
    let labels: [Int32]
    /// For each of ``labels``, its column in the network's output; nil when the classifier's
    /// classes are already sorted, so that column `j` is `labels[j]`'s.
    let columns: [Int]?
    /// An autoencoder's code layer (its narrowest hidden layer, 0-based); nil for the other kinds.
    let codeLayer: Int?

    init(_ model: SavedModel) throws(CAPIError) {
        guard let network = model.network else {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "the model is not fitted")
        }
        let scaling = model.model.inputScaling
        guard scaling.fits(featureCount: network.inputCount) else {
            throw CAPIError(status: MLP_ERROR_FORMAT,
                            message: "the input scaling has \(scaling.featureCount ?? 0) per-feature terms for \(network.inputCount) inputs")
        }
        var labels = [Int32]()
        var columns: [Int]?
        var codeLayer: Int?
        switch model {
        case .classifier(let classifier):
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
            labels = classes.map(\.label)
            columns = order == Array(order.indices) ? nil : order
        case .regressor:
            break
        case .autoencoder(let autoencoder):
            guard network.layerSizes.count >= 3, network.inputCount == network.outputCount else {
                throw CAPIError(status: MLP_ERROR_FORMAT,
                                message: "an autoencoder's network of layers \(network.layerSizes) does not map its inputs to as many outputs through a hidden layer")
            }
            codeLayer = autoencoder.bottleneckLayer
        }
        self.model = model
        self.network = network
        self.scaling = scaling
        self.labels = labels
        self.columns = columns
        self.codeLayer = codeLayer
    }

    convenience init(_ classifier: MLPClassifier) throws(CAPIError) { try self.init(.classifier(classifier)) }
    convenience init(_ regressor: MLPRegressor) throws(CAPIError) { try self.init(.regressor(regressor)) }
    convenience init(_ autoencoder: Autoencoder) throws(CAPIError) { try self.init(.autoencoder(autoencoder)) }

    var kind: ModelKind { model.kind }
    var inputCount: Int { network.inputCount }
    var outputCount: Int { network.outputCount }
    var classCount: Int { labels.count }
    /// The width of an autoencoder's code layer; 0 for the other kinds.
    var codeSize: Int { codeLayer.map { network.layerSizes[$0 + 1] } ?? 0 }

    /// The kind as mlp.h's `mlp_model_kind`.
    var cKind: mlp_model_kind {
        switch kind {
        case .classifier: return MLP_MODEL_CLASSIFIER
        case .regressor: return MLP_MODEL_REGRESSOR
        case .autoencoder: return MLP_MODEL_AUTOENCODER
        }
    }

    /// Fails with `MLP_ERROR_INVALID_ARGUMENT` unless the model is of `kind`: "the model is a
    /// regressor, not a classifier (…)", naming what serves the model's own kind.
    func require(_ expected: ModelKind, instead given: String? = nil) throws(CAPIError) {
        guard kind != expected else { return }
        let instead: String
        if let given {
            instead = given
        } else {
            instead = ModelHandle.functions(for: kind)
        }
        throw .invalidArgument("the model is \(kind.withArticle), not \(expected.withArticle) (\(instead))")
    }

    /// What serves a model of `kind`, for the message of ``require(_:instead:)``.
    private static func functions(for kind: ModelKind) -> String {
        let instead: String
        switch kind {
        case .classifier: instead = "mlp_model_predict and mlp_model_predict_proba predict a classifier's classes"
        case .regressor: instead = "mlp_model_predict_values predicts a regressor's targets"
        case .autoencoder: instead = "mlp_model_reconstruct and mlp_model_codes serve an autoencoder"
        }
        return instead
    }
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
        try Arguments.finiteFeatures(raw, columns: cols, scaling: scaling, "x")
        guard rows > 0, let base = raw.baseAddress else { return nil }
        return ScaledInputs(base: base, sampleCount: rows, featureCount: cols, scaling: scaling)
    }

    /// Checks the caller's output buffer: `length` must be `rows × perRow`, the pointer non-NULL
    /// unless that is 0 (`names`: the buffer's and its length's parameters).
    func output<Output>(
        _ out: UnsafeMutablePointer<Output>?, length: Int, rows: Int, perRow: Int, names: (buffer: String, length: String)
    ) throws(CAPIError) -> UnsafeMutableBufferPointer<Output> {
        try output(out, length: length, rows: rows, perRow: perRow, names: names,
                   explanation: perRow == 1 ? "one class per row" : "rows × classes = \(rows) × \(perRow)")
    }

    /// As ``output(_:length:rows:perRow:names:)``, with the explanation of the expected length.
    func output<Output>(
        _ out: UnsafeMutablePointer<Output>?, length: Int, rows: Int, perRow: Int, names: (buffer: String, length: String),
        explanation: String
    ) throws(CAPIError) -> UnsafeMutableBufferPointer<Output> {
        let needed = rows * perRow
        try Arguments.length(length, expected: needed, names.length, explanation)
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

    /// The network's outputs (`layer` nil) or the outputs of hidden layer `layer`, row-major,
    /// `rows × width`: a regressor's predictions, an autoencoder's reconstruction or its codes.
    /// - Throws: `MLP_ERROR_OUT_OF_MEMORY` when the result will not fit, `MLP_ERROR_FORMAT`
    ///   naming the first sample whose output is not finite.
    func values(_ inputs: ScaledInputs, layer: Int? = nil, what: String) throws(CAPIError) -> [Float] {
        let rows = inputs.sampleCount
        let width = layer.map { network.layerSizes[$0 + 1] } ?? outputCount
        try Allocation.check(Allocation.sum(Allocation.bytes(Float.self, count: rows, width), workingBytes(rows: rows)),
                             for: "computing the \(what) of \(rows) samples, \(width) per sample")
        var result = [Float]()
        result.reserveCapacity(rows * width)
        try forEachOutputBlock(of: inputs, layer: layer) { _, outputs in
            outputs.withUnsafeBufferPointer { result.append(contentsOf: $0) }
        }
        return result
    }

    /// The network's outputs (or hidden layer `layer`'s) for ``blockRows`` samples at a time,
    /// each checked finite, passed to `body` with the block's first row.
    private func forEachOutputBlock(of inputs: ScaledInputs, layer: Int? = nil, _ body: (Int, Matrix) -> Void) throws(CAPIError) {
        var start = 0
        while start < inputs.sampleCount {
            let end = Swift.min(start + ModelHandle.blockRows, inputs.sampleCount)
            do throws(NeuralNetworkError) {
                if let layer {
                    let outputs = network.layerOutputs(for: inputs.rows(start..<end), layer: layer)
                    try Network.checkFinite(outputs)
                    body(start, outputs)
                } else {
                    body(start, try network.checkedOutputs(for: inputs.rows(start..<end)))
                }
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
        return Allocation.sum(Allocation.bytes(Float.self, count: block, outputCount),
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
