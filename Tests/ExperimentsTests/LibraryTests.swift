import Datasets
@testable import Experiments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Testing
import MLPCore
import TestSupport


@Suite struct HardMarginSVMTests {
    let svm = HardMarginSVM(weights: [-2, 0], bias: 5)
    let points: [[Double]] = [[1, 0], [2, 0], [3, 0], [4, 0]]
    let labels = [1, 1, -1, -1]

    @Test func marginsMatchClosedForms() {
        for (value, expected) in zip(svm.functionalMargins(points: points, labels: labels), [3.0, 1, 1, 3]) {
            #expect(isClose(value, expected, absolute: 5e-10, relative: 5e-10))
        }
        for (value, expected) in zip(svm.geometricMargins(points: points, labels: labels), [1.5, 0.5, 0.5, 1.5]) {
            #expect(isClose(value, expected, absolute: 5e-10, relative: 5e-10))
        }
        #expect(isClose(svm.margin(points: points, labels: labels), 0.5, absolute: 5e-10, relative: 5e-10))
        #expect(svm.supportVectors(points: points, labels: labels) == [1, 2])   // samples 2 and 3
        #expect(svm.separates(points: points, labels: labels))
    }

    @Test func classifiesTheQueryPoint() {
        #expect(isClose(svm.decision([1, 3]), 3, absolute: 5e-10, relative: 5e-10))
        #expect(svm.classify([1, 3]) == 1)
        #expect(svm.classify([3, -7]) == -1)
        #expect(svm.classify([2.5, 1]) == 0)
    }

    @Test func theorySectionReportsEveryNumber() {
        let results = TheorySection.run(ExperimentContext(showsProgress: false, log: { _ in }))
        #expect(results.supportVectors == [1, 2] && results.queryClass == 1)
        #expect(isClose(results.margin, 0.5, absolute: 5e-10, relative: 5e-10))
        let result = TheorySection.render(results)
        #expect(result.goals.count == 3 && result.goals.allSatisfy(\.met))
        #expect(result.tables.count == 3)
        #expect(result.tables[0].rows.count == 4)
        #expect(isClose(result.numbers["backprop.loss"] ?? 0, 14.171_666_7, absolute: 1e-5 / 2, relative: 1e-5 / 2))
        #expect(result.terminalText().contains("14.1717, not 4.1717"))
    }
}

@Suite struct WorkedExampleSectionTests {
    @Test func oneStepMatchesHandDerivation() {
        let example = TheorySection.workedExample()
        #expect(isClose(example.loss, 14.171_666_7, absolute: 1e-5 / 2, relative: 1e-5 / 2))
        for (value, expected) in zip(example.gradients, [-4.78, -2.22, -7.966_666_7, -7.4]) {
            #expect(isClose(value, expected, absolute: 1e-5 / 2, relative: 1e-5 / 2))
        }
        for (value, expected) in zip(example.updatedParameters, [0.5478, 0.0222, 0.379_666_7, 0.074]) {
            #expect(isClose(value, expected, absolute: 1e-5 / 2, relative: 1e-5 / 2))
        }
        #expect(example.updatedLoss < example.loss)
    }
}

@Suite struct PCABaselineTests {
    /// Correlated data: 60 samples in 6 dimensions from 3 latent factors plus small noise.
    func data() -> Matrix {
        var generator = SeededGenerator(seed: 7)
        let mixing = (0..<3).map { _ in (0..<6).map { _ in generator.nextStandardNormal() } }
        return Matrix((0..<60).map { _ in
            let factors = (0..<3).map { _ in generator.nextStandardNormal() }
            return (0..<6).map { column in
                (0..<3).map { factors[$0] * mixing[$0][column] }.reduce(0, +) + 0.1 * generator.nextStandardNormal() + 2
            }
        })
    }

    @Test func trainingErrorIsTheSumOfDiscardedEigenvaluesOverD() throws {
        let x = data()
        for k in [1, 2, 3, 5] {
            let pca = try PCABaseline(fitting: x, components: k)
            let direct = pca.reconstructionError(x)
            #expect(isClose(direct, pca.trainingFloor, absolute: 1e-4 / 2, relative: 1e-4 / 2), "k = \(k): \(direct) vs \(pca.trainingFloor)")
        }
        let full = try PCABaseline(fitting: x, components: 6)
        #expect(full.reconstructionError(x) < 1e-8)
        #expect(isClose(full.explainedVarianceRatio, 1, absolute: 1e-9 / 2, relative: 1e-9 / 2))
    }

    @Test func eigenvaluesAreTheCovarianceSpectrum() throws {
        let x = data()
        let pca = try PCABaseline(fitting: x, components: 2)
        // The total variance (trace of the covariance) equals the sum of the eigenvalues.
        let means = x.columnMeans()
        var trace = 0.0
        for row in 0..<x.rows {
            for column in 0..<x.columns { trace += Double((x[row, column] - means[column]) * (x[row, column] - means[column])) }
        }
        trace /= Double(x.rows)
        #expect(isClose(pca.eigenvalues.reduce(0, +), trace, absolute: 1e-4 / 2, relative: 1e-4 / 2))
        #expect(zip(pca.eigenvalues, pca.eigenvalues.dropFirst()).allSatisfy { $0 >= $1 })
    }
}

@Suite struct ConfusionMatrixTests {
    @Test func countsPrecisionAndRecallOnHandData() {
        // true:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        let matrix = ConfusionMatrix(expected: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2], classCount: 3)
        #expect(matrix.counts == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(isClose(matrix.accuracy, 4.0 / 6, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.precision(of: 0), 1, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.precision(of: 1), 0.5, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.precision(of: 2), 0.5, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.recall(of: 0), 2.0 / 3, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.recall(of: 1), 0.5, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(matrix.recall(of: 2), 1, absolute: 5e-10, relative: 5e-10))
        let empty = ConfusionMatrix(expected: [0], predicted: [0], classCount: 2)
        #expect(empty.precision(of: 1).isNaN && empty.recall(of: 1).isNaN)
    }
}

@Suite struct GridSearchTests {
    func dataset() throws -> Dataset { try halvesDataset(samples: 40, seed: 3) }

    @Test func scoresEveryCandidateOnEveryFoldAndRanksThem() throws {
        let data = try dataset()
        let labels = data.integerLabels
        let folds = try CrossValidation.stratifiedFolds(labels: labels, foldCount: 2, seed: 1)
        var base = TrainingConfiguration(hiddenLayerSizes: [8], maxEpochs: 30, seed: 1, threads: 1)
        base.tolerance = 0
        let grid = GridSearch.grid(optimizers: [.adam, .sgd], learningRates: [0.01, 1e-7], batchSizes: [8])
        #expect(grid.count == 4)
        for workers in [1, 2] {
            let results = GridSearch(base: base, folds: folds, workers: workers).evaluate(grid, features: data, labels: labels)
            #expect(results.count == 4)
            #expect(results.allSatisfy { $0.foldScores.count == 2 && $0.fitSeconds.count == 2 })
            let ranked = GridSearch.ranked(results)
            #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.meanScore >= $1.meanScore })
            // Adam at 0.01 separates the two halves; a rate of 1e-7 barely moves.
            #expect(ranked[0].candidate == GridSearch.Candidate(optimizer: .adam, learningRate: 0.01, batchSize: 8))
            #expect(ranked[0].meanScore > 0.9)
        }
    }

    @Test func deviationIsThePopulationOne() {
        #expect(isClose(GridSearch.deviation([1, 3]), 1, absolute: 5e-10, relative: 5e-10))
        #expect(isClose(GridSearch.deviation([2, 2, 2]), 0, absolute: 5e-10, relative: 5e-10))
    }
}

@Suite struct SectionResultTests {
    @Test func skippedSectionSaysWhyAndWhatToDo() {
        let result = SectionResult.skipped(key: "scratch", title: "B", reason: ScratchSection.Narrative.missingDataAdvice)
        #expect(result.skipped?.contains("MNIST_DIR") == true)
        #expect(result.record.skipped != nil)
        #expect(result.terminalText().contains("skipped: MNIST was not found"))
        let missing = ScratchSection.skipped(.datasetNotFound(dataset: "MNIST", searched: [], remedies: []))
        #expect(missing.key == "scratch" && missing.skipped == ScratchSection.Narrative.missingDataAdvice)
        let damaged = ScratchSection.skipped(.downloadFailed(url: "u", reason: "r"))
        #expect(damaged.skipped != nil && damaged.skipped != ScratchSection.Narrative.missingDataAdvice)
    }

    @Test func goalLinesSayMetOrNot() {
        #expect(GoalCheck(goal: "relu ≥ 0.85 validation accuracy", met: true, measured: "0.861").line
                == "goal: relu ≥ 0.85 validation accuracy — met (0.861)")
        #expect(GoalCheck(goal: "x", met: false, measured: "1").line.contains("NOT met"))
    }
}
