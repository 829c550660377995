import LinearAlgebra
import MLPCore

/// k-fold cross-validation indices, plain or stratified, reproducible from a seed.
///
/// Every index is in exactly one fold's validation part, and fold sizes differ by at most one.
public enum CrossValidation {
    /// `foldCount` folds of `indices` (each at most once), shuffled with `seed`: the shuffled
    /// index at position `p` goes to fold `p mod foldCount`.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` when `foldCount` is below 2 or above the
    ///   number of indices, or an index repeats or is negative.
    public static func folds(of indices: [Int], foldCount: Int, seed: UInt64) throws(DatasetError) -> [CrossValidationFold] {
        var shuffled = try DatasetSplit.uniqueSortedIndices(indices)
        try check(foldCount: foldCount, sampleCount: shuffled.count)
        var generator = SeededGenerator(seed: seed)
        seededShuffle(&shuffled, using: &generator)
        return deal(shuffled, foldCount: foldCount)
    }

    /// `foldCount` folds of the samples `0..<sampleCount`.
    public static func folds(sampleCount: Int, foldCount: Int, seed: UInt64) throws(DatasetError) -> [CrossValidationFold] {
        try folds(of: Array(0..<max(sampleCount, 0)), foldCount: foldCount, seed: seed)
    }

    /// Stratified folds: each class's members (of `indices`, or of all samples when nil;
    /// `labels[i]` is the class of sample `i`) are shuffled and dealt round-robin over the folds,
    /// continuing from class to class, so each fold holds `⌊n_c / k⌋` or `⌈n_c / k⌉` members of
    /// class `c` and fold sizes differ by at most one.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` as ``folds(of:foldCount:seed:)``.
    public static func stratifiedFolds(
        labels: [Int], indices: [Int]? = nil, foldCount: Int, seed: UInt64
    ) throws(DatasetError) -> [CrossValidationFold] {
        let selected = try DatasetSplit.uniqueSortedIndices(indices ?? Array(labels.indices))
        try check(foldCount: foldCount, sampleCount: selected.count)
        var classes = try DatasetSplit.groupByClass(selected, labels: labels)
        var generator = SeededGenerator(seed: seed)
        var order: [Int] = []
        order.reserveCapacity(selected.count)
        for index in classes.indices {
            seededShuffle(&classes[index], using: &generator)
            order += classes[index]
        }
        return deal(order, foldCount: foldCount)
    }

    private static func check(foldCount: Int, sampleCount: Int) throws(DatasetError) {
        guard foldCount >= 2 else {
            throw .invalidSplit(reason: "cross-validation needs at least 2 folds, not \(foldCount)")
        }
        guard foldCount <= sampleCount else {
            throw .invalidSplit(reason: "\(foldCount) folds need at least \(foldCount) samples, but there are \(sampleCount)")
        }
    }

    /// Position `p` of `order` goes to fold `p mod foldCount`.
    private static func deal(_ order: [Int], foldCount: Int) -> [CrossValidationFold] {
        var members = [[Int]](repeating: [], count: foldCount)
        for (position, index) in order.enumerated() {
            members[position % foldCount].append(index)
        }
        for fold in members.indices { members[fold].sort() }
        return members.indices.map { fold in
            var training: [Int] = []
            training.reserveCapacity(order.count &- members[fold].count)
            for other in members.indices where other != fold { training += members[other] }
            return CrossValidationFold(index: fold, training: training.sorted(), validation: members[fold])
        }
    }
}
