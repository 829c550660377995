import Foundation
import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Save/load round trips and every kind of damaged file.
@Suite struct PersistenceTests {

    static func trainedClassifier() throws -> MLPClassifier {
        var configuration = TrainingConfiguration(hiddenLayerSizes: [8, 5], activation: .leakyReLU(slope: 0.2),
                                                  learningRateInit: 0.01, batchSize: 16, maxEpochs: 3, seed: 7, threads: 1)
        configuration.initialization = .heUniform
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TrainingTests.data.features, labels: TrainingTests.data.labels.map { $0 * 10 })
        model.classNames = ["zero", "ten", "twenty"]
        return model
    }

    @Test func classifierRoundTripPredictsIdentically() throws {
        let model = try PersistenceTests.trainedClassifier()
        let path = try temporaryFilePath("classifier.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try MLPClassifier.load(from: path)
        #expect(bits(loaded.network!.parameters) == bits(model.network!.parameters))
        #expect(loaded.network!.layerSizes == [6, 8, 5, 3])
        #expect(loaded.classes == [0, 10, 20] && loaded.classNames == ["zero", "ten", "twenty"])
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.inputScaling == .unitInterval)
        #expect(loaded.history.lossCurve == model.history.lossCurve)
        // The BLAS kernel that trained the model is in its metadata and its history.
        let metadata = try SafeTensors.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).metadata
        #expect(metadata["blas_configuration"] == BLAS.configuration)
        #expect(BLAS.configuration.contains(BLAS.coreName) && BLAS.coreName != "unknown")
        #expect(loaded.history.blasConfiguration == BLAS.configuration)
        let features = TrainingTests.data.features
        #expect(loaded.predict(features) == model.predict(features))
        #expect(bits(loaded.predictProbabilities(features).elements) == bits(model.predictProbabilities(features).elements))
        guard case .classifier = try SavedModel.load(from: path) else {
            Issue.record("SavedModel did not see a classifier")
            return
        }
        #expect(throws: ModelFileError.self) { try MLPRegressor.load(from: path) }
    }

    @Test func historiesWrittenBeforeNewFieldsStillLoad() throws {
        let older = #"{"lossCurve":[0.5,0.25],"samplesSeen":240,"stopReason":"max-epochs"}"#
        let history = try JSONDecoder().decode(TrainingHistory.self, from: Data(older.utf8))
        #expect(history.lossCurve == [0.5, 0.25] && history.samplesSeen == 240 && history.stopReason == .maxEpochs)
        #expect(history.communicationSecondsPerEpoch.isEmpty && history.blasConfiguration == nil)
    }

    @Test func regressorAndAutoencoderRoundTrip() throws {
        let features = TestData.normal(rows: 40, columns: 5, seed: 1)
        var regressor = MLPRegressor(configuration: TrainingConfiguration(hiddenLayerSizes: [7], maxEpochs: 2, seed: 1, threads: 1))
        try regressor.fit(features, targets: TestData.normal(rows: 40, columns: 2, seed: 2))
        var autoencoder = Autoencoder(configuration: TrainingConfiguration(hiddenLayerSizes: [4, 2, 4], activation: .tanh, maxEpochs: 2, seed: 1, threads: 1))
        try autoencoder.fit(features)
        let regressorPath = try temporaryFilePath("regressor.safetensors")
        let autoencoderPath = try temporaryFilePath("autoencoder.safetensors")
        defer {
            try? FileManager.default.removeItem(atPath: regressorPath)
            try? FileManager.default.removeItem(atPath: autoencoderPath)
        }
        try regressor.save(to: regressorPath)
        try autoencoder.save(to: autoencoderPath)
        let loadedRegressor = try MLPRegressor.load(from: regressorPath)
        let loadedAutoencoder = try Autoencoder.load(from: autoencoderPath)
        #expect(bits(loadedRegressor.predict(features).elements) == bits(regressor.predict(features).elements))
        #expect(bits(loadedAutoencoder.reconstruct(features).elements) == bits(autoencoder.reconstruct(features).elements))
        #expect(bits(loadedAutoencoder.features(of: features, layer: 1).elements)
                == bits(autoencoder.features(of: features, layer: 1).elements))
    }

    /// An autoencoder file without a hidden layer has no code to take (`mlp predict --codes`
    /// trapped on one): it is refused as it is read.
    @Test func anAutoencoderWithoutAHiddenLayerIsRefused() throws {
        let network = Network(layerSizes: [3, 3], hiddenActivation: .relu, loss: .meanSquaredError,
                              parameters: [Float](repeating: 0.5, count: 12))
        let autoencoder = Autoencoder(network: network, configuration: TrainingConfiguration(hiddenLayerSizes: []))
        let bytes = ModelFile.encode(autoencoder.savedModel).serialized()
        #expect(throws: SafeTensorsProblem.badMetadata(
            "an autoencoder needs a squared-error loss, as many outputs as inputs and a hidden layer")) {
            _ = try SavedModel.decode(bytes)
        }
    }

    @Test func layoutFollowsTheSafetensorsFormat() throws {
        let model = try PersistenceTests.trainedClassifier()
        let bytes = ModelFile.encode(.classifier(model)).serialized()
        var headerLength = 0
        for index in (0..<8).reversed() { headerLength = headerLength << 8 | Int(bytes[index]) }
        #expect(headerLength % 8 == 0)
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any]
        let weight = header?["layers.0.weight"] as? [String: Any]
        #expect(weight?["dtype"] as? String == "F32")
        #expect(weight?["shape"] as? [Int] == [6, 8])
        #expect(weight?["data_offsets"] as? [Int] == [0, 6 * 8 * 4])
        let metadata = header?["__metadata__"] as? [String: String]
        #expect(metadata?["model_kind"] == "classifier")
        #expect(metadata?["input_scaling"] == "x / 255")
        #expect(bytes.count == 8 + headerLength + model.network!.parameterCount * 4)
        // The first weight, little-endian float32 at the start of the data.
        let first = UInt32(bytes[8 + headerLength]) | UInt32(bytes[9 + headerLength]) << 8
            | UInt32(bytes[10 + headerLength]) << 16 | UInt32(bytes[11 + headerLength]) << 24
        #expect(first == model.network!.parameters[0].bitPattern)
    }

    static func problem(loading bytes: [UInt8]) -> ModelFileError.Problem? {
        let path = (try? temporaryFilePath("damaged.safetensors")) ?? "damaged.safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try AtomicFile.write(bytes, to: path)
            _ = try SavedModel.load(from: path)
            return nil
        } catch let error as ModelFileError {
            return error.problem
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// Rewrites the JSON header of a valid file with `edit` applied to its text.
    static func editedHeader(_ bytes: [UInt8], _ edit: (String) -> String) -> [UInt8] {
        var headerLength = 0
        for index in (0..<8).reversed() { headerLength = headerLength << 8 | Int(bytes[index]) }
        var header = Array(edit(String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)).utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var length = UInt64(header.count).littleEndian
        var result = withUnsafeBytes(of: &length) { Array($0) }
        result += header
        result += bytes[(8 + headerLength)...]
        return result
    }

    @Test func damagedFilesGiveTypedErrors() throws {
        let model = try PersistenceTests.trainedClassifier()
        let good = ModelFile.encode(.classifier(model)).serialized()

        let missing = "/nonexistent-\(getpid())/model.safetensors"
        #expect(throws: ModelFileError(path: missing, problem: .cannotRead("no such file"))) { try SavedModel.load(from: missing) }
        let directory = NSTemporaryDirectory()
        #expect(throws: ModelFileError(path: directory, problem: .cannotRead("is a directory, not a model file"))) {
            try SavedModel.load(from: directory)
        }

        // Truncations: inside the length, inside the header, inside the data.
        for cut in [0, 5, 20, good.count - 3] {
            guard case .invalid(let problem)? = PersistenceTests.problem(loading: Array(good.prefix(cut))) else {
                Issue.record("cut at \(cut) loaded")
                continue
            }
            switch problem {
            case .truncated, .corruptHeader: break
            default: Issue.record("cut at \(cut): \(problem)")
            }
        }
        if case .invalid(.truncated)? = PersistenceTests.problem(loading: Array(good.dropLast(4))) {} else {
            Issue.record("a file missing its last float is not reported as truncated")
        }
        // Corrupted header bytes.
        var scribbled = good
        for index in 8..<40 { scribbled[index] = 0x7b }
        // (32 opening braces: refused for nesting before the JSON parser would refuse them.)
        if case .invalid(.corruptHeader)? = PersistenceTests.problem(loading: scribbled) {} else {
            Issue.record("a scribbled header is not reported as corrupt: \(String(describing: PersistenceTests.problem(loading: scribbled)))")
        }
        // A huge claimed header length.
        var huge = good
        huge[7] = 0x7f
        if case .invalid(.truncated)? = PersistenceTests.problem(loading: huge) {} else { Issue.record("huge header length") }
        // Another dtype.
        let f16 = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "\"F32\"", with: "\"F16\"") }
        if case .invalid(.unsupportedDtype(_, "F16"))? = PersistenceTests.problem(loading: f16) {} else { Issue.record("F16 accepted") }
        // A shape that disagrees with the metadata (same byte count, transposed).
        let transposed = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "[6,8]", with: "[8,6]") }
        #expect(PersistenceTests.problem(loading: transposed)
                == .invalid(.shapeMismatch(tensor: "layers.0.weight", expected: [6, 8], found: [8, 6])))
        // A shape whose size disagrees with its offsets.
        let wrongSize = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "[6,8]", with: "[6,9]") }
        if case .invalid(.corruptHeader)? = PersistenceTests.problem(loading: wrongSize) {} else { Issue.record("size mismatch accepted") }
        // A missing tensor.
        let renamed = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "layers.1.bias", with: "layers.1.other") }
        #expect(PersistenceTests.problem(loading: renamed) == .invalid(.missingTensor("layers.1.bias")))
        // Bad JSON inside the metadata.
        let badConfiguration = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "\"model_kind\":\"classifier\"", with: "\"model_kind\":\"forest\"") }
        if case .invalid(.badMetadata)? = PersistenceTests.problem(loading: badConfiguration) {} else { Issue.record("unknown kind accepted") }
        let badSizes = PersistenceTests.editedHeader(good) { $0.replacingOccurrences(of: "\"layer_sizes\":\"[6,8,5,3]\"", with: "\"layer_sizes\":\"[6,8,\"") }
        if case .invalid(.badMetadata)? = PersistenceTests.problem(loading: badSizes) {} else { Issue.record("bad layer_sizes accepted") }
        // Random bytes.
        var generator = SeededGenerator(seed: 1)
        let noise = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(PersistenceTests.problem(loading: noise) != nil)
        // Every error prints as one line naming the file.
        do {
            _ = try SavedModel.load(from: missing)
        } catch {
            #expect(error.description.hasPrefix("model file \(missing)") && !error.description.contains("\n"))
        }
    }
}
