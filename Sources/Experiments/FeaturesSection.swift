import Datasets
import LinearAlgebra
import NeuralNetwork
import Reporting

/// Section C5: C2's relu classifier trained on the 32-dimensional bottleneck codes of the C4
/// autoencoders, against the same classifier on raw pixels, with a confusion matrix.
public enum FeaturesSection {
    /// Codes standardised with the training codes' mean and standard deviation.
    static func standardized(_ matrices: [Matrix]) -> [Matrix] {
        guard let training = matrices.first, training.rows > 0 else { return matrices }
        let means = training.columnMeans()
        var deviations = [Float](repeating: 0, count: training.columns)
        for row in 0..<training.rows {
            for column in 0..<training.columns {
                let difference = training[row, column] - means[column]
                deviations[column] += difference * difference
            }
        }
        deviations = deviations.map { max(($0 / Float(training.rows)).squareRoot(), 1e-6) }
        return matrices.map { matrix in
            var copy = matrix
            for row in 0..<copy.rows {
                for column in 0..<copy.columns { copy[row, column] = (copy[row, column] - means[column]) / deviations[column] }
            }
            return copy
        }
    }

    /// Runs section C5 with the autoencoders of C4 and the raw-pixel accuracies of C2.
    public static func run(
        _ context: ExperimentContext, data: FashionData, autoencoders: AutoencoderSection.Results,
        raw: ActivationsSection.Results
    ) throws -> SectionResult {
        let started = monotonicSeconds()
        let classifier = ActivationsSection.Configuration.defaults(quick: context.quick)
        let training = data.trainingPart, validation = data.validationPart, test = data.testPart
        let trainingLabels = training.integerLabels, validationLabels = validation.integerLabels, testLabels = test.integerLabels
        var result = SectionResult(key: "features", title: "C5. Classifying in the autoencoders' 32-dimensional feature space (Fashion-MNIST)")
        result.paragraph("Each autoencoder of C4 (learning rate \(Cell.learningRate(autoencoders.relu.learningRate))) encodes "
            + "every image as its \(autoencoders.relu.model.network?.layerSizes[autoencoders.relu.model.bottleneckLayer + 1] ?? 32)-dimensional "
            + "bottleneck output; the codes are standardised with the training codes' mean and standard deviation, and C2's relu "
            + "classifier (hidden 128, 64, Adam 0.002, batch 256, early stopping on the validation rows) is trained on them. "
            + "Split: \(data.splitDescription).")

        var table = Table(title: "Accuracy in the 32-dimensional feature space against raw pixels",
                          headers: ["Autoencoder", "Features: val acc", "Features: test acc", "Raw pixels: val acc", "Raw pixels: test acc", "Original (features vs raw)"],
                          alignments: [.left, .right, .right, .right, .right, .left])
        var best: (name: String, accuracy: Double, predictions: [Int])?
        var bestFeatureAccuracy = -1.0
        for (run, original) in [(autoencoders.relu, "0.791 vs 0.837"), (autoencoders.identity, "0.817 vs 0.826")] {
            let layer = run.model.bottleneckLayer
            let codes = standardized([training, validation, test].map { run.model.features(of: $0, layer: layer) })
            let name = run.activation.name
            context.log("features: classifying \(name) codes")
            let classified = try ClassifierRun.train(
                name: "\(name) codes", configuration: classifier.training(.relu, seed: context.seed, threads: context.threads),
                features: codes[0], labels: trainingLabels, validation: (features: codes[1], labels: validationLabels), context: context)
            let validationAccuracy = classified.atKeptEpoch(classified.validationAccuracy)
            let predictions = classified.model?.predict(codes[2]) ?? []
            let testAccuracy = predictions.isEmpty ? Double.nan : Metrics.accuracy(predicted: predictions, expected: testLabels)
            // Raw pixels: C2's classifier with the autoencoder's activation, as the original compared.
            let rawValidation = raw.validationAccuracy(of: run.activation) ?? raw.validationAccuracy(of: .relu) ?? .nan
            let rawTest = raw.testAccuracy(of: run.activation) ?? raw.testAccuracy(of: .relu) ?? .nan
            table.addRow(["\(name) (raw: \(ActivationsSection.label(run.activation)) classifier)", Cell.accuracy(validationAccuracy),
                          Cell.accuracy(testAccuracy), Cell.accuracy(rawValidation), Cell.accuracy(rawTest), original])
            result.numbers["features.\(name).validationAccuracy"] = validationAccuracy
            result.numbers["features.\(name).testAccuracy"] = testAccuracy
            result.numbers["features.\(name).rawValidationAccuracy"] = rawValidation
            if validationAccuracy > bestFeatureAccuracy, !predictions.isEmpty {
                bestFeatureAccuracy = validationAccuracy
                best = ("\(name) autoencoder codes", testAccuracy, predictions)
            }
        }
        result.table(table)
        result.paragraph("The raw-pixel columns are C2's classifiers with the autoencoder's activation (relu, identity), as in the original's "
            + "comparison (relu 0.791 against 0.837, identity 0.817 against 0.826).")

        if let best {
            let classNames = test.classNames
            let confusion = ConfusionMatrix(expected: testLabels, predicted: best.predictions, classCount: classNames.count)
            result.add(.heading("Confusion matrix: \(best.name), test rows"))
            result.paragraph("The feature model with the best validation accuracy (\(best.name)), on the \(grouped(test.sampleCount)) test rows: "
                + "accuracy \(Cell.accuracy(confusion.accuracy)). Rows are the true classes, columns the predictions.")
            let heatmap = Heatmap.confusionMatrix(confusion.counts, classNames: classNames,
                                                  title: "Confusion matrix: \(best.name) (test rows)")
            result.figure(svg: heatmap.svg(), fileName: "features-confusion.svg", caption: "Confusion matrix on the test rows, with counts")
            var counts = Table(title: "Confusion matrix (true class × predicted class)",
                               headers: ["True \\ predicted"] + classNames.indices.map(String.init),
                               alignments: [.left] + Array(repeating: .right, count: classNames.count))
            for (label, row) in confusion.counts.enumerated() { counts.addRow(["\(label) \(classNames[label])"] + row.map(String.init)) }
            result.table(counts)
            var perClass = Table(title: "Per-class precision and recall", headers: ["Class", "Precision", "Recall", "Samples"],
                                 alignments: [.left, .right, .right, .right])
            for label in classNames.indices {
                perClass.addRow([classNames[label], Cell.accuracy(confusion.precision(of: label)), Cell.accuracy(confusion.recall(of: label)),
                                 String(confusion.counts[label].reduce(0, +))])
            }
            result.table(perClass)
        }
        if !context.quick {
            result.check("≥ 0.82 accuracy from the 32-dimensional features (best validation)", met: bestFeatureAccuracy >= 0.82,
                         measured: Cell.accuracy(bestFeatureAccuracy))
        }
        result.configuration = context.commonConfiguration + [
            ("Features", "bottleneck outputs of the C4 autoencoders, standardised"),
            ("Classifier", "hidden 128, 64, relu, Adam 0.002, batch 256, up to \(classifier.maxEpochs) epochs, early stopping"),
            ("Split", data.splitDescription),
        ]
        result.duration = monotonicSeconds() - started
        return result
    }
}
