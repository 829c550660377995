import Reporting

extension FeaturesSection {
    /// Section C5 as text, the accuracy table, the best model's confusion matrix, the goal,
    /// configuration and the numbers of `results.json`.
    public static func render(_ results: Results, context: ExperimentContext) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.paragraph(Narrative.setup(results))
            result.table(accuracyTable(results))
            result.paragraph(Narrative.rawComparison)
            if let best = results.best, let confusion = results.confusion {
                drawConfusion(best, confusion, results: results, into: &result)
            }
            result.numbers = numbers(results)
            result.goals = context.quick ? [] : [GoalCheck(
                goal: Narrative.accuracyGoal, met: results.bestValidationAccuracy >= 0.82,
                measured: Cell.accuracy(results.bestValidationAccuracy))]
            result.configuration = context.commonConfiguration + [
                ("Features", "bottleneck outputs of the C4 autoencoders, standardised"),
                ("Classifier", Narrative.classifierDescription(results.configuration)), ("Split", results.splitDescription),
            ]
        }
    }

    static func accuracyTable(_ results: Results) -> Table {
        var table = Table(title: "Accuracy in the 32-dimensional feature space against raw pixels",
                          headers: ["Autoencoder", "Features: val acc", "Features: test acc", "Raw pixels: val acc",
                                    "Raw pixels: test acc", "Original (features vs raw)"],
                          alignments: [.left, .right, .right, .right, .right, .left])
        for model in results.models {
            table.addRow([Narrative.modelName(model), Cell.accuracy(model.summary.validationAccuracy),
                          Cell.accuracy(model.summary.testAccuracy ?? .nan), Cell.accuracy(model.rawValidationAccuracy),
                          Cell.accuracy(model.rawTestAccuracy), Narrative.original(model.activation)])
        }
        return table
    }

    /// The heading, paragraph, heatmap, counts and per-class precision and recall of the best model.
    static func drawConfusion(_ best: ModelResult, _ confusion: ConfusionMatrix, results: Results, into result: inout SectionResult) {
        let classNames = results.classNames
        result.add(.heading(Narrative.confusionHeading(best)))
        result.paragraph(Narrative.confusion(best, confusion, testCount: results.testCount))
        let heatmap = Heatmap.confusionMatrix(confusion.counts, classNames: classNames, title: Narrative.heatmapTitle(best))
        result.figure(svg: heatmap.svg(), fileName: "features-confusion.svg", caption: Narrative.heatmapCaption)
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

    static func numbers(_ results: Results) -> [String: Double] {
        var numbers: [String: Double] = [:]
        for model in results.models {
            let key = "features.\(model.activation.name)"
            numbers[key + ".validationAccuracy"] = model.summary.validationAccuracy
            numbers[key + ".testAccuracy"] = model.summary.testAccuracy ?? .nan
            numbers[key + ".rawValidationAccuracy"] = model.rawValidationAccuracy
        }
        return numbers
    }
}
