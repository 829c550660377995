import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting

/// `mlp evaluate`: accuracy, loss and per-class accuracy of a saved classifier on a test split.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Report a saved classifier's accuracy, cross-entropy loss and per-class accuracy on the test split.")

    @Option(help: ArgumentHelp("The model file written by `mlp train`.", valueName: "path"))
    var model: String

    @OptionGroup var data: DatasetOptions

    func validate() throws {
        try data.validateTestSet()
    }

    func run() async throws {
        let classifier = try MLPClassifier.load(from: model)
        let test = try await data.load(.test).normalized(classifier.inputScaling)
        guard test.featureCount == classifier.network?.inputCount else {
            throw ModelInputError.featureMismatch(model: model, expected: classifier.network?.inputCount ?? 0,
                                                  found: test.featureCount)
        }
        let probabilities = classifier.predictProbabilities(test)
        try Network.checkFinite(probabilities)
        let winners = probabilities.rowArgmax()
        let labels = test.integerLabels
        let accuracy = Metrics.accuracy(predicted: winners.map { classifier.classes[$0] }, expected: labels)
        // Rows and columns are the classifier's output positions; a label it does not know gets
        // the extra last row, which no prediction can match.
        var position = [Int: Int]()
        for (index, label) in classifier.classes.enumerated() { position[label] = index }
        let unknown = classifier.classes.count
        let confusion = ConfusionMatrix(expected: labels.map { position[$0] ?? unknown }, predicted: winners,
                                        classCount: unknown + 1)

        print("Model \(model) on \(test.sampleCount) \(data.sourceDescription) test images")
        print("Accuracy       \(NumberFormat.percent(accuracy))")
        let crossEntropy = Metrics.crossEntropy(probabilities: probabilities, classes: classifier.classes, expected: labels)
        print("Cross-entropy  \(NumberFormat.fixed(crossEntropy, decimals: 4))")
        var table = Table(title: "Per-class accuracy", headers: ["Label", "Class", "Images", "Correct", "Accuracy"],
                          alignments: [.right, .left, .right, .right, .right])
        for (index, label) in classifier.classes.enumerated() {
            let name = classifier.classNames?[index] ?? (data.classNames.indices.contains(label) ? data.classNames[label] : String(label))
            let images = confusion.counts[index].reduce(0, +)
            table.addRow([String(label), name, String(images), String(confusion.counts[index][index]),
                          images == 0 ? "–" : NumberFormat.percent(confusion.recall(of: index))])
        }
        print(table.plainText())
    }
}
