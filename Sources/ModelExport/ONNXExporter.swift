import Foundation
import MLPCore
import NeuralNetwork
import SwiftProtobuf

/// Writes a trained model as a standard ONNX graph, for onnxruntime and any other ONNX runtime.
///
/// The graph (opset ``opsetVersion``, IR version ``irVersion``) takes one input, `input`: float32
/// raw values of shape `[batch, d]`, `batch` symbolic, exactly what the model's own prediction
/// takes before its `InputScaling`. It computes
///
/// ```
/// A₀ = input × scales + offsets            Mul, Add (per feature; left out when 1 and 0)
/// Aₗ = f(Aₗ₋₁ · Wₗ + bₗ)                    Gemm, then the hidden activation's node
/// output = softmax(A_L) or A_L              Softmax (axis 1) for a classifier
/// ```
///
/// with `(scales, offsets)` the scaling's `affine(featureCount:)` and each layer's
/// weights `Wₗ` (`fanIn × fanOut`) and bias `bₗ` as initializers. The outputs, by model kind:
///
/// - a classifier: `probabilities` (`[batch, classes]`) and `label` (`[batch]`, int64: the
///   class of the largest probability, the first on ties, as `MLPClassifier.predict(_:)`
///   gives it; `ArgMax` then `Gather` from the class list);
/// - a regressor: `predictions` (`[batch, outputs]`);
/// - an autoencoder: `reconstruction` (`[batch, d]`).
///
/// `metadata_props` records `model_kind`, `input_scaling` (its text form), `layer_sizes`,
/// `hidden_activation`, the output names and, for a classifier, `classes` and `class_names`.
///
/// ```swift
/// let exporter = ONNXExporter(producerVersion: "0.1.0")
/// let model = try exporter.export(modelFile: "model.safetensors", to: "model.onnx")
/// ```
public struct ONNXExporter: Sendable {
    /// The ONNX operator set the graph imports (the default `ai.onnx` domain).
    public static let opsetVersion: Int64 = 17
    /// The ONNX IR version of the file (8 goes with opset 17).
    public static let irVersion: Int64 = 8

    /// The `producer_name` written to the file.
    public var producerName: String
    /// The `producer_version` written to the file.
    public var producerVersion: String

    /// An exporter that signs its files as `producerName` `producerVersion`.
    public init(producerName: String = "swift-mlp", producerVersion: String) {
        self.producerName = producerName
        self.producerVersion = producerVersion
    }

    /// The names of the graph's outputs for a model of `kind`, main output first.
    public static func outputNames(for kind: ModelKind) -> [String] {
        switch kind {
        case .classifier: return ["probabilities", "label"]
        case .regressor: return ["predictions"]
        case .autoencoder: return ["reconstruction"]
        }
    }

    /// Reads the model file at `modelFile` and writes its ONNX graph to `path` atomically (a
    /// temporary file, then a rename: a failed export leaves `path` as it was).
    /// - Returns: the model that was exported.
    /// - Throws: ``ONNXExportError`` for a file that is not a model, a path that cannot be
    ///   written or is the model file itself, or a network that cannot be exported.
    @discardableResult
    public func export(modelFile: String, to path: String) throws(ONNXExportError) -> SavedModel {
        let model: SavedModel
        do {
            model = try SavedModel.load(from: modelFile)
        } catch {
            throw .cannotLoad(error)
        }
        if Self.isSameFile(modelFile, path) { throw .outputIsInput(path) }
        try write(model, to: path)
        return model
    }

    /// Writes `model`'s ONNX graph to `path` atomically.
    /// - Throws: ``ONNXExportError`` for an unfitted model, an activation with no operator, or a
    ///   path that cannot be written.
    public func write(_ model: SavedModel, to path: String) throws(ONNXExportError) {
        let bytes = try serialized(model)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }

    /// The bytes of `model`'s ONNX file (a serialized `onnx.ModelProto`).
    /// - Throws: ``ONNXExportError`` for an unfitted model, an activation with no operator, or a
    ///   network too large for one protobuf message.
    public func serialized(_ model: SavedModel) throws(ONNXExportError) -> [UInt8] {
        let proto = try modelProto(model)
        do {
            return try proto.serializedBytes()
        } catch {
            throw .cannotEncode("\(error)")
        }
    }

    /// The `onnx.ModelProto` of `model`.
    func modelProto(_ saved: SavedModel) throws(ONNXExportError) -> Onnx_ModelProto {
        guard let network = saved.network else { throw .notFitted(saved.kind) }
        // Four bytes a parameter, and room for the graph around them.
        guard network.parameterCount <= (Int(Int32.max) - (1 << 24)) / 4 else {
            throw .tooLarge(parameterCount: network.parameterCount)
        }
        let outputNames = Self.outputNames(for: saved.kind)
        var builder = ONNXGraphBuilder()
        var current = "input"

        // The input scaling, as our prediction applies it: raw × scale, then + offset.
        let (scales, offsets) = saved.model.inputScaling.affine(featureCount: network.inputCount)
        precondition(scales.count == network.inputCount && offsets.count == network.inputCount,
                     "the input scaling gives \(scales.count) scales and \(offsets.count) offsets for \(network.inputCount) features")
        if scales.contains(where: { $0 != 1 }) {
            builder.addInitializer("input_scales", dimensions: [network.inputCount], values: scales)
            current = builder.addNode("Mul", name: "scale_input", inputs: [current, "input_scales"], outputs: ["input_scaled"])
        }
        if offsets.contains(where: { $0 != 0 }) {
            builder.addInitializer("input_offsets", dimensions: [network.inputCount], values: offsets)
            current = builder.addNode("Add", name: "offset_input", inputs: [current, "input_offsets"], outputs: ["features"])
        }

        let isClassifier = network.loss == .softmaxCrossEntropy
        for (index, layer) in network.layers.enumerated() {
            let isLast = index == network.layers.count - 1
            let weights = builder.addInitializer(
                "layers.\(index).weight", dimensions: [layer.fanIn, layer.fanOut],
                values: Array(network.parameters[layer.offset..<layer.biasOffset]))
            let bias = builder.addInitializer(
                "layers.\(index).bias", dimensions: [layer.fanOut],
                values: Array(network.parameters[layer.biasOffset..<layer.endOffset]))
            let activation = try layer.activation.onnxOperator()
            let linearName = isLast && !isClassifier && activation == nil ? outputNames[0] : "layers.\(index).linear"
            current = builder.addNode("Gemm", name: "layers.\(index).gemm", inputs: [current, weights, bias], outputs: [linearName])
            if let activation {
                let outputName = isLast && !isClassifier ? outputNames[0] : "layers.\(index).output"
                current = builder.addNode(activation.type, name: "layers.\(index).\(activation.type.lowercased())",
                                          inputs: [current], outputs: [outputName], attributes: activation.attributes)
            }
        }

        var outputs = [ONNXGraphBuilder.valueInfo(outputNames[0], elementType: .float, dimensions: [nil, network.outputCount])]
        var metadata: [(String, String)] = [
            ("model_kind", saved.kind.rawValue),
            ("input_scaling", saved.model.inputScaling.description),
            ("layer_sizes", "[" + network.layerSizes.map(String.init).joined(separator: ",") + "]"),
            ("hidden_activation", network.hiddenActivation.name),
            ("outputs", outputNames.joined(separator: ",")),
        ]
        if case .classifier(let classifier) = saved {
            let probabilities = builder.addNode("Softmax", name: "softmax", inputs: [current], outputs: [outputNames[0]],
                                                attributes: [ONNXGraphBuilder.attribute("axis", integer: 1)])
            let classList = builder.addInitializer("classes", dimensions: [classifier.classes.count],
                                                   values: classifier.classes.map { Int64($0) })
            let winner = builder.addNode("ArgMax", name: "argmax", inputs: [probabilities], outputs: ["label_index"],
                                         attributes: [ONNXGraphBuilder.attribute("axis", integer: 1),
                                                      ONNXGraphBuilder.attribute("keepdims", integer: 0)])
            builder.addNode("Gather", name: "label_of_index", inputs: [classList, winner], outputs: [outputNames[1]],
                            attributes: [ONNXGraphBuilder.attribute("axis", integer: 0)])
            outputs.append(ONNXGraphBuilder.valueInfo(outputNames[1], elementType: .int64, dimensions: [nil]))
            metadata.append(("classes", "[" + classifier.classes.map(String.init).joined(separator: ",") + "]"))
            if let names = classifier.classNames { metadata.append(("class_names", Self.jsonArray(names))) }
        }

        var graph = Onnx_GraphProto()
        graph.name = "swift_mlp_\(saved.kind.rawValue)"
        graph.docString = "\(saved.kind.withArticle) \(network.layerSizes.map(String.init).joined(separator: "-")) "
            + "(\(network.hiddenActivation.name)) written by \(producerName) \(producerVersion)"
        graph.node = builder.nodes
        graph.initializer = builder.initializers
        graph.input = [ONNXGraphBuilder.valueInfo("input", elementType: .float, dimensions: [nil, network.inputCount])]
        graph.output = outputs

        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.opsetVersion
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion
        model.opsetImport = [opset]
        model.producerName = producerName
        model.producerVersion = producerVersion
        model.graph = graph
        model.metadataProps = metadata.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return model
    }

    /// `names` as a JSON array of strings.
    private static func jsonArray(_ names: [String]) -> String {
        guard let data = try? JSONEncoder().encode(names) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `first` and `second` name the same existing file (after following links).
    static func isSameFile(_ first: String, _ second: String) -> Bool {
        func identity(_ path: String) -> [Int]? {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
                  let device = attributes[.systemNumber] as? Int, let inode = attributes[.systemFileNumber] as? Int else { return nil }
            return [device, inode]
        }
        guard let one = identity(first), let other = identity(second) else { return false }
        return one == other
    }
}
