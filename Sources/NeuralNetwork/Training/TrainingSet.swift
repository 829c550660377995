import LinearAlgebra
import MLPCore

/// What a network is trained to output for each sample.
public enum TrainingTargets: @unchecked Sendable {
    /// A class index (`0..<k`) per sample of the feature source.
    case classes([Int32])
    /// A target row per sample of the feature source.
    case values(any FeatureSource)
    /// The input itself (an autoencoder).
    case inputs
}

extension TrainingTargets {
    /// Whether the targets are the features themselves (an autoencoder).
    var areInputs: Bool {
        if case .inputs = self { return true }
        return false
    }
}

/// Samples drawn by index from a feature source: the data is never copied, only the rows of the
/// current batch are copied into a reused buffer.
struct TrainingSet: @unchecked Sendable {
    let features: any FeatureSource
    let targets: TrainingTargets
    /// The samples of `features` that belong to this set.
    var indices: [Int]
    /// Each sample's weight (indexed as `features`, validated: finite, at least 0), or nil when
    /// every sample weighs 1.
    var sampleWeights: [Float]?
    /// Whether a trainer may take its fused first-layer step on this set's batches (see
    /// ``Trainer/inputIsSparseEnough(_:samples:)``): false for data that runs dense.
    var mayFuseFirstLayer = true

    /// Every sample of `features`.
    init(features: any FeatureSource, targets: TrainingTargets, sampleWeights: [Float]? = nil) {
        self.features = features
        self.targets = targets
        self.indices = Array(0..<features.sampleCount)
        self.sampleWeights = sampleWeights
    }

    init(features: any FeatureSource, targets: TrainingTargets, indices: [Int], sampleWeights: [Float]? = nil) {
        self.features = features
        self.targets = targets
        self.indices = indices
        self.sampleWeights = sampleWeights
    }

    /// What a batch's (or epoch's) summed loss is divided by: ``SampleWeights/normalizer(_:rows:)``
    /// of this set's weights over `batch`.
    func normalizer(of batch: UnsafeBufferPointer<Int>) -> Double {
        SampleWeights.normalizer(sampleWeights, rows: batch)
    }

    /// ``normalizer(of:)`` over the whole set.
    var normalizer: Double {
        indices.withUnsafeBufferPointer { normalizer(of: $0) }
    }

    /// Splits `sampleCount` samples into training and validation indices, with
    /// `⌈fraction · n⌉` validation samples (scikit-learn's `train_test_split`). With `classes`
    /// the split is stratified: each class gives its proportional share (largest remainders
    /// settle the rounding). Both lists come back in increasing order.
    static func split(
        sampleCount: Int, fraction: Double, classes: [Int32]?, using generator: inout SeededGenerator
    ) throws(NeuralNetworkError) -> (training: [Int], validation: [Int]) {
        let validationCount = Int((fraction * Double(sampleCount)).rounded(.up))
        guard sampleCount >= 2, validationCount >= 1, validationCount < sampleCount else {
            throw .invalidData("early stopping needs at least 2 samples to hold out \(fraction) of them; got \(sampleCount)")
        }
        var chosen = [Bool](repeating: false, count: sampleCount)
        if let classes {
            let members = Stratification.groups(of: classes.indices, label: { Int(classes[$0]) })
            let shares = Stratification.apportion(validationCount, among: members.map(\.count))
            for (label, group) in Stratification.shuffled(members, using: &generator).enumerated() {
                for index in group.prefix(shares[label]) { chosen[index] = true }
            }
        } else {
            var all = Array(0..<sampleCount)
            seededShuffle(&all, using: &generator)
            for index in all.prefix(validationCount) { chosen[index] = true }
        }
        var training = [Int](), validation = [Int]()
        training.reserveCapacity(sampleCount - validationCount)
        validation.reserveCapacity(validationCount)
        for index in 0..<sampleCount {
            if chosen[index] { validation.append(index) } else { training.append(index) }
        }
        return (training, validation)
    }
}
