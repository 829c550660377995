import Datasets
import NeuralNetwork

extension ActivationsSection {
    /// Section C2's fits: one classifier per activation, each with the context's seed.
    public struct Fits: IndependentFits {
        public var context: ExperimentContext
        public var configuration: Configuration
        public var training: Dataset, validation: Dataset, test: Dataset
        let trainingLabels: [Int], validationLabels: [Int], testLabels: [Int]

        public init(context: ExperimentContext, configuration: Configuration, data: FashionData) {
            self.context = context
            self.configuration = configuration
            training = data.trainingPart
            validation = data.validationPart
            test = data.testPart
            trainingLabels = training.integerLabels
            validationLabels = validation.integerLabels
            testLabels = test.integerLabels
        }

        public func workItems() -> [Activation] { configuration.activations }

        /// Trains `activation`'s classifier with early stopping on the validation rows and scores the test rows.
        public func run(_ activation: Activation) throws(NeuralNetworkError) -> ModelResult {
            let name = label(activation)
            context.log("activations: training \(name)")
            let run = try ClassifierRun.train(
                name: name, configuration: configuration.training(activation, seed: context.seed, threads: context.threads),
                features: training, labels: trainingLabels,
                validation: (features: validation, labels: validationLabels), context: context)
            return ModelResult(activation: activation, summary: run.summary(testAccuracy: run.model?.score(test, labels: testLabels)))
        }

        public func gather(_ models: [ModelResult]) -> [ModelResult] { models }
    }
}
