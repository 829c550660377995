import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// Data-parallel training across ranks, with ranks as threads (``ThreadCommunicator``): `R` ranks
/// of one worker each must train exactly what one process of `R` worker threads trains.
@Suite struct DistributedTrainingTests {
    static let data = (features: TestData.normal(rows: 150, columns: 6, seed: 41),
                       labels: TestData.labels(count: 150, classes: 3, seed: 42))

    static func configuration(threads: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16, 8], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
            batchSize: 32, maxEpochs: 6, alpha: 1e-3, seed: 7, threads: threads)
        configuration.earlyStopping = true
        configuration.gradientClipNorm = 5
        configuration.learningRateSchedule = .adaptive
        configuration.tolerance = 0.5
        return configuration
    }

    /// Every rank's classifier, trained with `configuration` on `ranks` thread ranks.
    static func distributed(ranks: Int, _ configuration: TrainingConfiguration) throws -> [MLPClassifier] {
        try ThreadCommunicator.run(ranks: ranks) { _, communicator in
            var model = MLPClassifier(configuration: configuration)
            model.communicator = communicator
            try model.fit(data.features, labels: data.labels)
            return model
        }.map { try $0.get() }
    }

    @Test(arguments: [2, 3])
    func ranksOfOneThreadEqualOneProcessOfAsManyThreads(ranks: Int) throws {
        var single = MLPClassifier(configuration: Self.configuration(threads: ranks))
        try single.fit(Self.data.features, labels: Self.data.labels)
        let models = try Self.distributed(ranks: ranks, Self.configuration(threads: 1))
        for (rank, model) in models.enumerated() {
            #expect(bits(model.network!.parameters) == bits(single.network!.parameters), "rank \(rank)")
            #expect(model.history.lossCurve == single.history.lossCurve, "rank \(rank)")
            #expect(model.history.validationScores == single.history.validationScores, "rank \(rank)")
            #expect(model.history.learningRates == single.history.learningRates, "rank \(rank)")
        }
    }

    @Test func regressionValidationCombinesEveryRanksResiduals() throws {
        let targets = Matrix(rows: 150, columns: 2) { row, column in Self.data.features[row, column] * 0.5 }
        var configuration = TrainingConfiguration(hiddenLayerSizes: [8], activation: .tanh, learningRateInit: 0.01,
                                                  batchSize: 25, maxEpochs: 4, seed: 3, threads: 2)
        configuration.earlyStopping = true
        var single = MLPRegressor(configuration: configuration)
        try single.fit(Self.data.features, targets: targets)
        configuration.threads = 1
        let perRank = configuration
        let models = try ThreadCommunicator.run(ranks: 2) { _, communicator in
            var model = MLPRegressor(configuration: perRank)
            model.communicator = communicator
            try model.fit(Self.data.features, targets: targets)
            return model
        }.map { try $0.get() }
        for model in models {
            #expect(bits(model.network!.parameters) == bits(single.network!.parameters))
            #expect(model.history.validationScores == single.history.validationScores)
        }
    }

    @Test func allreduceAgreesToRounding() throws {
        var configuration = Self.configuration(threads: 1)
        configuration.gradientReduction = .allreduce
        let reduced = try Self.distributed(ranks: 2, configuration)
        let ordered = try Self.distributed(ranks: 2, Self.configuration(threads: 1))
        #expect(bits(reduced[0].network!.parameters) == bits(reduced[1].network!.parameters))
        let difference = zip(reduced[0].network!.parameters, ordered[0].network!.parameters).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-4, "allreduce and ordered parameters differ by \(difference)")
    }

    @Test func ranksThatDisagreeStopWithOneClearError() {
        let outcomes = ThreadCommunicator.run(ranks: 2) { rank, communicator in
            var model = MLPClassifier(configuration: Self.configuration(threads: 1))
            model.communicator = communicator
            var features = Self.data.features
            if rank == 1 { features[0, 0] += 1 }
            try model.fit(features, labels: Self.data.labels)
            return model
        }
        for outcome in outcomes {
            guard case .failure(let error) = outcome, case .distributed(let message) = error as? NeuralNetworkError else {
                Issue.record("a rank trained on data that differs from rank 0's")
                continue
            }
            #expect(message.contains("rank 1's training data differs from rank 0's"), "\(message)")
        }
        let configurations = ThreadCommunicator.run(ranks: 2) { rank, communicator in
            var configuration = Self.configuration(threads: 1)
            configuration.learningRateInit = rank == 0 ? 0.05 : 0.1
            var model = MLPClassifier(configuration: configuration)
            model.communicator = communicator
            try model.fit(Self.data.features, labels: Self.data.labels)
            return model
        }
        for outcome in configurations {
            guard case .failure(let error) = outcome, case .distributed(let message) = error as? NeuralNetworkError else {
                Issue.record("ranks with different learning rates trained")
                continue
            }
            #expect(message.contains("training configuration differs"), "\(message)")
        }
    }

    @Test func aFailureOnOneRankIsEveryRanksError() {
        let outcomes = ThreadCommunicator.run(ranks: 3) { rank, communicator in
            try communicator.agree(rank == 2 ? "the data directory is missing" : nil)
        }
        let messages = outcomes.map { outcome -> String? in
            if case .failure(let error) = outcome { return (error as? CommunicatorError)?.message }
            return nil
        }
        #expect(messages == ["rank 2: the data directory is missing", "rank 2: the data directory is missing",
                             "the data directory is missing"])
        let fine = ThreadCommunicator.run(ranks: 2) { _, communicator in try communicator.agree(nil) }
        #expect(fine.allSatisfy { if case .success = $0 { true } else { false } })
    }
}
