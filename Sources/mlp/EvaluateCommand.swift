import ArgumentParser
import Datasets
import Foundation
import LinearAlgebra
import MLPCore
import NeuralNetwork
import Reporting

/// `mlp evaluate`: a saved model's scores on a test set: a classifier's accuracy, loss, macro F1,
/// per-class precision and recall, confusion matrix and (binary) ROC-AUC; a regressor's MAE, RMSE
/// and R²; an autoencoder's reconstruction error.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a saved classifier, regressor or autoencoder on a test set.",
        discussion: """
            A model trained on images is scored on the named dataset's test split (or --csv, --test-csv). A \
            model trained on a table is scored on a --csv table, whose feature and target columns are found by \
            the names the model keeps (--target names the target column when they differ), or on NPY arrays \
            (--features, --targets).
            """)

    @Option(help: ArgumentHelp("The model file written by `mlp train`.", valueName: "path"))
    var model: String

    @OptionGroup var data: DatasetOptions

    @Option(help: ArgumentHelp("The target column(s) of a --csv table (default: the model's target names).", valueName: "names"))
    var target: String?

    @Option(help: ArgumentHelp("An NPY array of test features.", valueName: "file.npy"))
    var features: String?

    @Option(help: ArgumentHelp("An NPY array of test targets (class labels or values).", valueName: "file.npy"))
    var targets: String?

    func validate() throws {
        if targets != nil && features == nil { throw ValidationError("--targets needs --features") }
        if features != nil && (data.csv != nil || data.dataDir != nil || data.dataset != nil) {
            throw ValidationError("--features cannot be combined with --csv, --data-dir or --dataset")
        }
    }

    func run() async throws {
        let saved = try SavedModel.load(from: model)
        let isTable = saved.model.targetNames != nil || saved.model.featureNames != nil || features != nil || target != nil
        if isTable {
            let table = try testTable(for: saved)
            try evaluate(saved, on: table, labels: table.labels, values: table.targetValues, source: table.name)
        } else {
            // Checked before a feature is scaled: a model file's per-feature scaling has one term
            // per network input.
            let images = try await loadImages()
            guard images.featureCount == saved.network?.inputCount else {
                throw ModelInputError.featureMismatch(model: model, expected: saved.network?.inputCount ?? 0, found: images.featureCount)
            }
            let test = images.normalized(saved.model.inputScaling)
            let labels = saved.kind == .classifier ? images.integerLabels.map(String.init) : nil
            try evaluate(saved, on: test, labels: labels, values: nil, source: "\(data.sourceDescription) test images")
        }
    }

    /// The test images: the named dataset's test split, or the --test-csv file, or a lone --csv
    /// file (evaluate needs only a test set).
    func loadImages() async throws -> Dataset {
        if let csv = data.csv, data.testCsv == nil {
            return try CSVDatasetReader(classNames: data.classNames).read(at: csv, name: "test")
        }
        return try await data.load(.test)
    }

    /// The test table, its columns found by the model's names (or --target), scaled as the model was.
    func testTable(for saved: SavedModel) throws -> TabularData {
        let model = saved.model
        let kind: TabularData.TargetKind = saved.kind == .regressor ? .values : .labels
        var table: TabularData
        if let features {
            if saved.kind != .autoencoder && targets == nil { throw ValidationError("--features needs --targets to score \(saved.kind.withArticle)") }
            table = try TabularOptions.npyTable(features: features, targets: targets, kind: kind, name: features)
        } else {
            guard let csv = data.testCsv ?? data.csv else {
                throw ValidationError("give the test table: --csv FILE (with a header row) or --features FILE.npy --targets FILE.npy")
            }
            let targetNames = try target.map { try TabularOptions.names($0, option: "--target") }
                ?? (saved.kind == .autoencoder ? [] : model.targetNames ?? [])
            if saved.kind != .autoencoder && targetNames.isEmpty {
                throw ValidationError("name the target column with --target")
            }
            var reader = TabularCSVReader(targetColumns: targetNames, targetKind: kind, featureColumns: model.featureNames)
            reader.ignoredColumns = model.targetNames ?? []
            table = try reader.read(at: csv)
        }
        try table.checkFiniteFeatures()
        guard table.featureCount == model.network?.inputCount else {
            throw ModelInputError.featureMismatch(model: self.model, expected: model.network?.inputCount ?? 0, found: table.featureCount)
        }
        table.scaling = model.inputScaling
        return table
    }

    func evaluate(_ saved: SavedModel, on test: some FeatureSource, labels: [String]?, values: Matrix?, source: String) throws {
        print("Model \(model) (\(saved.kind.rawValue)) on \(test.sampleCount) rows of \(source)")
        switch saved {
        case .classifier(let classifier):
            guard let labels else { throw ValidationError("the test set has no labels") }
            let probabilities = classifier.predictProbabilities(test)
            try Network.checkFinite(probabilities)
            // A tabular model's labels are its class names; an image model's, its class numbers.
            let names = classifier.targetNames != nil ? (classifier.classNames ?? classifier.classes.map(String.init))
                                                      : classifier.classes.map(String.init)
            var position = [String: Int]()
            for (index, name) in names.enumerated() { position[name] = index }
            let expected = labels.map { position[$0] ?? -1 }
            let scores = ClassificationScores(probabilities: probabilities, expected: expected)
            print("Accuracy       \(NumberFormat.percent(scores.accuracy))")
            let crossEntropy = Metrics.crossEntropy(probabilities: probabilities, classes: Array(0..<names.count), expected: expected)
            print("Cross-entropy  \(NumberFormat.fixed(crossEntropy, decimals: 4))")
            print("Macro F1       \(NumberFormat.fixed(scores.macroF1, decimals: 4))")
            if let auc = scores.rocAUC { print("ROC-AUC        \(NumberFormat.fixed(auc, decimals: 4)) (class \(names[1]) positive)") }
            if scores.unknownLabels > 0 { print("Unknown labels \(scores.unknownLabels) rows (counted as errors)") }
            var table = Table(title: "Per class", headers: ["Label", "Class", "Rows", "Precision", "Recall", "F1"],
                              alignments: [.right, .left, .right, .right, .right, .right])
            for index in 0..<names.count {
                let name = classifier.classNames?[index] ?? names[index]
                table.addRow([names[index], name, String(scores.counts[index].reduce(0, +)),
                              NumberFormat.fixed(scores.precision(of: index), decimals: 4),
                              NumberFormat.fixed(scores.recall(of: index), decimals: 4),
                              NumberFormat.fixed(scores.f1(of: index), decimals: 4)])
            }
            print(table.plainText())
            var confusion = Table(title: "Confusion matrix (rows: true class, columns: predicted)",
                                  headers: ["True \\ predicted"] + names,
                                  alignments: [.left] + names.map { _ in .right })
            for index in 0..<names.count { confusion.addRow([names[index]] + scores.counts[index].map(String.init)) }
            print(confusion.plainText())
        case .regressor(let regressor):
            guard let values else { throw ValidationError("the test set has no numeric targets") }
            guard values.columns == regressor.network?.outputCount else {
                throw ValidationError("\(model) predicts \(regressor.network?.outputCount ?? 0) targets, the test set has \(values.columns)")
            }
            let predictions = regressor.predict(test)
            try Network.checkFinite(predictions)
            let scores = RegressionScores(predicted: predictions, expected: values)
            print("R²    \(NumberFormat.fixed(scores.rSquared, decimals: 4))")
            print("RMSE  \(NumberFormat.significant(scores.rootMeanSquaredError, digits: 5))")
            print("MAE   \(NumberFormat.significant(scores.meanAbsoluteError, digits: 5))")
            if values.columns > 1 {
                let names = regressor.targetNames ?? (0..<values.columns).map { "y\($0)" }
                var table = Table(title: "Per target", headers: ["Target", "R²", "RMSE", "MAE"], alignments: [.left, .right, .right, .right])
                for column in 0..<values.columns {
                    table.addRow([names[column], NumberFormat.fixed(scores.rSquaredValues[column], decimals: 4),
                                  NumberFormat.significant(scores.rootMeanSquaredErrors[column], digits: 5),
                                  NumberFormat.significant(scores.meanAbsoluteErrors[column], digits: 5)])
                }
                print(table.plainText())
            }
        case .autoencoder(let autoencoder):
            let reconstruction = autoencoder.reconstruct(test)
            try Network.checkFinite(reconstruction)
            let error = Metrics.meanSquaredError(predicted: reconstruction, expected: test.featureMatrix())
            print("Reconstruction MSE  \(NumberFormat.significant(error, digits: 5)) per feature")
        }
    }
}
