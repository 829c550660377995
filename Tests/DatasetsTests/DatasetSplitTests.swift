import LinearAlgebra
import Testing
@testable import Datasets
import MLPCore

@Suite("Splits")
struct DatasetSplitTests {
    /// Checks that the parts are disjoint and together are exactly `expected`.
    func expectPartition(_ split: DatasetSplit, of expected: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        let parts = [split.training, split.validation, split.test]
        let all = parts.flatMap { $0 }
        #expect(all.sorted() == expected.sorted(), "the parts cover the indices", sourceLocation: sourceLocation)
        #expect(Set(all).count == all.count, "no index is in two parts", sourceLocation: sourceLocation)
        for part in parts { #expect(part == part.sorted(), sourceLocation: sourceLocation) }
    }

    @Test("a shuffled split is a partition with the requested sizes")
    func shuffledPartition() throws {
        let split = try DatasetSplit.shuffled(sampleCount: 1000, validation: .count(100), test: .fraction(0.2), seed: 1)
        #expect(split.validation.count == 100 && split.test.count == 200 && split.training.count == 700)
        expectPartition(split, of: Array(0..<1000))
        // Validation and test are not taken from the front of the data.
        #expect(split.validation.contains { $0 >= 500 })
        #expect(split.test.contains { $0 >= 500 })
        #expect(split.training.contains { $0 < 300 })
    }

    @Test("a split is reproducible from its seed and differs for another seed")
    func reproducible() throws {
        let first = try DatasetSplit.shuffled(sampleCount: 500, validation: .count(50), test: .count(50), seed: 42)
        let again = try DatasetSplit.shuffled(sampleCount: 500, validation: .count(50), test: .count(50), seed: 42)
        let other = try DatasetSplit.shuffled(sampleCount: 500, validation: .count(50), test: .count(50), seed: 43)
        #expect(first == again)
        #expect(first != other)
        let labels = (0..<500).map { $0 % 7 }
        let stratified = try DatasetSplit.stratified(labels: labels, validation: .fraction(0.1), test: .fraction(0.1), seed: 9)
        #expect(stratified == (try DatasetSplit.stratified(labels: labels, validation: .fraction(0.1), test: .fraction(0.1), seed: 9)))
        #expect(stratified != (try DatasetSplit.stratified(labels: labels, validation: .fraction(0.1), test: .fraction(0.1), seed: 10)))
    }

    @Test("a split of a subset of indices stays inside it")
    func subsetOfIndices() throws {
        let indices = Array(stride(from: 3, to: 300, by: 3))
        let split = try DatasetSplit.shuffled(indices: indices, validation: .count(10), test: .count(5), seed: 2)
        expectPartition(split, of: indices)
        #expect(split.validation.count == 10 && split.test.count == 5)
    }

    @Test("a stratified split keeps each class's proportion")
    func stratifiedProportions() throws {
        // Unbalanced classes: 500, 300, 150 and 50 samples, interleaved.
        var labels: [Int] = []
        for (label, count) in [500, 300, 150, 50].enumerated() { labels += [Int](repeating: label, count: count) }
        var generator = SeededGenerator(seed: 5)
        seededShuffle(&labels, using: &generator)
        let split = try DatasetSplit.stratified(labels: labels, validation: .fraction(0.1), test: .count(200), seed: 3)
        expectPartition(split, of: Array(0..<1000))
        #expect(split.validation.count == 100 && split.test.count == 200 && split.training.count == 700)
        func histogram(_ part: [Int]) -> [Int] {
            var counts = [0, 0, 0, 0]
            for index in part { counts[labels[index]] += 1 }
            return counts
        }
        #expect(histogram(split.validation) == [50, 30, 15, 5])
        #expect(histogram(split.test) == [100, 60, 30, 10])
        #expect(histogram(split.training) == [350, 210, 105, 35])
    }

    @Test("stratified counts that do not divide evenly still total exactly")
    func stratifiedRemainders() throws {
        let labels = (0..<103).map { $0 % 3 }  // 35, 34, 34
        let split = try DatasetSplit.stratified(labels: labels, validation: .count(10), test: .count(11), seed: 8)
        expectPartition(split, of: Array(0..<103))
        #expect(split.validation.count == 10 && split.test.count == 11)
        for part in [split.validation, split.test] {
            var counts = [0, 0, 0]
            for index in part { counts[labels[index]] += 1 }
            let expected = Double(part.count) / 3
            for count in counts { #expect(abs(Double(count) - expected) <= 1) }
        }
    }

    @Test("apportionment never gives a class more than it has")
    func apportionBounds() {
        #expect(Stratification.apportion(2, among: [1, 1]) == [1, 1])
        #expect(Stratification.apportion(1, among: [1, 1]) == [1, 0])
        #expect(Stratification.apportion(5, among: [10, 0, 10]) == [3, 0, 2])
        #expect(Stratification.apportion(0, among: [4, 4]) == [0, 0])
    }

    @Test("contiguous blocks: 8,000 / 1,000 / 1,000")
    func contiguous() throws {
        let split = try DatasetSplit.contiguous(sampleCount: 60_000, trainingCount: 8_000, validationCount: 1_000, testCount: 1_000)
        #expect(split.training == Array(0..<8_000))
        #expect(split.validation == Array(8_000..<9_000))
        #expect(split.test == Array(9_000..<10_000))
        let offset = try DatasetSplit.contiguous(sampleCount: 10, trainingCount: 2, validationCount: 1, testCount: 1, start: 6)
        #expect(offset == DatasetSplit(training: [6, 7], validation: [8], test: [9]))
    }

    @Test("contiguous blocks are validated against the dataset size")
    func contiguousErrors() {
        let error = datasetError {
            _ = try DatasetSplit.contiguous(sampleCount: 9_500, trainingCount: 8_000, validationCount: 1_000, testCount: 1_000)
        }
        #expect(error?.description
                == "invalid split: 8000 training + 1000 validation + 1000 test rows from row 0 run past the 9500 samples available")
        #expect(datasetError { _ = try DatasetSplit.contiguous(sampleCount: 10, trainingCount: -1, validationCount: 1, testCount: 1) } != nil)
        #expect(datasetError { _ = try DatasetSplit.contiguous(sampleCount: 10, trainingCount: Int.max, validationCount: Int.max, testCount: 1) } != nil)
    }

    @Test("invalid random splits are typed errors")
    func randomErrors() {
        #expect(datasetError { _ = try DatasetSplit.shuffled(sampleCount: 10, validation: .count(5), test: .count(5), seed: 0) }
                == .invalidSplit(reason: "5 validation + 5 test samples leave no training samples out of 10"))
        #expect(datasetError { _ = try DatasetSplit.shuffled(sampleCount: 10, validation: .fraction(1.5), test: .count(0), seed: 0) }
                == .invalidSplit(reason: "the validation fraction 1.5 is outside 0…1"))
        #expect(datasetError { _ = try DatasetSplit.shuffled(sampleCount: 10, validation: .count(-1), test: .count(0), seed: 0) }
                == .invalidSplit(reason: "the validation count -1 is negative"))
        #expect(datasetError { _ = try DatasetSplit.shuffled(indices: [1, 2, 2, 3], validation: .count(1), test: .count(1), seed: 0) }
                == .invalidSplit(reason: "sample index 2 appears more than once"))
        #expect(datasetError { _ = try DatasetSplit.stratified(labels: [0, 1], indices: [0, 5], validation: .count(1), test: .count(0), seed: 0) }
                == .invalidSplit(reason: "sample index 5 has no label (there are 2 labels)"))
    }
}

@Suite("Cross-validation folds")
struct CrossValidationTests {
    func expectFolds(_ folds: [CrossValidationFold], of indices: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        let validation = folds.flatMap(\.validation)
        #expect(validation.sorted() == indices.sorted(), "every index validates in exactly one fold", sourceLocation: sourceLocation)
        let sizes = folds.map(\.validation.count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, sourceLocation: sourceLocation)
        for (number, fold) in folds.enumerated() {
            #expect(fold.index == number, sourceLocation: sourceLocation)
            #expect(Set(fold.training).isDisjoint(with: fold.validation), sourceLocation: sourceLocation)
            #expect((fold.training + fold.validation).sorted() == indices.sorted(), sourceLocation: sourceLocation)
        }
    }

    @Test("plain k-fold partitions the samples", arguments: [2, 3, 5, 10])
    func plain(foldCount: Int) throws {
        let folds = try CrossValidation.folds(sampleCount: 103, foldCount: foldCount, seed: 4)
        #expect(folds.count == foldCount)
        expectFolds(folds, of: Array(0..<103))
    }

    @Test("k-fold is reproducible from its seed and differs for another")
    func reproducible() throws {
        let first = try CrossValidation.folds(sampleCount: 50, foldCount: 5, seed: 1)
        #expect(first == (try CrossValidation.folds(sampleCount: 50, foldCount: 5, seed: 1)))
        #expect(first != (try CrossValidation.folds(sampleCount: 50, foldCount: 5, seed: 2)))
    }

    @Test("stratified k-fold spreads every class evenly")
    func stratified() throws {
        var labels: [Int] = []
        for (label, count) in [40, 23, 7].enumerated() { labels += [Int](repeating: label, count: count) }
        var generator = SeededGenerator(seed: 11)
        seededShuffle(&labels, using: &generator)
        let folds = try CrossValidation.stratifiedFolds(labels: labels, foldCount: 5, seed: 6)
        expectFolds(folds, of: Array(0..<70))
        for (label, total) in [40, 23, 7].enumerated() {
            let perFold = folds.map { fold in fold.validation.filter { labels[$0] == label }.count }
            #expect(perFold.allSatisfy { $0 == total / 5 || $0 == total / 5 + 1 }, "class \(label): \(perFold)")
        }
    }

    @Test("stratified k-fold of a subset of indices")
    func stratifiedSubset() throws {
        let labels = (0..<100).map { $0 % 4 }
        let indices = Array(20..<80)
        let folds = try CrossValidation.stratifiedFolds(labels: labels, indices: indices, foldCount: 3, seed: 0)
        expectFolds(folds, of: indices)
    }

    @Test("invalid fold counts are typed errors")
    func errors() {
        #expect(datasetError { _ = try CrossValidation.folds(sampleCount: 10, foldCount: 1, seed: 0) }
                == .invalidSplit(reason: "cross-validation needs at least 2 folds, not 1"))
        #expect(datasetError { _ = try CrossValidation.folds(sampleCount: 3, foldCount: 4, seed: 0) }
                == .invalidSplit(reason: "4 folds need at least 4 samples, but there are 3"))
    }
}
