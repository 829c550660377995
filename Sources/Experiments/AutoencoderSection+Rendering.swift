import LinearAlgebra
import Reporting

extension AutoencoderSection {
    /// Section C4 as text, the error table, the loss chart, the reconstructions, the goal,
    /// configuration and the numbers of `results.json`.
    public static func render(_ results: Results, context: ExperimentContext) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.paragraph(Narrative.setup(results))
            result.table(errorTable(results))
            result.paragraph(Narrative.pcaBaseline(results))
            result.paragraph(Narrative.validationAndTest(results))
            if results.configuration.includeOriginalRate { result.paragraph(Narrative.originalRate) }
            let chart = LossCurves.chart(
                title: "Autoencoder loss per epoch (MSE per pixel, log scale)", yLabel: "MSE per pixel",
                curves: results.models.map { ($0.name, $0.model.history.lossCurve, $0.model.history.validationLossCurve) },
                logarithmic: true)
            result.figure(svg: chart.svg(), fileName: "autoencoder-loss.svg", caption: Narrative.lossCaption)
            drawReconstructions(results.reconstructions, into: &result)
            result.numbers = numbers(results)
            result.goals = context.quick ? [] : goals(results)
            result.configuration = context.commonConfiguration + configurationRows(results)
        }
    }

    static func errorTable(_ results: Results) -> Table {
        var table = Table(title: "Reconstruction error (MSE per pixel)",
                          headers: ["Model", "Learning rate", "Epochs (kept / run)", "Train MSE", "Val MSE", "Test MSE",
                                    "Val MSE / PCA floor", "Seconds"],
                          alignments: [.left, .right, .right, .right, .right, .right, .right, .right])
        func mse(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 5) }
        for model in results.models {
            table.addRow([Narrative.modelName(model), Cell.learningRate(model.learningRate),
                          "\(model.keptEpoch) / \(model.model.history.epochsRun)", mse(model.errors.training),
                          mse(model.errors.validation), mse(model.errors.test),
                          NumberFormat.fixed(model.errors.validation / results.pcaErrors.validation, decimals: 3),
                          Cell.seconds(model.seconds)])
        }
        let pca = results.pcaErrors
        table.addRow(["PCA, \(results.configuration.codeSize) components (LAPACK)", "—", "—", mse(pca.training),
                      mse(pca.validation), mse(pca.test), "1.000", "—"])
        return table
    }

    /// The originals and their reconstructions, one row each, as a PNG and as a labelled SVG.
    static func drawReconstructions(_ rows: [Matrix], into result: inout SectionResult) {
        let tiles = rows.map { matrix in (0..<matrix.rows).map { matrix.row($0).map { 1 - $0 } } }
        let grid = ImageGrid(tiles: tiles, tileWidth: 28, tileHeight: 28, padding: 2, scale: 2)
        let labeled = LabeledImageGrid(grid: grid, title: Narrative.reconstructionsTitle, rowLabels: Narrative.reconstructionRows)
        result.figure(png: grid.image(), fileName: "autoencoder-reconstructions.png", caption: Narrative.reconstructionsCaption)
        result.figure(svg: labeled.svg(), fileName: "autoencoder-reconstructions.svg", caption: Narrative.labeledReconstructionsCaption)
    }

    static func numbers(_ results: Results) -> [String: Double] {
        let pca = results.pcaErrors
        var numbers = ["autoencoder.pca.trainingMSE": pca.training, "autoencoder.pca.validationMSE": pca.validation,
                       "autoencoder.pca.testMSE": pca.test, "autoencoder.pca.explainedVariance": results.pca.explainedVarianceRatio]
        for model in results.models {
            let key = "autoencoder.\(model.activation.name).\(Cell.learningRate(model.learningRate))"
            numbers[key + ".trainingMSE"] = model.errors.training
            numbers[key + ".validationMSE"] = model.errors.validation
            numbers[key + ".testMSE"] = model.errors.test
            numbers[key + ".keptEpoch"] = Double(model.keptEpoch)
            numbers[key + ".epochsRun"] = Double(model.model.history.epochsRun)
            numbers[key + ".seconds"] = model.seconds
        }
        return numbers
    }

    /// The identity autoencoder comes within 10% of the PCA floor on the validation rows.
    static func goals(_ results: Results) -> [GoalCheck] {
        let identity = results.identity.errors.validation, pca = results.pcaErrors.validation
        return [GoalCheck(goal: Narrative.floorGoal, met: identity / pca <= 1.10,
                          measured: Narrative.floorMeasured(identity: identity, pca: pca))]
    }

    static func configurationRows(_ results: Results) -> [(key: String, value: String)] {
        let configuration = results.configuration
        return [
            ("Hidden layers", configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")),
            ("Learning rates", configuration.learningRates.map(Cell.learningRate).joined(separator: ", ")),
            ("Max epochs", String(configuration.maxEpochs)), ("Batch size", String(configuration.batchSize)),
            ("Stopping", "validation loss, patience \(configuration.patience), tolerance 0, best epoch restored"),
            ("Loss", "squared error, mean over every pixel; L2 0"), ("Split", results.splitDescription),
        ]
    }
}
