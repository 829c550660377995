import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// Sample and class weights, with scikit-learn's meaning.
@Suite struct SampleWeightTests {
    static let weights: [Float] = [2, 0.5, 0, 3, 1, 1.25, 4]

    @Test(arguments: GradientTests.losses, [0.0, 0.6])
    func weightedGradientMatchesFiniteDifferences(loss: LossFunction, alpha: Double) {
        let (network, inputs, targets) = GradientTests.problem(.tanh, loss, seed: 17)
        let weighted = network.gradient(inputs, targets: targets, alpha: alpha, sampleWeights: Self.weights)
        let doubles = Self.weights.map(Double.init)
        let referenceLoss = Reference.loss(network, parameters: network.parameters.map(Double.init), inputs: inputs,
                                           targets: targets, alpha: alpha, sampleWeights: doubles)
        #expect(isClose(weighted.loss, referenceLoss, absolute: 1e-5, relative: 1e-5))
        let reference = Reference.numericalGradient(network, inputs: inputs, targets: targets, alpha: alpha,
                                                    sampleWeights: doubles)
        var worst: Double = 0
        for k in reference.indices {
            worst = max(worst, abs(Double(weighted.gradient[k]) - reference[k]) / (1e-3 + abs(reference[k])))
        }
        #expect(worst < 2e-3, "\(loss.name): worst relative gradient error \(worst)")
    }

    /// An integer weight `k` equals repeating the row `k` times.
    @Test(arguments: [LossFunction.softmaxCrossEntropy, .meanSquaredError])
    func integerWeightsEqualDuplicatedRows(loss: LossFunction) {
        let (network, inputs, targets) = GradientTests.problem(.sigmoid, loss, seed: 23)
        let counts = [2, 1, 0, 3, 1, 1, 2]
        let rows = counts.enumerated().flatMap { row, count in [Int](repeating: row, count: count) }
        let duplicated = Matrix(rows: rows.count, columns: inputs.columns,
                                elements: rows.flatMap { row in (0..<inputs.columns).map { inputs[row, $0] } })
        let duplicatedTargets: Targets
        switch targets {
        case .classes(let labels): duplicatedTargets = .classes(rows.map { labels[$0] })
        case .values(let values):
            duplicatedTargets = .values(Matrix(rows: rows.count, columns: values.columns,
                                               elements: rows.flatMap { row in (0..<values.columns).map { values[row, $0] } }))
        }
        let weighted = network.gradient(inputs, targets: targets, alpha: 0.2, sampleWeights: counts.map(Float.init))
        let repeated = network.gradient(duplicated, targets: duplicatedTargets, alpha: 0.2)
        #expect(isClose(weighted.loss, repeated.loss, absolute: 1e-6, relative: 1e-6))
        for k in weighted.gradient.indices {
            #expect(isClose(Double(weighted.gradient[k]), Double(repeated.gradient[k]), absolute: 1e-6, relative: 1e-5))
        }
    }

    static let data = (features: TestData.normal(rows: 160, columns: 5, seed: 41),
                       labels: TestData.labels(count: 160, classes: 3, seed: 42))

    static func configuration(epochs: Int = 3) -> TrainingConfiguration {
        TrainingConfiguration(hiddenLayerSizes: [10], activation: .tanh, learningRateInit: 0.01, batchSize: 32,
                              maxEpochs: epochs, alpha: 1e-3, seed: 5, threads: 2)
    }

    /// Weights of 1 give the unweighted run bit for bit.
    @Test func unitWeightsChangeNothing() throws {
        var plain = MLPClassifier(configuration: Self.configuration())
        try plain.fit(Self.data.features, labels: Self.data.labels)
        var weighted = MLPClassifier(configuration: Self.configuration())
        try weighted.fit(Self.data.features, labels: Self.data.labels,
                         sampleWeights: [Float](repeating: 1, count: 160))
        #expect(bits(weighted.network!.parameters) == bits(plain.network!.parameters))
        #expect(weighted.history.lossCurve == plain.history.lossCurve)

        let targets = TestData.normal(rows: 160, columns: 2, seed: 43)
        var regressor = MLPRegressor(configuration: Self.configuration())
        try regressor.fit(Self.data.features, targets: targets)
        var weightedRegressor = MLPRegressor(configuration: Self.configuration())
        try weightedRegressor.fit(Self.data.features, targets: targets, sampleWeights: [Float](repeating: 1, count: 160))
        #expect(bits(weightedRegressor.network!.parameters) == bits(regressor.network!.parameters))
    }

    /// Weights change the run, and the run stays reproducible.
    @Test func weightsChangeTheRunReproducibly() throws {
        let weights = (0..<160).map { Float($0 % 4) }
        var first = MLPClassifier(configuration: Self.configuration())
        try first.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
        var second = MLPClassifier(configuration: Self.configuration())
        try second.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
        var plain = MLPClassifier(configuration: Self.configuration())
        try plain.fit(Self.data.features, labels: Self.data.labels)
        #expect(bits(first.network!.parameters) == bits(second.network!.parameters))
        #expect(bits(first.network!.parameters) != bits(plain.network!.parameters))
        var autoencoder = Autoencoder(configuration: Self.configuration())
        try autoencoder.fit(Self.data.features, sampleWeights: weights)
        #expect(autoencoder.history.epochsRun == 3)
    }

    @Test func balancedWeightsFollowScikitLearnsFormula() throws {
        let labels = [7, 7, 7, 7, 7, 7, 3, 3, 9, 9, 9, 9]
        let classes = [3, 7, 9]
        let weights = try ClassWeight.balanced.weights(classes: classes, labels: labels)
        // n_samples / (n_classes · bincount(y)).
        #expect(weights == [3: Float(12.0 / (3 * 2)), 7: Float(12.0 / (3 * 6)), 9: Float(12.0 / (3 * 4))])
        let perSample = try ClassWeight.balanced.sampleWeights(classes: classes, labels: labels, times: [Float](repeating: 2, count: 12))
        #expect(perSample == labels.map { 2 * weights[$0]! })
        let explicit = try ClassWeight.explicit([9: 5]).weights(classes: classes, labels: labels)
        #expect(explicit == [3: 1, 7: 1, 9: 5])
        #expect(throws: NeuralNetworkError.self) { try ClassWeight.explicit([4: 1]).weights(classes: classes, labels: labels) }
        #expect(throws: NeuralNetworkError.self) { try ClassWeight.explicit([3: -1]).weights(classes: classes, labels: labels) }

        // A fit with balanced weights equals the fit with those sample weights.
        var balanced = MLPClassifier(configuration: Self.configuration(epochs: 2))
        try balanced.fit(Self.data.features, labels: Self.data.labels, classWeight: .balanced)
        let sampleWeights = try ClassWeight.balanced.sampleWeights(classes: [0, 1, 2], labels: Self.data.labels)
        var explicitModel = MLPClassifier(configuration: Self.configuration(epochs: 2))
        try explicitModel.fit(Self.data.features, labels: Self.data.labels, sampleWeights: sampleWeights)
        #expect(bits(balanced.network!.parameters) == bits(explicitModel.network!.parameters))
    }

    @Test func badWeightsAreRefusedNamingTheRow() {
        func message(_ weights: [Float]) -> String {
            var model = MLPClassifier(configuration: Self.configuration(epochs: 1))
            do {
                try model.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
            } catch {
                #expect(model.network == nil)
                return error.description
            }
            return "accepted"
        }
        var weights = [Float](repeating: 1, count: 160)
        weights[3] = .nan
        #expect(message(weights).contains("row 3 is nan"))
        weights[3] = 1
        weights[17] = -2
        #expect(message(weights).contains("row 17 is -2"))
        weights[17] = .infinity
        #expect(message(weights).contains("row 17 is inf"))
        #expect(message([Float](repeating: 0, count: 160)).contains("every sample weight is 0"))
        #expect(message([1, 2]).contains("2 sample weights for 160 samples"))
    }

    /// The weights are part of the data: a checkpointed weighted run resumes bit for bit with the
    /// same weights, and refuses other weights.
    @Test func aWeightedRunResumesExactly() throws {
        let weights = (0..<160).map { Float(1 + $0 % 3) }
        var whole = MLPClassifier(configuration: Self.configuration(epochs: 4))
        try whole.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
        try withTemporaryDirectory("weighted") { directory in
            let path = directory + "/run.checkpoint"
            var first = MLPClassifier(configuration: Self.configuration(epochs: 2))
            first.checkpointing = Checkpointing(path: path)
            try first.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
            let checkpoint = try TrainingCheckpoint.load(from: path)
            #expect(checkpoint.dataFingerprint != DataFingerprint(
                features: Self.data.features, targets: .classes(Self.data.labels.map(Int32.init))))

            var other = try MLPClassifier(resumingFrom: checkpoint)
            other.configuration.maxEpochs = 4
            #expect(throws: NeuralNetworkError.self) {
                try other.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights.reversed())
            }
            var resumed = try MLPClassifier(resumingFrom: checkpoint)
            resumed.configuration.maxEpochs = 4
            try resumed.fit(Self.data.features, labels: Self.data.labels, sampleWeights: weights)
            #expect(bits(resumed.network!.parameters) == bits(whole.network!.parameters))
            #expect(resumed.history.lossCurve == whole.history.lossCurve)
        }
    }
}

/// The new options across ranks: dropout's masks follow the batch row, not the rank, and every
/// rank sums the same batch weights, so `R` ranks of one thread train what one process of `R`
/// threads trains, bit for bit.
@Suite struct DistributedOptionsTests {
    @Test(arguments: [2, 3])
    func ranksEqualThreadsWithTheNewOptions(ranks: Int) throws {
        let data = DistributedTrainingTests.data
        let weights = (0..<150).map { Float(1 + $0 % 5) / 2 }
        func configuration(threads: Int) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [16, 8], activation: .relu, optimizer: .adamw, learningRateInit: 0.01,
                batchSize: 32, maxEpochs: 4, alpha: 1e-3, seed: 9, threads: threads)
            configuration.dropout = 0.25
            configuration.weightDecay = 0.05
            configuration.learningRateSchedule = .cosine
            configuration.warmupEpochs = 1
            return configuration
        }
        var single = MLPClassifier(configuration: configuration(threads: ranks))
        try single.fit(data.features, labels: data.labels, sampleWeights: weights)
        let perRank = configuration(threads: 1)
        let models = try ThreadCommunicator.run(ranks: ranks) { _, communicator in
            var model = MLPClassifier(configuration: perRank)
            model.communicator = communicator
            try model.fit(data.features, labels: data.labels, sampleWeights: weights)
            return model
        }.map { try $0.get() }
        for (rank, model) in models.enumerated() {
            #expect(bits(model.network!.parameters) == bits(single.network!.parameters), "rank \(rank)")
            #expect(model.history.lossCurve == single.history.lossCurve, "rank \(rank)")
        }
    }
}
