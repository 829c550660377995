import Datasets
import NeuralNetwork
import MLPCore

extension GridSearchSection {
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
        var started = MonotonicClock.seconds()
        _ = GridSearch(base: probeBase, folds: probeFolds, workers: 1).evaluate(candidates, features: features, labels: labels)
        let sequential = MonotonicClock.seconds() - started
        started = MonotonicClock.seconds()
        _ = GridSearch(base: probeBase, folds: probeFolds, workers: cores).evaluate(candidates, features: features, labels: labels)
        let parallel = MonotonicClock.seconds() - started
        return ParallelismProbe(sequentialSeconds: sequential, parallelSeconds: parallel, workers: parallel < sequential ? cores : 1)
    }

    /// The configured workers, or those the probe chose.
    static func chooseWorkers(
        _ context: ExperimentContext, configuration: Configuration, base: TrainingConfiguration, folds: [CrossValidationFold],
        features: Dataset, labels: [Int]
    ) -> (workers: Int, probe: ParallelismProbe?) {
        if let chosen = configuration.workers { return (chosen, nil) }
        context.log("grid-search: timing sequential against parallel folds")
        let measured = probe(context, base: base, folds: folds, features: features, labels: labels)
        return (measured.workers, measured)
    }
}
