import Reporting

extension GridSearchSection {
    /// Section C3's text: the title, the paragraphs and the goal.
    enum Narrative {
        static let title = "C3. Grid search: solver × learning rate × batch size (Fashion-MNIST)"

        static func setup(_ results: Results) -> String {
            let configuration = results.configuration
            return "\(results.candidateCount) combinations × \(results.foldCount)-fold stratified cross-validation on the "
                + "\(NumberFormat.grouped(results.trainingCount)) training rows (\(results.splitDescription)). Each fit: hidden layers "
                + "\(configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")), relu, L2 1e-4, up to "
                + "\(configuration.maxEpochs) epochs, stopping when the training loss has not improved by 1e-4 for "
                + "\(configuration.patience) epochs. A fit whose loss becomes NaN counts as accuracy 0."
        }

        static func best(_ results: Results) -> String {
            let best = results.best, refit = results.refit
            return "Best: solver \(best.candidate.optimizer.rawValue), learning rate \(Cell.learningRate(best.candidate.learningRate)), "
                + "batch size \(best.candidate.batchSize) (cross-validated accuracy "
                + "\(NumberFormat.meanAndDeviation(best.meanScore, best.scoreDeviation, decimals: 4))). Refit on all "
                + "\(NumberFormat.grouped(results.trainingCount)) training rows (\(refit.epochsRun) epochs, \(Cell.seconds(refit.seconds)) s): "
                + "test accuracy \(Cell.accuracy(refit.testAccuracy)) on the \(NumberFormat.grouped(results.testCount)) test rows. "
                + "The original chose adam, 0.002, 256."
        }

        /// What the probe measured and chose, or that the workers were configured.
        static func parallelism(_ results: Results, threads: Int) -> String {
            guard let probe = results.probe else {
                return "Folds ran with \(results.workers) worker\(results.workers == 1 ? "" : "s") (as configured)."
            }
            return "Parallelism, measured: \(min(results.foldCount, threads)) folds of adam/0.002/256 for 2 epochs took "
                + "\(NumberFormat.fixed(probe.sequentialSeconds, decimals: 2)) s one after another (each fit using "
                + "\(threads) threads) and \(NumberFormat.fixed(probe.parallelSeconds, decimals: 2)) s in parallel "
                + "(one thread and single-threaded BLAS each); chosen: "
                + (probe.workers > 1 ? "\(probe.workers) folds in parallel." : "one fold at a time.")
        }

        static func searchDuration(_ results: Results) -> String {
            "The grid search took \(NumberFormat.duration(seconds: results.searchSeconds))."
        }

        static func scoredGoal(_ results: Results) -> String { "all \(results.candidateCount) combinations scored" }
    }
}
