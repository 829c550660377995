import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting
import MLPCore

/// `mlp predict`: one predicted class per input row.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the class of each image in an IDX or CSV file with a saved classifier.",
        discussion: """
            Input pixels are raw 0–255 values; the model's recorded input scaling (pixel / 255 by default) \
            is applied. CSV input uses the Kaggle layout, label,pixel1,…,pixel784 (the label is ignored). \
            Output: one line per image, the predicted label, or `label,p0,…,p9` with --probabilities.
            """)

    @Option(help: ArgumentHelp("The model file written by `mlp train`.", valueName: "path"))
    var model: String

    @Option(help: ArgumentHelp("An IDX images file (raw or .gz).", valueName: "file"))
    var idx: String?

    @Option(help: ArgumentHelp("A CSV file in the Kaggle layout.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the predictions here instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Also write each class probability.")
    var probabilities = false

    func validate() throws {
        if (idx == nil) == (csv == nil) { throw ValidationError("give exactly one input: --idx FILE or --csv FILE") }
    }

    func run() async throws {
        let classifier = try MLPClassifier.load(from: model)
        let normalization = classifier.inputScaling
        let input: Dataset
        if let idx {
            let images = try IDXFile.read(at: idx, expecting: .images)
            let dimensions = images.dimensions
            let count = dimensions.first ?? 0
            let height = dimensions.count > 1 ? dimensions[1] : 1
            let width = dimensions.count > 2 ? dimensions[2] : 1
            input = try Dataset(name: idx, pixels: images.data, labels: [UInt8](repeating: 0, count: count),
                                imageHeight: height, imageWidth: width,
                                classNames: Dataset.numericClassNames(256), normalization: normalization)
        } else if let csv {
            var reader = CSVDatasetReader(classNames: Dataset.numericClassNames(256), normalization: normalization)
            reader.labelColumn = .automatic
            input = try reader.read(at: csv)
        } else {
            return
        }
        guard input.featureCount == classifier.network?.inputCount else {
            throw ModelInputError.featureMismatch(model: model, expected: classifier.network?.inputCount ?? 0,
                                                  found: input.featureCount)
        }
        let scores = classifier.predictProbabilities(input)
        try Network.checkFinite(scores)
        let winners = scores.rowArgmax()
        var text = ""
        text.reserveCapacity(input.sampleCount * (probabilities ? 120 : 3))
        for row in 0..<input.sampleCount {
            text += String(classifier.classes[winners[row]])
            if probabilities {
                for column in 0..<scores.columns { text += "," + String(scores[row, column]) }
            }
            text += "\n"
        }
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// A model and its input that do not fit together.
enum ModelInputError: Error, CustomStringConvertible {
    case featureMismatch(model: String, expected: Int, found: Int)

    var description: String {
        switch self {
        case .featureMismatch(let model, let expected, let found):
            return "\(model) expects \(expected) features per image, the input has \(found)"
        }
    }
}
