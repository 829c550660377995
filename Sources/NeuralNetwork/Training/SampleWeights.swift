/// Per-sample weights, with scikit-learn's meaning (`sample_weight`): sample `i`'s loss term is
/// multiplied by `wᵢ`, and each mini-batch divides its summed loss, its gradient and its L2 term
/// by the batch's `Σ wᵢ` instead of its sample count (as scikit-learn ≥ 1.7's MLP `_backprop`
/// does with `sw_sum`). A batch whose weights are all 0 divides by its sample count. The epoch's
/// recorded loss is the weighted mean. Weights of 1 give the unweighted run bit for bit; an
/// integer weight `k` is the same as repeating the sample `k` times in the batch.
///
/// The validation loss and score (and so early stopping) stay unweighted.
public enum SampleWeights {
    /// Checks weights for `sampleCount` samples.
    /// - Throws: ``NeuralNetworkError/invalidData(_:)`` for a wrong count, naming the first
    ///   weight that is NaN, infinite or negative, or when every weight is 0.
    public static func validate(_ weights: [Float], sampleCount: Int) throws(NeuralNetworkError) {
        guard weights.count == sampleCount else {
            throw .invalidData("\(weights.count) sample weights for \(sampleCount) samples")
        }
        if let row = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw .invalidData("the sample weight of row \(row) is \(weights[row]); weights must be finite and at least 0")
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw .invalidData("every sample weight is 0; at least one must be positive")
        }
    }
}

extension SampleWeights {
    /// What a batch's summed loss is divided by: `Σ wᵢ` over `rows` (in their order) with
    /// `weights` (scikit-learn's `sw_sum`), else the number of rows. A batch whose weights are all
    /// 0 divides by its row count instead (its loss and gradient are 0 apart from the L2 term).
    static func normalizer(_ weights: [Float]?, rows: some Collection<Int>) -> Double {
        guard let weights else { return Double(rows.count) }
        var sum: Double = 0
        weights.withUnsafeBufferPointer { buffer in
            for index in rows { sum += Double(buffer[index]) }
        }
        return sum > 0 ? sum : Double(rows.count)
    }
}

/// Weights per class, turned into sample weights (scikit-learn's `class_weight`).
public enum ClassWeight: Sendable, Hashable {
    /// `n_samples / (n_classes · count(class))` for each class (scikit-learn's `"balanced"`,
    /// `compute_class_weight`), over the labels passed to `fit`.
    case balanced
    /// A weight for each listed label; a label not listed weighs 1 (as in scikit-learn's dict).
    case explicit([Int: Float])

    /// The weight of each of `classes` (sorted distinct labels) given the training `labels`.
    /// - Throws: ``NeuralNetworkError/invalidData(_:)`` for an explicit weight that is NaN,
    ///   infinite or negative, or one given for a label that is not among `classes`.
    public func weights(classes: [Int], labels: [Int]) throws(NeuralNetworkError) -> [Int: Float] {
        switch self {
        case .balanced:
            var counts = [Int: Int]()
            for label in labels { counts[label, default: 0] += 1 }
            let n = Double(labels.count), k = Double(classes.count)
            var result = [Int: Float]()
            for label in classes { result[label] = Float(n / (k * Double(Swift.max(counts[label] ?? 0, 1)))) }
            return result
        case .explicit(let given):
            for label in given.keys.sorted() {
                guard let weight = given[label] else { continue }
                guard weight.isFinite && weight >= 0 else {
                    throw .invalidData("the class weight of class \(label) is \(weight); weights must be finite and at least 0")
                }
                guard classes.contains(label) else {
                    throw .invalidData("a class weight is given for class \(label), which is not one of the classes \(classes)")
                }
            }
            var result = [Int: Float]()
            for label in classes { result[label] = given[label] ?? 1 }
            return result
        }
    }

    /// Each sample's weight: its class's weight, times its entry of `sampleWeights` when given
    /// (scikit-learn multiplies the two).
    public func sampleWeights(classes: [Int], labels: [Int], times sampleWeights: [Float]? = nil) throws(NeuralNetworkError) -> [Float] {
        let perClass = try weights(classes: classes, labels: labels)
        var result = labels.map { perClass[$0] ?? 1 }
        if let sampleWeights {
            try SampleWeights.validate(sampleWeights, sampleCount: labels.count)
            for index in result.indices { result[index] *= sampleWeights[index] }
        }
        return result
    }
}
