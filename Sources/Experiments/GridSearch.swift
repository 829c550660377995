import Datasets
import NeuralNetwork
import MLPCore

/// A cross-validated grid search over solver × learning rate × batch size for an `MLPClassifier`
/// (scikit-learn's `GridSearchCV`), with the folds of each candidate optionally run in parallel.
public struct GridSearch: Sendable {
    /// One combination of the grid.
    public struct Candidate: Sendable, Hashable, Codable {
        public var optimizer: Optimizer
        public var learningRate: Double
        public var batchSize: Int

        public var description: String { "\(optimizer.rawValue), \(learningRate), \(batchSize)" }
    }

    /// A candidate's cross-validation scores.
    public struct CandidateResult: Sendable, Codable {
        public var candidate: Candidate
        /// Validation accuracy of each fold; NaN for a fold whose training diverged.
        public var foldScores: [Double]
        /// Seconds of each fold's fit.
        public var fitSeconds: [Double]

        /// The folds that diverged.
        public var divergedFolds: Int { foldScores.filter(\.isNaN).count }
        /// The mean fold accuracy, a diverged fold counting as 0.
        public var meanScore: Double { foldScores.map { $0.isNaN ? 0 : $0 }.reduce(0, +) / Double(max(foldScores.count, 1)) }
        /// The population standard deviation of the fold accuracies (as scikit-learn's `std_test_score`).
        public var scoreDeviation: Double { GridSearch.deviation(foldScores.map { $0.isNaN ? 0 : $0 }) }
        public var meanFitSeconds: Double { fitSeconds.reduce(0, +) / Double(max(fitSeconds.count, 1)) }
        public var fitDeviation: Double { GridSearch.deviation(fitSeconds) }
    }

    /// Every combination, in grid order (solver, then learning rate, then batch size).
    public static func grid(optimizers: [Optimizer], learningRates: [Double], batchSizes: [Int]) -> [Candidate] {
        optimizers.flatMap { optimizer in
            learningRates.flatMap { rate in batchSizes.map { Candidate(optimizer: optimizer, learningRate: rate, batchSize: $0) } }
        }
    }

    /// The configuration shared by every candidate (the candidate sets optimiser, rate and batch size).
    public var base: TrainingConfiguration
    /// The folds (indices into the features).
    public var folds: [CrossValidationFold]
    /// How many folds train at once; with more than 1, each fit uses one thread.
    public var workers: Int

    public init(base: TrainingConfiguration, folds: [CrossValidationFold], workers: Int) {
        self.base = base
        self.folds = folds
        self.workers = max(1, workers)
    }

    /// The configuration of `candidate`.
    public func configuration(for candidate: Candidate) -> TrainingConfiguration {
        var configuration = base
        configuration.optimizer = candidate.optimizer
        configuration.learningRateInit = candidate.learningRate
        configuration.batchSize = candidate.batchSize
        if workers > 1 { configuration.threads = 1 }
        return configuration
    }

    /// Scores every candidate on every fold, calling `progress` after each fit (from any thread).
    /// Results come back in the order of `candidates`.
    public func evaluate(
        _ candidates: [Candidate], features: Dataset, labels: [Int],
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) -> [CandidateResult] {
        WorkRunner(workers: workers).run(
            Evaluation(search: self, candidates: candidates, features: features, labels: labels), progress: progress)
    }

    /// ``evaluate(_:features:labels:progress:)`` with the fits spread over the ranks of
    /// `communicator` (see `WorkRunner.run(_:across:progress:)`); every rank gets every result.
    public func evaluate(
        _ candidates: [Candidate], features: Dataset, labels: [Int], across communicator: any Communicator,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> [CandidateResult] {
        try WorkRunner(workers: workers).run(
            Evaluation(search: self, candidates: candidates, features: features, labels: labels),
            across: communicator, progress: progress)
    }

    /// Trains `candidate` on a fold's training rows and scores its validation rows.
    func fit(_ candidate: Candidate, fold: CrossValidationFold, features: Dataset, labels: [Int]) -> FoldScore {
        let started = MonotonicClock.seconds()
        var model = MLPClassifier(configuration: configuration(for: candidate))
        let training = features.subset(fold.training)
        let validation = features.subset(fold.validation)
        do {
            try model.fit(training, labels: fold.training.map { labels[$0] })
        } catch {
            return FoldScore(score: .nan, seconds: MonotonicClock.seconds() - started)
        }
        let score = model.score(validation, labels: fold.validation.map { labels[$0] })
        return FoldScore(score: score.isFinite ? score : .nan, seconds: MonotonicClock.seconds() - started)
    }

    static func deviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    /// Sorts by mean score, best first (ties: the earlier candidate), as scikit-learn's `rank_test_score`.
    public static func ranked(_ results: [CandidateResult]) -> [CandidateResult] {
        results.enumerated().sorted { lhs, rhs in
            lhs.element.meanScore != rhs.element.meanScore ? lhs.element.meanScore > rhs.element.meanScore : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
