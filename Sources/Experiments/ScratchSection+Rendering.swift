import Datasets
import Reporting

extension ScratchSection {
    /// Section B as text, the table of models, the loss chart, goals, configuration and the
    /// numbers of `results.json`.
    public static func render(_ results: Results, context: ExperimentContext) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.paragraph(Narrative.setup(results))
            result.paragraph(Narrative.initialisationScale(results.configuration))
            result.table(modelTable(results))
            let chart = LossCurves.chart(
                title: "MNIST: training (solid) and validation (dashed) loss", yLabel: "Cross-entropy (log scale)",
                curves: results.models.map(\.summary.curves), logarithmic: true)
            result.figure(svg: chart.svg(), fileName: "scratch-loss.svg", caption: Narrative.lossCaption(modelCount: results.models.count))
            result.paragraph(Narrative.zeroInitialisation)
            result.paragraph(Narrative.original)
            if let divergence = Narrative.divergence(results) { result.paragraph(divergence) }
            result.numbers = numbers(results)
            result.goals = goals(results, quick: context.quick)
            result.configuration = context.commonConfiguration + configurationRows(results, seed: context.seed)
        }
    }

    /// Section B when MNIST cannot be loaded: how to get it when it is missing, else the error.
    static func skipped(_ error: DatasetError) -> SectionResult {
        let reason: String
        if case .datasetNotFound = error { reason = Narrative.missingDataAdvice } else { reason = "\(error)" }
        return skipped(reason: reason)
    }

    /// The section, skipped for `reason`.
    static func skipped(reason: String) -> SectionResult {
        .skipped(key: key, title: Narrative.title, reason: reason)
    }

    static func modelTable(_ results: Results) -> Table {
        var table = Table(
            title: results.models.count == 12 ? "Twelve MNIST models" : "\(results.models.count) MNIST models",
            headers: ["Activation", "Init", "Train loss", "Train acc", "Val loss", "Val acc", "Test acc", "Epochs", "Seconds"],
            alignments: [.left, .left] + Array(repeating: .right, count: 7))
        for model in results.models {
            let summary = model.summary
            let names = [model.activation.name, model.initialization.rawValue]
            if let testAccuracy = summary.testAccuracy {
                table.addRow(names + [Cell.loss(summary.trainingLoss), Cell.accuracy(summary.trainingAccuracy),
                                      Cell.loss(summary.validationLoss), Cell.accuracy(summary.validationAccuracy),
                                      Cell.percent(testAccuracy), String(summary.epochsRun), Cell.seconds(summary.seconds)])
            } else {
                let epoch = divergedEpoch(model)
                table.addRow(names + ["diverged at epoch \(epoch)", "—", "—", "—", "—", String(epoch), Cell.seconds(summary.seconds)])
            }
        }
        return table
    }

    static func numbers(_ results: Results) -> [String: Double] {
        var numbers: [String: Double] = [:]
        for model in results.models {
            let key = "scratch.\(model.activation.name).\(model.initialization.rawValue)", summary = model.summary
            numbers[key + ".seconds"] = summary.seconds
            numbers[key + ".epochs"] = Double(summary.epochsRun)
            if let testAccuracy = summary.testAccuracy {
                numbers[key + ".testAccuracy"] = testAccuracy
                if summary.validationAccuracy.isFinite { numbers[key + ".validationAccuracy"] = summary.validationAccuracy }
            } else {
                numbers[key + ".divergedEpoch"] = Double(divergedEpoch(model))
            }
        }
        return numbers
    }

    /// Every non-zero initialisation reaches 97% (checked in full runs at the variance-preserving
    /// scale); every zero-initialised model stays below 50%. A diverged model counts as NaN.
    static func goals(_ results: Results, quick: Bool) -> [GoalCheck] {
        let accuracies = results.models.map { (name: $0.summary.name, zero: $0.initialization == .zero,
                                               accuracy: $0.summary.testAccuracy ?? .nan) }
        let nonZero = accuracies.filter { !$0.zero }, zero = accuracies.filter(\.zero)
        var goals: [GoalCheck] = []
        if results.configuration.initScale == nil && !quick {
            let worst = nonZero.min { ($0.accuracy.isNaN ? -1 : $0.accuracy) < ($1.accuracy.isNaN ? -1 : $1.accuracy) }
            goals.append(GoalCheck(goal: Narrative.nonZeroGoal, met: nonZero.allSatisfy { $0.accuracy >= 0.97 },
                                   measured: worst.map { "lowest \($0.name): \(Cell.percent($0.accuracy))" } ?? "no models"))
        }
        if !zero.isEmpty {
            let highest = zero.map(\.accuracy).filter(\.isFinite).max() ?? .nan
            goals.append(GoalCheck(goal: Narrative.zeroGoal, met: highest < 0.5, measured: "highest \(Cell.percent(highest))"))
        }
        return goals
    }

    static func configurationRows(_ results: Results, seed: UInt64) -> [(key: String, value: String)] {
        let configuration = results.configuration
        return [
            ("Hidden layers", configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")),
            ("Optimiser", "adam, learning rate \(configuration.learningRate)"),
            ("Batch size", String(configuration.batchSize)),
            ("Max epochs", String(configuration.maxEpochs)), ("Patience", String(configuration.patience)),
            ("Init scale", configuration.initScale.map { String($0) } ?? "variance-preserving (He / Xavier)"),
            ("Validation", "\(NumberFormat.grouped(results.validationCount)) rows, stratified, seed \(seed)"),
        ]
    }
}
