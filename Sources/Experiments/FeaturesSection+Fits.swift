import NeuralNetwork

extension FeaturesSection {
    /// Section C5's fits: C2's relu classifier on the standardised codes of each autoencoder, each
    /// with the context's seed.
    public struct Fits: IndependentFits {
        public var context: ExperimentContext
        public var configuration: Configuration
        /// The relu and the identity autoencoder, by hidden activation.
        public var encoders: [Activation: Autoencoder]
        /// C2's classifiers on raw pixels, for comparison.
        public var raw: ActivationsSection.Results
        /// The split's parts, with their labels.
        public var parts: SplitParts

        public init(
            context: ExperimentContext, configuration: Configuration, data: FashionData, autoencoders: AutoencoderSection.Results,
            raw: ActivationsSection.Results
        ) {
            self.init(context: context, configuration: configuration, data: data, encoders: autoencoders.encoders, raw: raw)
        }

        /// The fits on the codes of `encoders`.
        public init(
            context: ExperimentContext, configuration: Configuration, data: FashionData, encoders: Encoders,
            raw: ActivationsSection.Results
        ) {
            self.context = context
            self.configuration = configuration
            self.encoders = [.relu: encoders.relu, .identity: encoders.identity]
            self.raw = raw
            parts = data.parts
        }

        /// The relu autoencoder's codes, then the identity autoencoder's.
        public func workItems() -> [Activation] { [.relu, .identity] }

        /// Encodes every row with the autoencoder of `activation`, trains the classifier on the
        /// codes and predicts the test rows.
        public func run(_ activation: Activation) throws(NeuralNetworkError) -> ModelResult {
            guard let encoder = encoders[activation] else { preconditionFailure("no \(activation.name) autoencoder") }
            let codes = standardized([parts.training, parts.validation, parts.test].map { encoder.features(of: $0, layer: encoder.bottleneckLayer) })
            context.log("features: classifying \(activation.name) codes")
            let classified = try ClassifierRun.train(
                name: "\(activation.name) codes",
                configuration: configuration.classifier.training(.relu, seed: context.seed, threads: context.threads),
                features: codes[0], labels: parts.trainingLabels, validation: (features: codes[1], labels: parts.validationLabels),
                context: context)
            let predictions = classified.model?.predict(codes[2]) ?? []
            let testAccuracy = predictions.isEmpty ? nil : Metrics.accuracy(predicted: predictions, expected: parts.testLabels)
            // Raw pixels: C2's classifier with the autoencoder's activation, as the original compared.
            return ModelResult(
                activation: activation, summary: classified.summary(testAccuracy: testAccuracy), predictions: predictions,
                rawValidationAccuracy: raw.validationAccuracy(of: activation) ?? raw.validationAccuracy(of: .relu) ?? .nan,
                rawTestAccuracy: raw.testAccuracy(of: activation) ?? raw.testAccuracy(of: .relu) ?? .nan)
        }

        public func gather(_ models: [ModelResult]) -> [ModelResult] { models }
    }
}
