import Datasets
import NeuralNetwork

extension ScratchSection {
    /// Section B's fits: one classifier per activation × initialisation, each with the context's
    /// seed, on the same seeded split of the MNIST training rows.
    public struct Fits: IndependentFits {
        /// One model.
        public struct WorkItem: Sendable, Hashable, Codable {
            public var activation: Activation
            public var initialization: InitializationChoice

            /// "relu / normal".
            public var name: String { "\(activation.name) / \(initialization.rawValue)" }
        }

        public var context: ExperimentContext
        public var configuration: Configuration
        /// The training rows and the validation rows held out from them (a stratified, seeded split
        /// of the first `trainingLimit` rows of the training file), and the first `testLimit` rows of
        /// the test file.
        public var parts: SplitParts

        /// Splits the training file (seeded, stratified) and takes the test rows.
        /// - Throws: `DatasetError` when the split is impossible.
        public init(
            context: ExperimentContext, configuration: Configuration, data: (training: Dataset, test: Dataset)
        ) throws(DatasetError) {
            var rows = Array(0..<data.training.sampleCount)
            if let limit = configuration.trainingLimit, limit < rows.count { rows = Array(rows.prefix(limit)) }
            let split = try DatasetSplit.stratified(
                labels: data.training.integerLabels, indices: rows, validation: .fraction(configuration.validationFraction),
                test: .count(0), seed: context.seed)
            self.context = context
            self.configuration = configuration
            parts = SplitParts(
                training: data.training.subset(split.training), validation: data.training.subset(split.validation),
                test: data.test.subset(Array(0..<min(data.test.sampleCount, configuration.testLimit ?? data.test.sampleCount))))
        }

        /// Activation by activation, each with every initialisation.
        public func workItems() -> [WorkItem] {
            configuration.activations.flatMap { activation in
                configuration.initializations.map { WorkItem(activation: activation, initialization: $0) }
            }
        }

        /// Trains one model with early stopping on the validation rows and scores the test rows.
        /// A run that diverges is a result (without a test accuracy), not an error.
        public func run(_ item: WorkItem) throws(NeuralNetworkError) -> ModelResult {
            context.log("scratch: training \(item.name)")
            let run = try ClassifierRun.train(
                name: item.name,
                configuration: configuration.training(item.activation, item.initialization, seed: context.seed,
                                                      threads: context.threads),
                features: parts.training, labels: parts.trainingLabels,
                validation: (features: parts.validation, labels: parts.validationLabels), context: context)
            return ModelResult(activation: item.activation, initialization: item.initialization,
                               summary: run.summary(testAccuracy: run.model?.score(parts.test, labels: parts.testLabels)))
        }

        public func gather(_ models: [ModelResult]) -> [ModelResult] { models }
    }
}
