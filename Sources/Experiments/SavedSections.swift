import Datasets
import Foundation
import NeuralNetwork
import Reporting

/// The finished sections of a reproduction, saved in `<run directory>/sections/` as each one
/// finishes, so that `mlp reproduce --resume` can continue an interrupted run where it stopped:
///
/// - `run.json`: the run's ``Reproduction/Identity``, command line and configuration, written
///   when the run starts;
/// - `<key>.json` (`theory.json`, `scratch.json`, …): each finished section, a ``SectionResult``
///   as JSON, losslessly;
/// - what C5 needs of earlier sections: `activations-classifiers.json` (C2's
///   ``ActivationsSection/Results``) and `autoencoder-relu.safetensors`,
///   `autoencoder-identity.safetensors` (C4's autoencoders, as model files).
///
/// Every file is written atomically, and a section's own file after what it leaves for C5, so a
/// section file that exists is whole, and so is what it left.
struct SavedSections {
    /// The `sections` directory.
    let path: String
    /// The run's identity, command line and configuration.
    let record: Reproduction.RunRecord

    static let recordName = "run.json"
    static let activationsName = "activations-classifiers.json"
    /// The activations of C4's autoencoders that C5 uses, in the order they are saved.
    static let encoderActivations: [Activation] = [.relu, .identity]

    /// The model file of C4's autoencoder with hidden `activation`: `autoencoder-relu.safetensors`, ….
    static func encoderName(_ activation: Activation) -> String { "autoencoder-\(activation.name).safetensors" }

    /// The `sections` directory of `runDirectory`.
    static func sectionsPath(in runDirectory: String) -> String {
        (runDirectory.hasSuffix("/") ? runDirectory : runDirectory + "/") + "sections"
    }

    /// The path of `run.json` in `runDirectory`.
    static func recordPath(in runDirectory: String) -> String { sectionsPath(in: runDirectory) + "/" + recordName }

    /// The path of the file `name` in the `sections` directory.
    func path(of name: String) -> String { path + "/" + name }

    /// The path of the saved section `key`.
    func path(ofSection key: String) -> String { path(of: key + ".json") }

    /// Starts the saved sections of a new run in `runDirectory`: removes the files an earlier run
    /// left there (so that none of them can be taken for this run's), then writes `record`.
    /// - Throws: ``ReportingError/writeFailed(path:reason:)`` when a file cannot be removed or written.
    static func start(in runDirectory: String, record: Reproduction.RunRecord, sectionKeys: [String]) throws(ReportingError) -> SavedSections {
        let saved = SavedSections(path: sectionsPath(in: runDirectory), record: record)
        let names = [recordName, activationsName] + encoderActivations.map(encoderName) + sectionKeys.map { $0 + ".json" }
        for name in names {
            let file = saved.path(of: name)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            do {
                try FileManager.default.removeItem(atPath: file)
            } catch {
                throw .writeFailed(path: file, reason: "cannot remove the earlier run's file: \(error.localizedDescription)")
            }
        }
        var directory = try RunDirectory(path: saved.path)
        try directory.writeJSON(record, to: recordName)
        return saved
    }

    /// The saved sections of the run in `runDirectory`, which has written its `run.json`.
    /// - Throws: ``ResumeError/notARunDirectory(path:)`` without `run.json`,
    ///   ``ResumeError/corruptFile(path:reason:remedy:)`` when it cannot be read.
    static func open(_ runDirectory: String) throws(ResumeError) -> SavedSections {
        let path = sectionsPath(in: runDirectory)
        let file = path + "/" + recordName
        guard FileManager.default.fileExists(atPath: file) else { throw .notARunDirectory(path: runDirectory) }
        let record = try decode(Reproduction.RunRecord.self, from: file,
                                remedy: "start the run again without --resume, or restore the file")
        return SavedSections(path: path, record: record)
    }

    /// The saved sections among `keys` that ran (a section skipped for missing data runs again),
    /// by key.
    /// - Throws: ``ResumeError/corruptFile(path:reason:remedy:)`` for a file that cannot be read or
    ///   decoded, or that holds another section.
    func finishedSections(keys: [String]) throws(ResumeError) -> [String: SectionResult] {
        var sections: [String: SectionResult] = [:]
        for key in keys {
            let file = path(ofSection: key)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            let remedy = "delete it to run that section again"
            let section = try Self.decode(SectionResult.self, from: file, remedy: remedy)
            guard section.key == key else {
                throw .corruptFile(path: file, reason: "it holds section \"\(section.key)\", not \"\(key)\"", remedy: remedy)
            }
            if section.skipped == nil { sections[key] = section }
        }
        return sections
    }

    /// Saves `section`, after what it leaves for C5.
    /// - Throws: ``ReportingError`` when a file cannot be written.
    func save(_ section: SectionResult, leaving carryOver: FashionSections.CarryOver?) throws(ReportingError) {
        var directory = try RunDirectory(path: path)
        switch carryOver {
        case .activations(let results):
            try directory.writeJSON(results, to: Self.activationsName)
        case .encoders(let encoders):
            for (activation, model) in zip(Self.encoderActivations, [encoders.relu, encoders.identity]) {
                let file = path(of: Self.encoderName(activation))
                do {
                    try model.save(to: file)
                } catch {
                    throw .writeFailed(path: file, reason: "\(error.problem)")
                }
            }
        case nil:
            break
        }
        try directory.writeJSON(section, to: section.key + ".json")
    }

    /// C2's classifiers, saved with C2.
    /// - Throws: ``ResumeError/corruptFile(path:reason:remedy:)`` when the file is missing or corrupt.
    func savedActivations() throws(ResumeError) -> ActivationsSection.Results {
        try Self.decode(ActivationsSection.Results.self, from: path(of: Self.activationsName),
                        remedy: "delete \(path(ofSection: ActivationsSection.key)) to run C2 again")
    }

    /// C4's autoencoders, saved with C4, after checking that they are the autoencoders C4 trains
    /// (`quick` or not) on 28×28 images.
    /// - Throws: ``ResumeError/corruptFile(path:reason:remedy:)`` when a file is missing or corrupt,
    ///   or holds another network.
    func savedEncoders(quick: Bool) throws(ResumeError) -> FeaturesSection.Encoders {
        let remedy = "delete \(path(ofSection: AutoencoderSection.key)) to run C4 again"
        let configuration = AutoencoderSection.Configuration.defaults(quick: quick)
        let (height, width) = NamedDataset.fashionMNIST.imageShape
        let expectedSizes = [height * width] + configuration.hiddenLayerSizes + [height * width]
        func load(_ activation: Activation) throws(ResumeError) -> Autoencoder {
            let name = Self.encoderName(activation), file = path(of: name)
            guard FileManager.default.fileExists(atPath: file) else {
                throw .corruptFile(path: path(ofSection: AutoencoderSection.key), reason: "\(name) is missing beside it", remedy: remedy)
            }
            let model: Autoencoder
            do {
                model = try Autoencoder.load(from: file)
            } catch {
                throw .corruptFile(path: file, reason: "\(error.problem)", remedy: remedy)
            }
            guard let network = model.network, network.layerSizes == expectedSizes, network.hiddenActivation == activation else {
                throw .corruptFile(path: file, reason: "it is not C4's \(activation.name) autoencoder "
                                   + expectedSizes.map(String.init).joined(separator: "-"), remedy: remedy)
            }
            return model
        }
        let relu = try load(.relu)
        return FeaturesSection.Encoders(relu: relu, identity: try load(.identity), learningRate: relu.configuration.learningRateInit)
    }

    /// Decodes the JSON file at `path` as `type`, with non-finite numbers as `RunDirectory` writes them.
    static func decode<Value: Decodable>(_ type: Value.Type, from path: String, remedy: String) throws(ResumeError) -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "it is missing"
            throw .corruptFile(path: path, reason: reason, remedy: remedy)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw .corruptFile(path: path, reason: ResumeError.reason(error), remedy: remedy)
        }
    }
}
