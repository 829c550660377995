import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Determinism, the data-parallel step, divergence, symmetry and early stopping.
@Suite struct TrainingTests {
    static let data = (features: TestData.normal(rows: 120, columns: 6, seed: 21),
                       labels: TestData.labels(count: 120, classes: 3, seed: 22))

    static func configuration(threads: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16, 8], activation: .relu, learningRateInit: 0.01, batchSize: 25,
            maxEpochs: 5, seed: 42, threads: threads)
        configuration.initialization = .heNormal
        return configuration
    }

    @Test(arguments: [1, 2, 3])
    func sameSeedAndThreadsGiveBitIdenticalWeights(threads: Int) throws {
        var first = MLPClassifier(configuration: TrainingTests.configuration(threads: threads))
        var second = first
        try first.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        try second.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        #expect(bits(first.network!.parameters) == bits(second.network!.parameters))
        #expect(first.history.lossCurve == second.history.lossCurve)
    }

    @Test func blasParallelismIsDeterministicAndAgreesWithDataParallel() throws {
        var configuration = TrainingTests.configuration(threads: 2)
        configuration.parallelism = .blas
        var first = MLPClassifier(configuration: configuration)
        var second = first
        try first.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        try second.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        #expect(bits(first.network!.parameters) == bits(second.network!.parameters))
        var dataParallel = MLPClassifier(configuration: TrainingTests.configuration(threads: 2))
        try dataParallel.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        for (a, b) in zip(first.history.lossCurve, dataParallel.history.lossCurve) {
            #expect(isClose(a, b, absolute: 1e-4, relative: 1e-3))
        }
    }

    @Test func regressionAndReconstructionRecordValidation() throws {
        let features = TestData.normal(rows: 80, columns: 3, seed: 12)
        let targets = Matrix(rows: 80, columns: 2) { row, column in features[row, column] - 0.5 * features[row, 2] }
        var configuration = TrainingConfiguration(hiddenLayerSizes: [8], activation: .tanh, learningRateInit: 0.01,
                                                  batchSize: 16, maxEpochs: 6, seed: 3, threads: 2)
        configuration.earlyStopping = true
        var regressor = MLPRegressor(configuration: configuration)
        try regressor.fit(features, targets: targets)
        #expect(regressor.history.validationScores.count == regressor.history.epochsRun)
        #expect(regressor.history.validationAccuracyCurve.isEmpty)
        #expect(regressor.history.bestValidationScore! <= 1)

        configuration.earlyStopping = false
        configuration.hiddenLayerSizes = [4, 2, 4]
        var autoencoder = Autoencoder(configuration: configuration)
        try autoencoder.fit(features, validation: TestData.normal(rows: 20, columns: 3, seed: 13))
        let history = autoencoder.history
        #expect(history.validationLossCurve.count == history.epochsRun)
        for (loss, score) in zip(history.validationLossCurve, history.validationScores) { #expect(score == -loss) }
    }

    @Test func differentSeedsGiveDifferentWeights() throws {
        var first = MLPClassifier(configuration: TrainingTests.configuration(threads: 1))
        var configuration = TrainingTests.configuration(threads: 1)
        configuration.seed = 43
        var second = MLPClassifier(configuration: configuration)
        try first.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        try second.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        #expect(bits(first.network!.parameters) != bits(second.network!.parameters))
    }

    /// The data-parallel batch gradient (rows split over workers, gradients summed) equals the
    /// one-worker gradient within rounding, for batch sizes that do and do not divide evenly.
    @Test(arguments: [2, 3, 4])
    func dataParallelGradientMatchesOneWorker(threads: Int) throws {
        var generator = SeededGenerator(seed: 8)
        let network = Network(layerSizes: [6, 16, 8, 3], hiddenActivation: .tanh, loss: .softmaxCrossEntropy,
                              initialization: .xavierNormal, using: &generator)
        let rows = 29
        let inputs = TestData.normal(rows: rows, columns: 6, seed: 9)
        let labels = TestData.labels(count: rows, classes: 3, seed: 10)
        let expected = network.gradient(inputs, targets: .classes(labels))

        var configuration = TrainingConfiguration()
        configuration.threads = threads
        configuration.alpha = 0
        let trainer = Trainer(network: network, configuration: configuration, batchCapacity: rows, keepsBestParameters: false)
        #expect(trainer.workers.count == threads)
        let set = TrainingSet(features: inputs, targets: .classes(labels.map { Int32($0) }))
        let (sums, used) = try set.indices.withUnsafeBufferPointer { try trainer.batchGradient(set, indices: $0) }
        #expect(used == threads)
        trainer.reduceGradients(workersUsed: used, rows: rows)
        #expect(isClose(sums.loss / Double(rows), expected.loss, absolute: 1e-6, relative: 1e-5))
        let gradient = Array(UnsafeBufferPointer(start: trainer.gradient, count: trainer.parameterCount))
        for k in gradient.indices {
            #expect(isClose(Double(gradient[k]), Double(expected.gradient[k]), absolute: 1e-6, relative: 1e-4))
        }
    }

    @Test func hugeLearningRateThrowsDivergenceNamingTheEpoch() {
        let features = TestData.normal(rows: 64, columns: 4, seed: 31)
        let targets = Matrix(rows: 64, columns: 2) { row, column in 100 * features[row, column] }
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16], activation: .relu, optimizer: .sgd, learningRateInit: 1e4,
            batchSize: 16, maxEpochs: 50, seed: 1, threads: 1)
        configuration.momentum = 0.9
        var model = MLPRegressor(configuration: configuration)
        do {
            try model.fit(features, targets: targets)
            Issue.record("training with a learning rate of 10⁴ did not diverge")
        } catch {
            guard case .diverged(let epoch, let batch, let loss, let learningRate) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(epoch >= 1 && batch >= 1 && !loss.isFinite && learningRate == 1e4)
            #expect(error.description.contains("epoch \(epoch)"))
            #expect(error.description.contains("lower learning rate"))
        }
        #expect(!model.isFitted, "a failed fit leaves the model as it was")
    }

    @Test func gradientClippingKeepsAHighLearningRateFinite() throws {
        let features = TestData.normal(rows: 64, columns: 4, seed: 31)
        let targets = Matrix(rows: 64, columns: 2) { row, column in 100 * features[row, column] }
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
            batchSize: 16, maxEpochs: 20, seed: 1, threads: 1)
        configuration.gradientClipNorm = 1
        var model = MLPRegressor(configuration: configuration)
        try model.fit(features, targets: targets)
        #expect(model.history.lossCurve.allSatisfy { $0.isFinite })
    }

    /// With zero initialisation every hidden unit gets the same gradient, so units stay identical.
    @Test func zeroInitializationKeepsHiddenUnitsIdentical() throws {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [4], activation: .sigmoid, optimizer: .sgd, learningRateInit: 0.5,
            batchSize: 10, maxEpochs: 20, seed: 1, threads: 1)
        configuration.initialization = .zero
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        let network = model.network!
        let w1 = network.weights(ofLayer: 0), b1 = network.bias(ofLayer: 0)
        let w2 = network.weights(ofLayer: 1)
        #expect(w2.elements.contains { $0 != 0 }, "training changed the output weights")
        for unit in 1..<4 {
            for input in 0..<6 { #expect(w1[input, unit].bitPattern == w1[input, 0].bitPattern) }
            #expect(b1[unit].bitPattern == b1[0].bitPattern)
            for output in 0..<3 { #expect(w2[unit, output].bitPattern == w2[0, output].bitPattern) }
        }
    }

    @Test(arguments: [Activation.relu, .leakyReLU, .tanh, .sigmoid])
    func sensibleLearningRatesNeverProduceNaN(activation: Activation) throws {
        let features = TestData.normal(rows: 200, columns: 20, seed: 3).map { $0 * 5 }
        let labels = TestData.labels(count: 200, classes: 10, seed: 4)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [64, 64, 32], activation: activation, learningRateInit: 0.01,
            batchSize: 32, maxEpochs: 15, seed: 1, threads: 2)
        configuration.initialization = .varianceScaling(for: activation)
        var model = MLPClassifier(configuration: configuration)
        try model.fit(features, labels: labels)
        #expect(model.history.lossCurve.allSatisfy { $0.isFinite })
        #expect(model.network!.parameters.allSatisfy { $0.isFinite })
    }

    @Test func explicitValidationIsRecordedAndEarlyStoppingRestoresTheBest() throws {
        let spirals = TestData.spirals(perClass: 60, seed: 2)
        let validation = TestData.spirals(perClass: 30, seed: 3)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [16], activation: .tanh, learningRateInit: 0.05, batchSize: 16,
            maxEpochs: 60, seed: 1, threads: 2)
        configuration.earlyStopping = true
        configuration.epochsWithoutImprovement = 5
        var progressEpochs = [Int]()
        var model = MLPClassifier(configuration: configuration)
        try model.fit(spirals.features, labels: spirals.labels,
                      validation: (features: validation.features, labels: validation.labels)) { report in
            progressEpochs.append(report.epoch)
            #expect(report.validationAccuracy != nil && report.trainingAccuracy != nil)
        }
        let history = model.history
        #expect(progressEpochs == Array(1...history.epochsRun))
        #expect(history.validationLossCurve.count == history.epochsRun)
        #expect(history.validationAccuracyCurve.count == history.epochsRun)
        #expect(history.secondsPerEpoch.count == history.epochsRun)
        #expect(history.bestValidationScore == history.validationAccuracyCurve.max())
        let restored = model.score(validation.features, labels: validation.labels)
        #expect(isClose(restored, history.bestValidationScore!, absolute: 1e-12))
        if history.stopReason == .noImprovement {
            let best = history.bestValidationEpoch!
            #expect(history.epochsRun >= best + configuration.epochsWithoutImprovement)
        }
    }

    @Test func earlyStoppingHoldsOutAStratifiedFraction() throws {
        var generator = SeededGenerator(seed: 1)
        let classes: [Int32] = Array(repeating: 0, count: 80) + Array(repeating: 1, count: 20)
        let split = try TrainingSet.split(sampleCount: 100, fraction: 0.1, classes: classes, using: &generator)
        #expect(split.validation.count == 10 && split.training.count == 90)
        #expect(split.validation.filter { classes[$0] == 1 }.count == 2)
        #expect(Set(split.training).isDisjoint(with: split.validation))

        var configuration = TrainingTests.configuration(threads: 1)
        configuration.earlyStopping = true
        configuration.maxEpochs = 8
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        #expect(model.history.validationScores.count == model.history.epochsRun)
        #expect(model.history.bestValidationScore != nil)
    }

    @Test func partialFitRunsOneEpochAndContinues() throws {
        var model = MLPClassifier(configuration: TrainingTests.configuration(threads: 1))
        try model.partialFit(TrainingTests.data.features, labels: TrainingTests.data.labels, classes: [0, 1, 2])
        #expect(model.history.epochsRun == 1 && model.history.stopReason == .partialFit)
        let before = model.network!.parameters
        try model.partialFit(TrainingTests.data.features, labels: TrainingTests.data.labels)
        #expect(model.history.epochsRun == 2)
        #expect(model.history.samplesSeen == 240)
        #expect(bits(model.network!.parameters) != bits(before))
        #expect(throws: NeuralNetworkError.self) {
            try model.partialFit(TrainingTests.data.features, labels: TrainingTests.data.labels, classes: [0, 1, 2, 3])
        }
    }

    @Test func labelsAreMappedToSortedClasses() throws {
        let labels = TestData.xor.labels.map { $0 == 0 ? 7 : -3 }
        var configuration = TrainingConfiguration(hiddenLayerSizes: [8], activation: .tanh,
                                                  learningRateInit: 0.05, batchSize: 4, maxEpochs: 400, seed: 3)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 400
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TestData.xor.features, labels: labels)
        #expect(model.classes == [-3, 7])
        #expect(model.predict(TestData.xor.features) == labels)
    }

    @Test func invalidDataIsATypedError() {
        var model = MLPClassifier()
        #expect(throws: NeuralNetworkError.self) { try model.fit(Matrix(rows: 3, columns: 2), labels: [0, 1]) }
        #expect(throws: NeuralNetworkError.self) { try model.fit(Matrix(rows: 3, columns: 2), labels: [1, 1, 1]) }
        #expect(throws: NeuralNetworkError.self) {
            try model.fit(Matrix(rows: 2, columns: 2), labels: [0, 1],
                          validation: (features: Matrix(rows: 1, columns: 2), labels: [5]))
        }
    }
}
