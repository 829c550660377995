import ArgumentParser
import Datasets
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
        let test = try await data.load(.test).normalized(try ModelInput.normalization(of: classifier))
        guard test.featureCount == classifier.network?.inputCount else {
            throw ModelInputError.featureMismatch(model: model, expected: classifier.network?.inputCount ?? 0,
                                                  found: test.featureCount)
        }
        let probabilities = classifier.predictProbabilities(test)
        let predicted = probabilities.rowArgmax().map { classifier.classes[$0] }
        let labels = test.integerLabels
        let evaluation = ClassificationSummary(
            labels: labels, predictions: predicted, probabilities: probabilities, classes: classifier.classes)

        print("Model \(model) on \(test.sampleCount) \(data.sourceDescription) test images")
        print("Accuracy       \(NumberFormat.percent(evaluation.accuracy))")
        print("Cross-entropy  \(NumberFormat.fixed(evaluation.crossEntropy, decimals: 4))")
        let names = classifier.classNames ?? data.classNames
        var table = Table(title: "Per-class accuracy", headers: ["Label", "Class", "Images", "Correct", "Accuracy"],
                          alignments: [.right, .left, .right, .right, .right])
        for (index, label) in classifier.classes.enumerated() {
            let name = label < names.count ? names[label] : String(label)
            table.addRow([String(label), name, String(evaluation.counts[index]), String(evaluation.correct[index]),
                          evaluation.counts[index] == 0 ? "–" : NumberFormat.percent(evaluation.classAccuracy(index))])
        }
        print(table.plainText())
    }
}

/// Accuracy, mean cross-entropy and per-class counts of a classifier's predictions.
struct ClassificationSummary {
    var accuracy: Double
    var crossEntropy: Double
    var counts: [Int]
    var correct: [Int]

    init(labels: [Int], predictions: [Int], probabilities: Matrix, classes: [Int]) {
        var position = [Int: Int]()
        for (index, label) in classes.enumerated() { position[label] = index }
        counts = Array(repeating: 0, count: classes.count)
        correct = Array(repeating: 0, count: classes.count)
        var loss = 0.0
        var hits = 0
        for (sample, label) in labels.enumerated() {
            guard let index = position[label] else {
                loss += -log(Double(Float.leastNormalMagnitude))
                continue
            }
            counts[index] += 1
            if predictions[sample] == label { correct[index] += 1; hits += 1 }
            loss += -log(max(Double(probabilities[sample, index]), Double(Float.leastNormalMagnitude)))
        }
        accuracy = labels.isEmpty ? 0 : Double(hits) / Double(labels.count)
        crossEntropy = labels.isEmpty ? 0 : loss / Double(labels.count)
    }

    func classAccuracy(_ index: Int) -> Double { Double(correct[index]) / Double(max(1, counts[index])) }
}
