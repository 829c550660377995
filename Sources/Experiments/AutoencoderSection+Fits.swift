import LinearAlgebra
import NeuralNetwork
import MLPCore

extension AutoencoderSection {
    /// Section C4's fits: a relu and an identity autoencoder at each learning rate, each with the
    /// context's seed.
    public struct Fits: IndependentFits {
        /// One autoencoder.
        public struct WorkItem: Sendable, Hashable, Codable {
            public var learningRate: Double
            public var activation: Activation

            /// "relu, lr 0.001".
            public var name: String { "\(activation.name), lr \(Cell.learningRate(learningRate))" }
        }

        public var context: ExperimentContext
        public var configuration: Configuration
        /// The split's parts.
        public var parts: SplitParts
        /// The pixels of the training, validation and test rows, scaled to [0, 1].
        public var trainingMatrix: Matrix, validationMatrix: Matrix, testMatrix: Matrix

        public init(context: ExperimentContext, configuration: Configuration, data: FashionData) {
            self.context = context
            self.configuration = configuration
            parts = data.parts
            trainingMatrix = parts.training.featureMatrix()
            validationMatrix = parts.validation.featureMatrix()
            testMatrix = parts.test.featureMatrix()
        }

        /// Learning rate by learning rate, relu before identity.
        public func workItems() -> [WorkItem] {
            configuration.learningRates.flatMap { rate in
                [Activation.relu, .identity].map { WorkItem(learningRate: rate, activation: $0) }
            }
        }

        /// Trains one autoencoder with early stopping on the validation loss and measures its errors.
        public func run(_ item: WorkItem) throws(NeuralNetworkError) -> ModelResult {
            context.log("autoencoder: training \(item.name)")
            var model = Autoencoder(configuration: configuration.training(
                item.activation, learningRate: item.learningRate, seed: context.seed, threads: context.threads))
            let bar = context.progressBar(label: item.name, total: configuration.maxEpochs)
            let started = MonotonicClock.seconds()
            try model.fit(parts.training, validation: parts.validation) { report in bar.update(step: report.epoch, loss: report.loss) }
            bar.finish(clear: true)
            let seconds = MonotonicClock.seconds() - started
            return ModelResult(name: item.name, activation: item.activation, learningRate: item.learningRate, model: model,
                               errors: errors { model.reconstruct($0) }, seconds: seconds)
        }

        public func gather(_ models: [ModelResult]) -> [ModelResult] { models }

        /// The mean squared error per pixel of `reconstruct` on each part.
        func errors(_ reconstruct: (Matrix) -> Matrix) -> ReconstructionErrors {
            ReconstructionErrors(
                training: Metrics.meanSquaredError(predicted: reconstruct(trainingMatrix), expected: trainingMatrix),
                validation: Metrics.meanSquaredError(predicted: reconstruct(validationMatrix), expected: validationMatrix),
                test: Metrics.meanSquaredError(predicted: reconstruct(testMatrix), expected: testMatrix))
        }
    }
}
