import Reporting

extension ActivationsSection {
    /// Section C2 as text, the table of classifiers, the loss chart, goals, configuration and the
    /// numbers of `results.json`.
    public static func render(_ results: Results, context: ExperimentContext) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.paragraph(Narrative.setup(results))
            result.table(modelTable(results))
            let chart = LossCurves.chart(title: "Fashion-MNIST: loss per epoch for each activation", yLabel: "Cross-entropy",
                                         curves: results.models.map(\.summary.curves))
            result.figure(svg: chart.svg(), fileName: "activations-loss.svg", caption: Narrative.lossCaption)
            result.paragraph(Narrative.original)
            result.numbers = numbers(results)
            result.goals = context.quick ? [] : goals(results)
            let configuration = results.configuration
            result.configuration = context.commonConfiguration + [
                ("Split", results.splitDescription),
                ("Hidden layers", configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")),
                ("Optimiser", "adam, learning rate \(configuration.learningRate)"), ("Batch size", String(configuration.batchSize)),
                ("Max epochs", String(configuration.maxEpochs)), ("Early stopping", "validation rows, patience \(configuration.patience)"),
            ]
        }
    }

    static func modelTable(_ results: Results) -> Table {
        var table = Table(title: "One classifier per activation",
                          headers: ["Activation", "Train loss", "Train acc", "Val loss", "Val acc", "Test acc", "Epochs", "Stopped", "Seconds"],
                          alignments: [.left] + Array(repeating: .right, count: 6) + [.left, .right])
        for model in results.models {
            let summary = model.summary
            table.addRow([summary.name, Cell.loss(summary.trainingLoss), Cell.accuracy(summary.trainingAccuracy),
                          Cell.loss(summary.validationLoss), Cell.accuracy(summary.validationAccuracy),
                          Cell.accuracy(summary.testAccuracy ?? .nan), String(summary.epochsRun), Narrative.stopped(summary),
                          Cell.seconds(summary.seconds)])
        }
        return table
    }

    static func numbers(_ results: Results) -> [String: Double] {
        var numbers: [String: Double] = [:]
        for model in results.models {
            let key = "activations.\(model.summary.name)"
            numbers[key + ".validationAccuracy"] = model.summary.validationAccuracy
            numbers[key + ".testAccuracy"] = model.summary.testAccuracy ?? .nan
            numbers[key + ".epochs"] = Double(model.summary.epochsRun)
            numbers[key + ".seconds"] = model.summary.seconds
        }
        return numbers
    }

    /// relu reaches 0.85 on the validation rows; the logistic classifier converges to a useful accuracy.
    static func goals(_ results: Results) -> [GoalCheck] {
        let relu = results.validationAccuracy(of: .relu) ?? .nan
        var goals = [GoalCheck(goal: Narrative.reluGoal, met: relu >= 0.85, measured: Cell.accuracy(relu))]
        if let logistic = results.model(.sigmoid)?.summary {
            goals.append(GoalCheck(goal: Narrative.logisticGoal, met: logistic.converged && logistic.validationAccuracy >= 0.8,
                                   measured: Narrative.logisticMeasured(logistic)))
        }
        return goals
    }
}
