import NeuralNetwork

extension ActivationsSection {
    /// Section C2's fits: one classifier per activation, each with the context's seed.
    public struct Fits: IndependentFits {
        public var context: ExperimentContext
        public var configuration: Configuration
        /// The split's parts, with their labels.
        public var parts: SplitParts

        public init(context: ExperimentContext, configuration: Configuration, data: FashionData) {
            self.context = context
            self.configuration = configuration
            parts = data.parts
        }

        public func workItems() -> [Activation] { configuration.activations }

        /// Trains `activation`'s classifier with early stopping on the validation rows and scores the test rows.
        public func run(_ activation: Activation) throws(NeuralNetworkError) -> ModelResult {
            let name = label(activation)
            context.log("activations: training \(name)")
            let run = try ClassifierRun.train(
                name: name, configuration: configuration.training(activation, seed: context.seed, threads: context.threads),
                features: parts.training, labels: parts.trainingLabels,
                validation: (features: parts.validation, labels: parts.validationLabels), context: context)
            let testAccuracy = run.model?.score(parts.test, labels: parts.testLabels)
            return ModelResult(activation: activation, summary: run.summary(testAccuracy: testAccuracy))
        }

        public func gather(_ models: [ModelResult]) -> [ModelResult] { models }
    }
}
