import Datasets
import Foundation
import NeuralNetwork
import Reporting

/// Section C3: solver × learning rate × batch size with stratified k-fold cross-validation on the
/// C2 training rows, then a refit of the best candidate and its test accuracy.
public enum GridSearchSection {
    /// The settings of section C3.
    public struct Configuration: Sendable, Codable {
        public var optimizers: [Optimizer] = [.adam, .sgd]
        public var learningRates = [0.2, 0.002, 2e-5, 2e-7]
        public var batchSizes = [64, 128, 256]
        public var foldCount = 5
        public var hiddenLayerSizes = [128, 64]
        /// The epoch cap of every fit.
        public var maxEpochs = 30
        /// Epochs without a training-loss gain of 1e-4 before a fit stops.
        public var patience = 5
        /// Fold workers: nil measures 1 against every core and takes the faster.
        public var workers: Int? = nil

        public init() {}

        /// The defaults, or for `--quick` a 2 × 2 × 1 grid, 2 folds and 2 epochs.
        public static func defaults(quick: Bool) -> Configuration {
            var configuration = Configuration()
            if quick {
                configuration.learningRates = [0.2, 0.002]
                configuration.batchSizes = [256]
                configuration.foldCount = 2
                configuration.maxEpochs = 2
            }
            return configuration
        }
    }

    /// The timing that chose between sequential and parallel folds.
    public struct ParallelismProbe: Sendable, Codable {
        /// Seconds for the probe's folds one after another, each fit using every core.
        public var sequentialSeconds: Double
        /// Seconds for the same folds in parallel, one thread each.
        public var parallelSeconds: Double
        /// The workers chosen.
        public var workers: Int
    }

    /// Times two folds of a mid-grid candidate (adam, 0.002, 256; 2 epochs) both ways.
    public static func probe(
        _ context: ExperimentContext, base: TrainingConfiguration, folds: [CrossValidationFold], features: Dataset, labels: [Int]
    ) -> ParallelismProbe {
        let cores = context.resolvedThreads
        guard cores > 1 else { return ParallelismProbe(sequentialSeconds: .nan, parallelSeconds: .nan, workers: 1) }
        var probeBase = base
        probeBase.maxEpochs = 2
        let probeFolds = Array(folds.prefix(cores))
        let candidate = GridSearch.Candidate(optimizer: .adam, learningRate: 0.002, batchSize: 256)
        let candidates = [candidate]
        var started = monotonicSeconds()
        _ = GridSearch(base: probeBase, folds: probeFolds, workers: 1).evaluate(candidates, features: features, labels: labels)
        let sequential = monotonicSeconds() - started
        started = monotonicSeconds()
        _ = GridSearch(base: probeBase, folds: probeFolds, workers: cores).evaluate(candidates, features: features, labels: labels)
        let parallel = monotonicSeconds() - started
        return ParallelismProbe(sequentialSeconds: sequential, parallelSeconds: parallel, workers: parallel < sequential ? cores : 1)
    }

    /// The section and the chosen candidate.
    public struct Outcome: Sendable {
        public var result: SectionResult
        public var ranked: [GridSearch.CandidateResult]
        public var probe: ParallelismProbe?
        public var testAccuracy: Double
    }

    /// Runs section C3.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration? = nil) throws -> Outcome {
        let started = monotonicSeconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let training = data.trainingPart
        let labels = training.integerLabels
        let folds = try CrossValidation.stratifiedFolds(labels: labels, foldCount: configuration.foldCount, seed: context.seed)
        var base = TrainingConfiguration(hiddenLayerSizes: configuration.hiddenLayerSizes, activation: .relu,
                                         maxEpochs: configuration.maxEpochs, seed: context.seed, threads: context.threads)
        base.epochsWithoutImprovement = configuration.patience
        let candidates = GridSearch.grid(optimizers: configuration.optimizers, learningRates: configuration.learningRates,
                                         batchSizes: configuration.batchSizes)

        var probe: ParallelismProbe?
        let workers: Int
        if let chosen = configuration.workers {
            workers = chosen
        } else {
            context.log("grid-search: timing sequential against parallel folds")
            let measured = Self.probe(context, base: base, folds: folds, features: training, labels: labels)
            probe = measured
            workers = measured.workers
        }
        let search = GridSearch(base: base, folds: folds, workers: workers)
        let bar = context.progressBar(label: "grid search", total: candidates.count * folds.count)
        let searchStarted = monotonicSeconds()
        let results = search.evaluate(candidates, features: training, labels: labels) { done, _ in bar.update(step: done) }
        bar.finish(clear: true)
        let searchSeconds = monotonicSeconds() - searchStarted
        let ranked = GridSearch.ranked(results)

        var result = SectionResult(key: "grid-search", title: "C3. Grid search: solver × learning rate × batch size (Fashion-MNIST)")
        result.paragraph("\(candidates.count) combinations × \(folds.count)-fold stratified cross-validation on the "
            + "\(grouped(training.sampleCount)) training rows (\(data.splitDescription)). Each fit: hidden layers "
            + "\(configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")), relu, L2 1e-4, up to "
            + "\(configuration.maxEpochs) epochs, stopping when the training loss has not improved by 1e-4 for "
            + "\(configuration.patience) epochs. A fit whose loss becomes NaN counts as accuracy 0.")
        var table = Table(title: "All \(candidates.count) combinations, best first",
                          headers: ["Rank", "Solver", "Learning rate", "Batch size", "Validation accuracy (mean ± std)", "Fit time (s)", "Note"],
                          alignments: [.right, .left, .right, .right, .right, .right, .left])
        for (rank, entry) in ranked.enumerated() {
            table.addRow([String(rank + 1), entry.candidate.optimizer.rawValue, rateText(entry.candidate.learningRate),
                          String(entry.candidate.batchSize), NumberFormat.meanAndDeviation(entry.meanScore, entry.scoreDeviation, decimals: 4),
                          NumberFormat.meanAndDeviation(entry.meanFitSeconds, entry.fitDeviation, decimals: 1),
                          entry.divergedFolds > 0 ? "diverged in \(entry.divergedFolds) of \(folds.count) folds" : ""])
        }
        result.table(table)

        guard let best = ranked.first else { throw NeuralNetworkError.invalidData("the grid is empty") }
        context.log("grid-search: refitting \(best.candidate.description) on all training rows")
        var refitConfiguration = search.configuration(for: best.candidate)
        refitConfiguration.threads = context.threads
        let refit = try ClassifierRun.train(name: "refit", configuration: refitConfiguration, features: training, labels: labels,
                                            validation: nil, context: context)
        let test = data.testPart
        let testAccuracy = refit.model?.score(test, labels: test.integerLabels) ?? .nan
        result.paragraph("Best: solver \(best.candidate.optimizer.rawValue), learning rate \(rateText(best.candidate.learningRate)), "
            + "batch size \(best.candidate.batchSize) (cross-validated accuracy "
            + "\(NumberFormat.meanAndDeviation(best.meanScore, best.scoreDeviation, decimals: 4))). Refit on all "
            + "\(grouped(training.sampleCount)) training rows (\(refit.epochsRun) epochs, \(Cell.seconds(refit.seconds)) s): "
            + "test accuracy \(Cell.accuracy(testAccuracy)) on the \(grouped(test.sampleCount)) test rows. The original chose adam, 0.002, 256.")
        if let probe {
            result.paragraph("Parallelism, measured: \(min(folds.count, context.resolvedThreads)) folds of adam/0.002/256 for 2 epochs took "
                + "\(NumberFormat.fixed(probe.sequentialSeconds, decimals: 2)) s one after another (each fit using "
                + "\(context.resolvedThreads) threads) and \(NumberFormat.fixed(probe.parallelSeconds, decimals: 2)) s in parallel "
                + "(one thread and single-threaded BLAS each); chosen: "
                + (probe.workers > 1 ? "\(probe.workers) folds in parallel." : "one fold at a time."))
        } else {
            result.paragraph("Folds ran with \(workers) worker\(workers == 1 ? "" : "s") (as configured).")
        }
        result.paragraph("The grid search took \(NumberFormat.duration(seconds: searchSeconds)).")
        result.numbers["gridSearch.best.meanScore"] = best.meanScore
        result.numbers["gridSearch.best.learningRate"] = best.candidate.learningRate
        result.numbers["gridSearch.best.batchSize"] = Double(best.candidate.batchSize)
        result.numbers["gridSearch.testAccuracy"] = testAccuracy
        result.numbers["gridSearch.searchSeconds"] = searchSeconds
        result.numbers["gridSearch.workers"] = Double(workers)
        if let probe {
            result.numbers["gridSearch.probe.sequentialSeconds"] = probe.sequentialSeconds
            result.numbers["gridSearch.probe.parallelSeconds"] = probe.parallelSeconds
        }
        result.check("all \(candidates.count) combinations scored", met: results.count == candidates.count,
                     measured: "\(results.count) rows")
        result.configuration = context.commonConfiguration + [
            ("Grid", "solver \(configuration.optimizers.map(\.rawValue)) × learning rate \(configuration.learningRates.map(rateText)) × batch size \(configuration.batchSizes)"),
            ("Folds", "\(configuration.foldCount), stratified, seed \(context.seed)"),
            ("Max epochs", String(configuration.maxEpochs)), ("Patience", String(configuration.patience)),
            ("Fold workers", String(workers)),
        ]
        result.duration = monotonicSeconds() - started
        return Outcome(result: result, ranked: ranked, probe: probe, testAccuracy: testAccuracy)
    }

    static func rateText(_ rate: Double) -> String {
        if rate >= 0.001 { return NumberFormat.fixed(rate, decimals: rate >= 0.1 ? 1 : 3) }
        let exponent = Int(log10(rate).rounded(.down))
        let mantissa = rate / pow(10, Double(exponent))
        return "\(Int(mantissa.rounded()))e\(exponent)"
    }
}
