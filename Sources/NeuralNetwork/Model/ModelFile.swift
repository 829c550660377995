import Foundation
import LinearAlgebra
import MLPCore

/// An error reading or writing a model file; prints as one line naming the file.
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What went wrong.
    public let problem: Problem

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The file could not be read (missing, unreadable).
        case cannotRead(String)
        /// The file could not be written.
        case cannotWrite(String)
        /// The contents are not a valid model.
        case invalid(SafeTensorsProblem)

        public var description: String {
            switch self {
            case .cannotRead(let reason): return "cannot read: \(reason)"
            case .cannotWrite(let reason): return "cannot write: \(reason)"
            case .invalid(let problem): return problem.description
            }
        }
    }

    public var description: String { "model file \(path): \(problem)" }
}

/// The kinds of model a file can hold.
public enum ModelKind: String, Sendable, Hashable, CaseIterable {
    case classifier, regressor, autoencoder

    /// The kind with its article: "a classifier", "an autoencoder".
    public var withArticle: String { self == .autoencoder ? "an \(rawValue)" : "a \(rawValue)" }
}

/// A model read from a file whose kind is not known in advance.
public enum SavedModel: Sendable {
    case classifier(MLPClassifier)
    case regressor(MLPRegressor)
    case autoencoder(Autoencoder)

    /// The model's kind.
    public var kind: ModelKind { type(of: model).kind }

    /// The model inside.
    public var model: any NeuralNetworkModel {
        switch self {
        case .classifier(let model): return model
        case .regressor(let model): return model
        case .autoencoder(let model): return model
        }
    }

    /// The trained network inside.
    public var network: Network? { model.network }

    /// The model in the bytes of a model file (what ``load(from:)`` reads from disk).
    /// - Throws: ``SafeTensorsProblem`` for bytes that are not a valid model file.
    public static func decode(_ bytes: [UInt8]) throws(SafeTensorsProblem) -> SavedModel {
        try ModelFile.decode(SafeTensors.parse(bytes))
    }

    /// Reads a model written by any model's `save(to:)`.
    /// - Throws: ``ModelFileError`` for a missing, truncated or corrupt file, a tensor of another
    ///   dtype or shape, or metadata that does not describe a model.
    public static func load(from path: String) throws(ModelFileError) -> SavedModel {
        let bytes = try ModelFile.read(path)
        do {
            return try ModelFile.decode(SafeTensors.parse(bytes))
        } catch {
            throw ModelFileError(path: path, problem: .invalid(error))
        }
    }
}

/// The mapping between models and safetensors files.
///
/// Tensors: `layers.<i>.weight` of shape `[fanIn, fanOut]` and `layers.<i>.bias` of shape
/// `[fanOut]`, first layer first. Metadata (all strings): `format` (`swift-mlp`),
/// `format_version` (`1`), `model_kind`, `configuration` (the ``TrainingConfiguration`` as JSON),
/// `layer_sizes` (JSON array), `hidden_activation`, `loss`, `input_scaling` (default
/// `pixel / 255`), for a classifier `classes` (JSON array) and, if given, `class_names`
/// (JSON array), `history` (the ``TrainingHistory`` as JSON) and `blas_configuration` (the
/// OpenBLAS configuration, with its kernel, that trained the model), and for a model trained on a
/// table, `feature_names` and `target_names` (JSON arrays). The optimiser's state is not
/// saved: a `partialFit` after loading starts with fresh moments; a ``TrainingCheckpoint`` saves
/// it, with everything else a run needs to continue exactly.
enum ModelFile {
    static let format = "swift-mlp"
    static let version = "1"

    static func encode(_ saved: SavedModel) -> SafeTensors {
        let core = saved.model.core
        let network = core.fitted("save")
        let history = core.history
        var tensors = [SafeTensors.Tensor]()
        for (index, layer) in network.layers.enumerated() {
            tensors.append(.init(name: "layers.\(index).weight", shape: [layer.fanIn, layer.fanOut],
                                 values: Array(network.parameters[layer.offset..<layer.biasOffset])))
            tensors.append(.init(name: "layers.\(index).bias", shape: [layer.fanOut],
                                 values: Array(network.parameters[layer.biasOffset..<layer.endOffset])))
        }
        var metadata = [
            "format": format, "format_version": version, "model_kind": saved.kind.rawValue,
            "configuration": json(core.configuration), "layer_sizes": json(network.layerSizes),
            "hidden_activation": network.hiddenActivation.name, "loss": network.loss.name,
            "input_scaling": core.inputScaling.description, "history": json(history),
        ]
        if case .classifier(let classifier) = saved {
            metadata["classes"] = json(classifier.classes)
            if let names = classifier.classNames { metadata["class_names"] = json(names) }
        }
        if let blas = history.blasConfiguration { metadata["blas_configuration"] = blas }
        if let names = core.featureNames { metadata["feature_names"] = json(names) }
        if let names = core.targetNames { metadata["target_names"] = json(names) }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    static func decode(_ file: SafeTensors) throws(SafeTensorsProblem) -> SavedModel {
        let metadata = file.metadata
        func value(_ key: String) throws(SafeTensorsProblem) -> String {
            guard let text = metadata[key] else { throw .badMetadata("the key '\(key)' is missing") }
            return text
        }
        func decoded<T: Decodable>(_ type: T.Type, _ key: String) throws(SafeTensorsProblem) -> T {
            let text = try value(key)
            do {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            } catch {
                throw .badMetadata("'\(key)' is not valid: \(SafeTensorsProblem.excerpt(text))")
            }
        }
        guard metadata["format"] == format else {
            throw .badMetadata(metadata["format"] == TrainingCheckpoint.format
                ? "a training checkpoint, not a model: resume it with mlp train --resume, or use the model the run saved"
                : "not a swift-mlp model (format '\(SafeTensorsProblem.excerpt(metadata["format"] ?? "none"))')")
        }
        guard let kind = ModelKind(rawValue: try value("model_kind")) else {
            throw .badMetadata("unknown model_kind '\(SafeTensorsProblem.excerpt(metadata["model_kind"] ?? ""))'")
        }
        let configuration = try decoded(TrainingConfiguration.self, "configuration")
        do {
            try configuration.validate()
        } catch {
            throw .badMetadata("the configuration is not valid: \(SafeTensorsProblem.excerpt(error.description, limit: 160))")
        }
        let layerSizes = try decoded([Int].self, "layer_sizes")
        guard layerSizes.count >= 2, layerSizes.count <= 1_000, layerSizes.allSatisfy({ $0 > 0 && $0 <= 1 << 28 }) else {
            throw .badMetadata("layer_sizes \(layerSizes.prefix(8)) do not describe a network")
        }
        guard Array(layerSizes.dropFirst().dropLast()) == configuration.hiddenLayerSizes else {
            throw .badMetadata("layer_sizes \(layerSizes) disagree with the configuration's hidden layers \(configuration.hiddenLayerSizes)")
        }
        let activation: Activation
        let loss: LossFunction
        do {
            activation = try Activation(name: try value("hidden_activation"))
            loss = try LossFunction(name: try value("loss"))
        } catch let error as SafeTensorsProblem {
            throw error
        } catch {
            throw .badMetadata(SafeTensorsProblem.excerpt("\(error)", limit: 200))
        }
        let history = (try? decoded(TrainingHistory.self, "history")) ?? TrainingHistory()
        // Files without the key take the model kind's default scaling.
        var inputScaling: InputScaling?
        if let text = metadata["input_scaling"] {
            do {
                inputScaling = try InputScaling(parsing: text)
            } catch {
                throw .badMetadata(error.description)
            }
        }

        var parameters = [Float]()
        for index in 0..<(layerSizes.count - 1) {
            let (fanIn, fanOut) = (layerSizes[index], layerSizes[index + 1])
            for (name, shape) in [("layers.\(index).weight", [fanIn, fanOut]), ("layers.\(index).bias", [fanOut])] {
                guard let tensor = file[name] else { throw .missingTensor(name) }
                guard tensor.shape == shape else { throw .shapeMismatch(tensor: name, expected: shape, found: tensor.shape) }
                parameters += tensor.values
            }
        }
        if let index = parameters.firstIndex(where: { !$0.isFinite }) {
            throw .badMetadata("weight \(index) of the network is \(parameters[index]); a model's weights must be finite")
        }
        let network = Network(layerSizes: layerSizes, hiddenActivation: activation, loss: loss, parameters: parameters)
        if let inputScaling, !inputScaling.fits(featureCount: network.inputCount) {
            throw .badMetadata("the input scaling has \(inputScaling.featureCount ?? 0) per-feature terms for \(network.inputCount) inputs")
        }
        func names(_ key: String, count: Int?) throws(SafeTensorsProblem) -> [String]? {
            guard metadata[key] != nil else { return nil }
            let names = try decoded([String].self, key)
            if let count, names.count != count {
                throw .badMetadata("\(names.count) \(key) for \(count) columns")
            }
            guard names.allSatisfy({ name in
                !name.isEmpty && name.count <= 200 && SafeTensorsProblem.excerpt(name, limit: 200) == name
            }) else {
                throw .badMetadata("\(key) must have 1 to 200 characters and no control characters")
            }
            return names
        }
        let featureNames = try names("feature_names", count: network.inputCount)
        let targetNames = try names("target_names", count: kind == .classifier ? 1 : kind == .regressor ? network.outputCount : nil)

        switch kind {
        case .classifier:
            guard loss == .softmaxCrossEntropy else { throw .badMetadata("a classifier needs softmax cross-entropy, found \(loss.name)") }
            let classes = try decoded([Int].self, "classes")
            guard classes.count == network.outputCount, Set(classes).count == classes.count else {
                throw .badMetadata("\(classes.count) distinct classes are needed for \(network.outputCount) outputs, found \(classes.prefix(12))")
            }
            guard classes == classes.sorted(), classes.allSatisfy({ Int32(exactly: $0) != nil }) else {
                throw .badMetadata("the classes \(classes.prefix(12)) must be sorted ascending 32-bit integers")
            }
            var model = MLPClassifier(network: network, classes: classes, configuration: configuration)
            model.classNames = try names("class_names", count: classes.count)
            return .classifier(restored(model))
        case .regressor:
            guard case .squaredError = loss else { throw .badMetadata("a regressor needs a squared-error loss, found \(loss.name)") }
            return .regressor(restored(MLPRegressor(network: network, configuration: configuration)))
        case .autoencoder:
            // A code needs a hidden layer: without one there are no features to take.
            guard case .squaredError = loss, network.inputCount == network.outputCount, layerSizes.count >= 3 else {
                throw .badMetadata("an autoencoder needs a squared-error loss, as many outputs as inputs and a hidden layer")
            }
            return .autoencoder(restored(Autoencoder(network: network, configuration: configuration)))
        }

        /// `model` with what every kind keeps besides its network: the scaling (the kind's
        /// default when the file has none), history and column names.
        func restored<Model: NeuralNetworkModel>(_ model: Model) -> Model {
            var model = model
            model.inputScaling = inputScaling ?? model.inputScaling
            model.core.history = history
            model.core.featureNames = featureNames
            model.core.targetNames = targetNames
            return model
        }
    }

    /// The bytes of the file at `path`.
    static func read(_ path: String, kind: String = "model file") throws(ModelFileError) -> [UInt8] {
        do {
            // A model file holds a header of at most 100 MB and float32 tensors.
            return try RegularFile.read(path, limit: 1 << 40)
        } catch {
            let reason: String
            switch error {
            case .missing: reason = "no such file"
            case .notARegularFile(let what): reason = "is \(what), not a \(kind)"
            default: reason = error.description
            }
            throw ModelFileError(path: path, problem: .cannotRead(reason))
        }
    }

    /// Writes `file` atomically.
    static func write(_ file: SafeTensors, to path: String) throws(ModelFileError) {
        do {
            try AtomicFile.write(file.serialized(), to: path)
        } catch {
            throw ModelFileError(path: path, problem: .cannotWrite(error.reason))
        }
    }

    /// Compact JSON of an encodable value (sorted keys, so files are reproducible).
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
