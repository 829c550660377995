import LinearAlgebra
import MLPCore

/// A multilayer-perceptron classifier (scikit-learn's `MLPClassifier`): hidden layers with the
/// configured activation, a softmax output and the cross-entropy loss, trained by mini-batch
/// SGD or Adam at BLAS speed.
///
/// ```swift
/// var configuration = TrainingConfiguration(hiddenLayerSizes: [256, 128], seed: 1)
/// configuration.maxEpochs = 10
/// var model = MLPClassifier(configuration: configuration)
/// try model.fit(trainingImages, labels: trainingLabels,
///               validation: (features: testImages, labels: testLabels))
/// let accuracy = model.score(testImages, labels: testLabels)
/// ```
///
/// Labels are any integers; the model's ``classes`` are their sorted distinct values (as
/// scikit-learn's `classes_`), and output column `j` is the probability of `classes[j]`.
public struct MLPClassifier: NeuralNetworkModel {
    public var core: ModelCore
    /// This classifier as the kind a model file holds.
    public var savedModel: SavedModel { .classifier(self) }
    public static let kind = ModelKind.classifier
    /// The labels the model predicts, sorted.
    public private(set) var classes: [Int] = []
    /// Optional display names of ``classes``, saved with the model.
    public var classNames: [String]?

    /// An unfitted classifier.
    public init(configuration: TrainingConfiguration = TrainingConfiguration()) {
        core = ModelCore(configuration: configuration, inputScaling: .unitInterval)
    }

    /// A classifier around an existing network (softmax cross-entropy, one output per class).
    public init(network: Network, classes: [Int], configuration: TrainingConfiguration = TrainingConfiguration()) {
        precondition(network.loss == .softmaxCrossEntropy, "a classifier needs a softmax cross-entropy network, got \(network.loss.name)")
        precondition(classes.count == network.outputCount,
                     "\(classes.count) classes for a network with \(network.outputCount) outputs")
        core = ModelCore(configuration: configuration, network: network, inputScaling: .unitInterval)
        self.classes = classes
    }

    /// Trains from scratch (or from the current weights with `warmStart`).
    ///
    /// - Parameters:
    ///   - features: one row per sample.
    ///   - labels: one label per sample.
    ///   - sampleWeights: one weight per sample (see ``SampleWeights``): finite, at least 0, not all 0.
    ///   - classWeight: weights per class, multiplied into the sample weights (see ``ClassWeight``).
    ///   - validation: samples to score after every epoch (validation loss and accuracy are
    ///     recorded in ``history``); with `earlyStopping`, they replace the held-out fraction.
    ///   - progress: called after every epoch.
    /// - Throws: ``NeuralNetworkError`` for an invalid configuration or data, or divergence.
    public mutating func fit(
        _ features: some FeatureSource, labels: [Int], sampleWeights: [Float]? = nil, classWeight: ClassWeight? = nil,
        validation: (features: any FeatureSource, labels: [Int])? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        let newClasses = Array(Set(labels)).sorted()
        try train(features, labels: labels, classes: newClasses, sampleWeights: sampleWeights, classWeight: classWeight,
                  validation: validation, partial: false, progress: progress)
    }

    /// One epoch over `features` and `labels`, continuing from the current weights and optimiser
    /// state. The first call fixes the classes: pass `classes` when this batch may not contain
    /// every class. `sampleWeights` weigh this call's samples (see ``SampleWeights``).
    public mutating func partialFit(
        _ features: some FeatureSource, labels: [Int], classes givenClasses: [Int]? = nil, sampleWeights: [Float]? = nil,
        validation: (features: any FeatureSource, labels: [Int])? = nil,
        progress: ((EpochReport) -> Void)? = nil
    ) throws(NeuralNetworkError) {
        let newClasses: [Int]
        if isFitted {
            if let givenClasses, Array(Set(givenClasses)).sorted() != classes {
                throw .invalidData("partialFit classes \(givenClasses) differ from the model's \(classes)")
            }
            newClasses = classes
        } else {
            newClasses = Array(Set(givenClasses ?? labels)).sorted()
        }
        try train(features, labels: labels, classes: newClasses, sampleWeights: sampleWeights, classWeight: nil,
                  validation: validation, partial: true, progress: progress)
    }

    private mutating func train(
        _ features: some FeatureSource, labels: [Int], classes newClasses: [Int], sampleWeights: [Float]?,
        classWeight: ClassWeight?, validation: (features: any FeatureSource, labels: [Int])?, partial: Bool,
        progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        guard labels.count == features.sampleCount else {
            throw .invalidData("\(labels.count) labels for \(features.sampleCount) samples")
        }
        guard newClasses.count >= 2 else {
            throw .invalidData("a classifier needs at least 2 classes, the labels hold \(newClasses.count)")
        }
        if core.resumesNextFit && !partial && newClasses != classes {
            throw .cannotResume("the labels hold the classes \(newClasses), the checkpoint's model \(classes)")
        }
        let indices = try MLPClassifier.classIndices(labels, classes: newClasses, role: "training")
        // The weights are checked where they are used: by ClassWeight with class weights, else by ModelCore.
        let weights = try classWeight.map { weighting throws(NeuralNetworkError) in
            try weighting.sampleWeights(classes: newClasses, labels: labels, times: sampleWeights)
        } ?? sampleWeights
        var validationSet: TrainingSet?
        if let validation {
            guard validation.labels.count == validation.features.sampleCount else {
                throw .invalidData("\(validation.labels.count) validation labels for \(validation.features.sampleCount) samples")
            }
            let validationIndices = try MLPClassifier.classIndices(validation.labels, classes: newClasses, role: "validation")
            validationSet = TrainingSet(features: validation.features, targets: .classes(validationIndices))
        }
        try core.train(
            ModelCore.Request(
                features: features, targets: .classes(indices), sampleWeights: weights, outputCount: newClasses.count,
                loss: .softmaxCrossEntropy, validation: validationSet, stratifyBy: indices,
                score: .accuracy, isPartialFit: partial, model: { [classNames] core in
                    var model = MLPClassifier(configuration: core.configuration)
                    model.core = core
                    model.classes = newClasses
                    model.classNames = classNames?.count == newClasses.count ? classNames : nil
                    return .classifier(model)
                }),
            discardingNetwork: !partial && (!configuration.warmStart || newClasses != classes), progress: progress)
        classes = newClasses
    }

    /// Each label's position in `classes`.
    static func classIndices(_ labels: [Int], classes: [Int], role: String) throws(NeuralNetworkError) -> [Int32] {
        var position = [Int: Int32]()
        for (index, label) in classes.enumerated() { position[label] = Int32(index) }
        var result = [Int32](repeating: 0, count: labels.count)
        for (sample, label) in labels.enumerated() {
            guard let index = position[label] else {
                throw .invalidData("\(role) label \(label) of sample \(sample) is not one of the classes \(classes)")
            }
            result[sample] = index
        }
        return result
    }

    /// The probability of each class for each sample (`n × classes.count`, rows sum to 1).
    public func predictProbabilities(_ features: some FeatureSource) -> Matrix {
        core.fitted("predictProbabilities").outputs(for: features)
    }

    /// The most probable class of each sample (the first on ties).
    public func predict(_ features: some FeatureSource) -> [Int] {
        let probabilities = predictProbabilities(features)
        return probabilities.rows == 0 ? [] : probabilities.rowArgmax().map { classes[$0] }
    }

    /// The mean accuracy on `features` against `labels`.
    public func score(_ features: some FeatureSource, labels: [Int]) -> Double {
        Metrics.accuracy(predicted: predict(features), expected: labels)
    }
}
