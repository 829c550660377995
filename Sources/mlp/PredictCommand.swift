import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting
import MLPCore

/// `mlp predict`: one prediction per input row, for any saved model.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved classifier, regressor or autoencoder, one line per input row.",
        discussion: """
            Inputs: an IDX images file (raw pixels 0–255), a CSV file, or an NPY array of features. A model \
            trained on a table reads a --csv table by its header, picking its feature columns by name (other \
            columns, such as the target, are ignored); other CSV input uses the Kaggle layout, \
            label,pixel1,…,pixel784 (the label is ignored). The model's recorded input scaling (pixel / 255, \
            or the standardisation it was trained with) is applied. Output, one line per row: a classifier's \
            label (with --probabilities, `label,p0,…,pk`), a regressor's values, an autoencoder's \
            reconstruction or, with --codes, its bottleneck features; numbers comma-separated, written so \
            that they read back to the same Float.
            """)

    @Option(help: ArgumentHelp("The model file written by `mlp train`.", valueName: "path"))
    var model: String

    @Option(help: ArgumentHelp("An IDX images file (raw or .gz).", valueName: "file"))
    var idx: String?

    @Option(help: ArgumentHelp("A CSV file: a table with a header row, or images in the Kaggle layout.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("An NPY array of features (samples × features).", valueName: "file.npy"))
    var features: String?

    @Flag(help: "The --csv file is a table with a header row (implied for models trained on a table with a header).")
    var header = false

    @Option(help: ArgumentHelp("Write the predictions here instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Classifiers: also write each class probability.")
    var probabilities = false

    @Flag(help: "Autoencoders: write the bottleneck features (the codes) instead of the reconstruction.")
    var codes = false

    func validate() throws {
        if [idx, csv, features].compactMap({ $0 }).count != 1 {
            throw ValidationError("give exactly one input: --idx FILE, --csv FILE or --features FILE.npy")
        }
        if header && csv == nil { throw ValidationError("--header needs --csv") }
    }

    func run() async throws {
        let saved = try SavedModel.load(from: model)
        if probabilities && saved.kind != .classifier { throw ValidationError("--probabilities is for classifiers; \(model) holds \(saved.kind.withArticle)") }
        if codes && saved.kind != .autoencoder { throw ValidationError("--codes is for autoencoders; \(model) holds \(saved.kind.withArticle)") }
        let input = try ModelInput.read(for: saved.model, modelPath: model, idx: idx, csv: csv, features: features, header: header)
        var text = ""
        switch saved {
        case .classifier(let classifier):
            let scores = classifier.predictProbabilities(input)
            try Network.checkFinite(scores)
            let winners = scores.rowArgmax()
            text.reserveCapacity(input.sampleCount * (probabilities ? 120 : 3))
            let names = classifier.targetNames != nil ? classifier.classNames : nil
            for row in 0..<input.sampleCount {
                text += names?[winners[row]] ?? String(classifier.classes[winners[row]])
                if probabilities {
                    for column in 0..<scores.columns { text += "," + String(scores[row, column]) }
                }
                text += "\n"
            }
        case .regressor(let regressor):
            text = try Self.lines(regressor.predict(input))
        case .autoencoder(let autoencoder):
            text = try Self.lines(codes ? autoencoder.features(of: input, layer: autoencoder.bottleneckLayer) : autoencoder.reconstruct(input))
        }
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// One line per row of `values`, comma-separated.
    static func lines(_ values: Matrix) throws -> String {
        try Network.checkFinite(values)
        var text = ""
        text.reserveCapacity(values.rows * values.columns * 12)
        for row in 0..<values.rows {
            for column in 0..<values.columns {
                if column > 0 { text += "," }
                text += String(values[row, column])
            }
            text += "\n"
        }
        return text
    }
}

/// The inputs of a saved model read from a file, scaled as the model was trained.
enum ModelInput {
    /// The rows of the IDX images, the CSV file (a table by its header for a model trained on a
    /// table, else Kaggle images) or the NPY features, with `model`'s input scaling, checked against
    /// the network's input width (which a model file's per-feature scaling always matches), before
    /// any feature is scaled.
    static func read(
        for model: any NeuralNetworkModel, modelPath: String, idx: String?, csv: String?, features: String?, header: Bool
    ) throws -> any FeatureSource {
        let scaling = model.inputScaling
        let input: any FeatureSource
        if let idx {
            let images = try IDXFile.read(at: idx, expecting: .images)
            let dimensions = images.dimensions
            let count = dimensions.first ?? 0
            let height = dimensions.count > 1 ? dimensions[1] : 1
            let width = dimensions.count > 2 ? dimensions[2] : 1
            input = try Dataset(name: idx, pixels: images.data, labels: [UInt8](repeating: 0, count: count),
                                imageHeight: height, imageWidth: width,
                                classNames: Dataset.numericClassNames(256), normalization: scaling)
        } else if let csv {
            if header || model.featureNames != nil || model.targetNames != nil {
                var reader = TabularCSVReader(featureColumns: model.featureNames)
                reader.ignoredColumns = model.targetNames ?? []
                var table = try reader.read(at: csv)  // the reader refuses cells that are not finite numbers
                table.scaling = scaling
                input = table
            } else {
                var reader = CSVDatasetReader(classNames: Dataset.numericClassNames(256), normalization: scaling)
                reader.labelColumn = .automatic
                input = try reader.read(at: csv)
            }
        } else if let features {
            var table = TabularData(name: features, array: try NPYArray(path: features))
            try table.checkFiniteFeatures()
            table.scaling = scaling
            input = table
        } else {
            throw ValidationError("give exactly one input: --idx FILE, --csv FILE or --features FILE.npy")
        }
        guard input.featureCount == model.network?.inputCount else {
            throw ModelInputError.featureMismatch(model: modelPath, expected: model.network?.inputCount ?? 0, found: input.featureCount)
        }
        return input
    }

}

/// A model and its input that do not fit together.
enum ModelInputError: Error, CustomStringConvertible {
    case featureMismatch(model: String, expected: Int, found: Int)

    var description: String {
        switch self {
        case .featureMismatch(let model, let expected, let found):
            return "\(model) expects \(expected) features per row, the input has \(found)"
        }
    }
}
