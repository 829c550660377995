import Datasets
@testable import Experiments
import Foundation
import NeuralNetwork
import Testing

/// The runner's contract: results are gathered in item order whatever the number of workers, and
/// a failing item's error (the first in item order) is thrown.
@Suite struct WorkRunnerTests {
    struct Squares: IndependentFits {
        struct Failure: Error, Equatable { var item: Int }
        var count: Int
        var failing: Set<Int> = []

        func workItems() -> [Int] { Array(0..<count) }

        func run(_ item: Int) throws(Failure) -> Int {
            if failing.contains(item) { throw Failure(item: item) }
            // Later items finish sooner, so with several workers results arrive out of order.
            usleep(UInt32((count - item) * 200))
            return item * item
        }

        func gather(_ results: [Int]) -> [Int] { results }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [(done: Int, total: Int)] = []
        func record(_ done: Int, _ total: Int) {
            lock.lock()
            calls.append((done, total))
            lock.unlock()
        }
        var recorded: [(done: Int, total: Int)] {
            lock.lock()
            defer { lock.unlock() }
            return calls
        }
    }

    @Test(arguments: [1, 2, 4])
    func gathersInItemOrder(workers: Int) throws {
        let counter = Counter()
        let results = try WorkRunner(workers: workers).run(Squares(count: 20)) { counter.record($0, $1) }
        #expect(results == (0..<20).map { $0 * $0 })
        #expect(counter.recorded.map(\.done).sorted() == Array(1...20))
        #expect(counter.recorded.allSatisfy { $0.total == 20 })
    }

    @Test(arguments: [1, 3])
    func throwsTheFirstFailingItemsError(workers: Int) {
        #expect(throws: Squares.Failure(item: 4)) {
            try WorkRunner(workers: workers).run(Squares(count: 10, failing: [4, 7]))
        }
    }

    @Test func gridSearchItemsAreEveryCandidateOnEveryFoldCandidateByCandidate() throws {
        let folds = try CrossValidation.stratifiedFolds(labels: [0, 1, 0, 1, 0, 1], foldCount: 3, seed: 1)
        let search = GridSearch(base: .init(hiddenLayerSizes: [2]), folds: folds, workers: 1)
        let candidates = GridSearch.grid(optimizers: [.adam], learningRates: [0.1, 0.01], batchSizes: [8])
        let data = try Dataset(pixels: [UInt8](repeating: 0, count: 6), labels: [0, 1, 0, 1, 0, 1], imageHeight: 1,
                               imageWidth: 1, classNames: ["a", "b"])
        let evaluation = GridSearch.Evaluation(search: search, candidates: candidates, features: data, labels: data.integerLabels)
        #expect(evaluation.workItems().map { [$0.candidate, $0.fold] } == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]])
        let gathered = evaluation.gather((0..<6).map { GridSearch.FoldScore(score: Double($0), seconds: 0) })
        #expect(gathered.map(\.foldScores) == [[0, 1, 2], [3, 4, 5]])
        #expect(gathered.map(\.candidate) == candidates)
    }
}
