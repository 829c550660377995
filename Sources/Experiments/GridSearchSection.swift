import Datasets
import NeuralNetwork
import MLPCore

/// Section C3: solver × learning rate × batch size with stratified k-fold cross-validation on the
/// C2 training rows, then a refit of the best candidate and its test accuracy.
///
/// ``run(_:data:configuration:)`` scores every candidate on every fold (``GridSearch/Evaluation``,
/// one work item per fit), refits the best and returns the ``Results``; ``render(_:context:)``
/// turns them into the section.
public enum GridSearchSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "grid-search"

    /// The settings of section C3.
    public struct Configuration: SectionConfiguration, Codable {
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
        public mutating func makeQuick() {
            learningRates = [0.2, 0.002]
            batchSizes = [256]
            foldCount = 2
            maxEpochs = 2
        }

        /// Every candidate, in grid order.
        public var candidates: [GridSearch.Candidate] {
            GridSearch.grid(optimizers: optimizers, learningRates: learningRates, batchSizes: batchSizes)
        }

        /// The configuration every candidate shares: relu, the epoch cap and the patience.
        public func base(seed: UInt64, threads: Int) -> TrainingConfiguration {
            var base = TrainingConfiguration(hiddenLayerSizes: hiddenLayerSizes, activation: .relu, maxEpochs: maxEpochs,
                                             seed: seed, threads: threads)
            base.epochsWithoutImprovement = patience
            return base
        }
    }

    /// The best candidate refitted on every training row.
    public struct Refit: Sendable, Codable {
        public var epochsRun: Int
        public var seconds: Double
        /// Its accuracy on the test rows; NaN when the refit diverged.
        public var testAccuracy: Double
    }

    /// What section C3 measured.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// The split, in words.
        public var splitDescription: String
        public var trainingCount: Int, testCount: Int
        public var candidateCount: Int, foldCount: Int
        /// Every candidate's scores, best first.
        public var ranked: [GridSearch.CandidateResult]
        /// The first of ``ranked``.
        public var best: GridSearch.CandidateResult
        public var refit: Refit
        /// The timing that chose the workers, or nil when they were configured.
        public var probe: ParallelismProbe?
        /// Folds trained at once.
        public var workers: Int
        /// Seconds of the cross-validation.
        public var searchSeconds: Double
        /// Seconds the section's run took.
        public var seconds: Double
    }

    /// Cross-validates every candidate, refits the best on all training rows and scores the test rows.
    /// - Throws: `DatasetError` when the folds cannot be made, `NeuralNetworkError` when the grid is
    ///   empty or the refit fails.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration? = nil) throws -> Results {
        let started = MonotonicClock.seconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let training = data.trainingPart, test = data.testPart
        let labels = training.integerLabels
        let folds = try CrossValidation.stratifiedFolds(labels: labels, foldCount: configuration.foldCount, seed: context.seed)
        let base = configuration.base(seed: context.seed, threads: context.threads)
        let candidates = configuration.candidates
        // Spread over ranks, each fit runs alone on its rank with the context's threads.
        let (workers, probe) = context.communicator.size > 1 ? (1, nil) : chooseWorkers(
            context, configuration: configuration, base: base, folds: folds, features: training, labels: labels)
        let search = GridSearch(base: base, folds: folds, workers: workers)
        let bar = context.progressBar(label: "grid search", total: candidates.count * folds.count)
        let searchStarted = MonotonicClock.seconds()
        let ranked = GridSearch.ranked(try search.evaluate(candidates, features: training, labels: labels,
                                                           across: context.communicator) { done, _ in
            bar.update(step: done)
        })
        bar.finish(clear: true)
        let searchSeconds = MonotonicClock.seconds() - searchStarted
        guard let best = ranked.first else { throw NeuralNetworkError.invalidData("the grid is empty") }
        let refit = try refit(best.candidate, search: search, training: training, labels: labels, test: test, context: context)
        return Results(
            configuration: configuration, splitDescription: data.splitDescription, trainingCount: training.sampleCount,
            testCount: test.sampleCount, candidateCount: candidates.count, foldCount: folds.count, ranked: ranked,
            best: best, refit: refit, probe: probe, workers: workers, searchSeconds: searchSeconds,
            seconds: MonotonicClock.seconds() - started)
    }

    /// Trains `candidate` on every training row (with the context's threads) and scores the test rows.
    static func refit(
        _ candidate: GridSearch.Candidate, search: GridSearch, training: Dataset, labels: [Int], test: Dataset,
        context: ExperimentContext
    ) throws(NeuralNetworkError) -> Refit {
        context.log("grid-search: refitting \(candidate.description) on all training rows")
        var configuration = search.configuration(for: candidate)
        configuration.threads = context.threads
        let run = try ClassifierRun.train(name: "refit", configuration: configuration, features: training, labels: labels,
                                          validation: nil, context: context)
        return Refit(epochsRun: run.epochsRun, seconds: run.seconds,
                     testAccuracy: run.model?.score(test, labels: test.integerLabels) ?? .nan)
    }
}
