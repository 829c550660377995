import LinearAlgebra
import MLPCore

/// Sample indices divided into training, validation and test parts that never overlap.
///
/// Random splits are reproducible: the same seed gives the same parts on every platform (they
/// shuffle with `SeededGenerator` and `seededShuffle`). Each part is sorted ascending, which keeps
/// reads of the pixel buffer in order; a training loop shuffles its batches itself.
public struct DatasetSplit: Sendable, Equatable, Codable {
    /// The indices to train on.
    public var training: [Int]
    /// The indices to choose hyperparameters and stop early on.
    public var validation: [Int]
    /// The indices held out for the final estimate.
    public var test: [Int]

    /// A split with the given parts (they are taken as they are).
    public init(training: [Int], validation: [Int], test: [Int]) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// A random split of `indices` (each at most once): `validation` and `test` samples drawn at
    /// random, the rest for training.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` when an index repeats or is negative, a
    ///   size is invalid, or the parts leave no training samples.
    public static func shuffled(
        indices: [Int], validation: SplitSize, test: SplitSize, seed: UInt64
    ) throws(DatasetError) -> DatasetSplit {
        var shuffled = try uniqueSortedIndices(indices)
        let (validationCount, testCount) = try resolve(validation: validation, test: test, available: shuffled.count)
        var generator = SeededGenerator(seed: seed)
        seededShuffle(&shuffled, using: &generator)
        let heldOut = validationCount &+ testCount
        return DatasetSplit(
            training: shuffled[heldOut...].sorted(),
            validation: shuffled[..<validationCount].sorted(),
            test: shuffled[validationCount..<heldOut].sorted())
    }

    /// A random split of the samples `0..<sampleCount`.
    public static func shuffled(
        sampleCount: Int, validation: SplitSize, test: SplitSize, seed: UInt64
    ) throws(DatasetError) -> DatasetSplit {
        try shuffled(indices: Array(0..<max(sampleCount, 0)), validation: validation, test: test, seed: seed)
    }

    /// A stratified random split: each class is divided in the proportions of the whole, so every
    /// part has (within one sample per class) the class frequencies of `indices`.
    ///
    /// `labels[i]` is the class of sample `i`; `indices` (all samples when nil) are split. The
    /// held-out count `validation + test` is apportioned to the classes by largest remainder
    /// (class `c` gets `⌊n_c · h / n⌋`, and the leftover samples go to the largest fractional
    /// parts), then the test count is apportioned the same way within each class's held-out
    /// samples, so the totals are exact.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` as ``shuffled(indices:validation:test:seed:)``.
    public static func stratified(
        labels: [Int], indices: [Int]? = nil, validation: SplitSize, test: SplitSize, seed: UInt64
    ) throws(DatasetError) -> DatasetSplit {
        let selected = try uniqueSortedIndices(indices ?? Array(labels.indices))
        let (validationCount, testCount) = try resolve(validation: validation, test: test, available: selected.count)
        let classes = try groupByClass(selected, labels: labels)
        let heldOut = Stratification.apportion(validationCount &+ testCount, among: classes.map(\.count))
        let testShares = Stratification.apportion(testCount, among: heldOut)
        var generator = SeededGenerator(seed: seed)
        var split = DatasetSplit(training: [], validation: [], test: [])
        for (index, members) in Stratification.shuffled(classes, using: &generator).enumerated() {
            let validationShare = heldOut[index] &- testShares[index]
            split.validation += members[..<validationShare]
            split.test += members[validationShare..<heldOut[index]]
            split.training += members[heldOut[index]...]
        }
        split.training.sort()
        split.validation.sort()
        split.test.sort()
        return split
    }

    /// The first `trainingCount` samples from `start` for training, the next `validationCount`
    /// for validation and the next `testCount` for test: contiguous and in file order, as in
    /// experiments that use rows 0..<8000, 8000..<9000 and 9000..<10000.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` when a count is negative or the rows run
    ///   past `sampleCount`.
    public static func contiguous(
        sampleCount: Int, trainingCount: Int, validationCount: Int, testCount: Int, start: Int = 0
    ) throws(DatasetError) -> DatasetSplit {
        guard start >= 0, trainingCount >= 0, validationCount >= 0, testCount >= 0 else {
            throw .invalidSplit(reason: "negative start or count (start \(start), training \(trainingCount), "
                                + "validation \(validationCount), test \(testCount))")
        }
        // Each term is checked first, so the sum cannot overflow.
        let fits = [start, trainingCount, validationCount, testCount].allSatisfy { $0 <= sampleCount }
        let end = fits ? start + trainingCount + validationCount + testCount : Int.max
        guard end <= sampleCount else {
            throw .invalidSplit(reason: "\(trainingCount) training + \(validationCount) validation + \(testCount) test "
                                + "rows from row \(start) run past the \(sampleCount) samples available")
        }
        let validationStart = start + trainingCount
        let testStart = validationStart + validationCount
        return DatasetSplit(
            training: Array(start..<validationStart),
            validation: Array(validationStart..<testStart),
            test: Array(testStart..<end))
    }
}

extension DatasetSplit {
    /// `indices` sorted, after checking that none is negative or repeated.
    static func uniqueSortedIndices(_ indices: [Int]) throws(DatasetError) -> [Int] {
        let sorted = indices.sorted()
        if let first = sorted.first, first < 0 {
            throw .invalidSplit(reason: "sample index \(first) is negative")
        }
        for position in sorted.indices.dropFirst() where sorted[position] == sorted[position &- 1] {
            throw .invalidSplit(reason: "sample index \(sorted[position]) appears more than once")
        }
        return sorted
    }

    /// The members of each class among `indices` (in their order), for classes `0...max label`,
    /// after checking that every index has a label and no label is negative.
    static func groupByClass(_ indices: [Int], labels: [Int]) throws(DatasetError) -> [[Int]] {
        for index in indices {
            guard index < labels.count else {
                throw .invalidSplit(reason: "sample index \(index) has no label (there are \(labels.count) labels)")
            }
            guard labels[index] >= 0 else { throw .invalidSplit(reason: "sample \(index) has negative label \(labels[index])") }
        }
        return Stratification.groups(of: indices, label: { labels[$0] })
    }

    /// The validation and test counts, checked to leave at least one training sample.
    static func resolve(
        validation: SplitSize, test: SplitSize, available: Int
    ) throws(DatasetError) -> (validation: Int, test: Int) {
        let validationCount = try validation.resolved(against: available, part: "validation")
        let testCount = try test.resolved(against: available, part: "test")
        guard validationCount + testCount < available else {
            throw .invalidSplit(reason: "\(validationCount) validation + \(testCount) test samples leave no training "
                                + "samples out of \(available)")
        }
        return (validationCount, testCount)
    }
}
