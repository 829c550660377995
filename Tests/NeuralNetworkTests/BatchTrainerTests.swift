import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// The caller-driven ``BatchTrainer`` against the full-batch reference, and its errors.
@Suite struct BatchTrainerTests {
    static let features = TestData.normal(rows: 12, columns: 5, seed: 31)
    static let labels = TestData.labels(count: 12, classes: 3, seed: 32)

    static func network() -> Network {
        var generator = SeededGenerator(seed: 33)
        return Network(layerSizes: [5, 7, 3], hiddenActivation: .tanh, loss: .softmaxCrossEntropy,
                       initialization: .sklearn, using: &generator)
    }

    /// Plain SGD (no momentum, no L2) on the whole set is one step of gradient descent.
    @Test(arguments: [1, 2])
    func oneStepIsGradientDescent(threads: Int) throws {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [7], optimizer: .sgd, learningRateInit: 0.1, batchSize: 12, alpha: 0, threads: threads)
        configuration.momentum = 0
        configuration.nesterov = false
        let network = BatchTrainerTests.network()
        let trainer = try BatchTrainer(network: network, configuration: configuration, batchCapacity: 12)
        let indices = Array(0..<12)
        let loss = try indices.withUnsafeBufferPointer { batch in
            try trainer.step(features: BatchTrainerTests.features,
                             targets: .classes(BatchTrainerTests.labels.map { Int32($0) }), indices: batch)
        }
        let reference = network.gradientDescentStep(
            BatchTrainerTests.features, targets: .classes(BatchTrainerTests.labels), learningRate: 0.1)
        #expect(isClose(loss, reference.loss, absolute: 1e-6, relative: 1e-5))
        let worst = zip(trainer.network.parameters, reference.updated.parameters).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst < 1e-6, "largest parameter difference \(worst)")
        #expect(trainer.stepCount == 1)
    }

    @Test func badBatchesAreTypedErrors() throws {
        let trainer = try BatchTrainer(network: BatchTrainerTests.network(), configuration: TrainingConfiguration(), batchCapacity: 4)
        let labels: TrainingTargets = .classes(BatchTrainerTests.labels.map { Int32($0) })
        func failure(_ indices: [Int], features: Matrix = BatchTrainerTests.features, targets: TrainingTargets) -> NeuralNetworkError? {
            do {
                _ = try indices.withUnsafeBufferPointer { try trainer.step(features: features, targets: targets, indices: $0) }
                return nil
            } catch let error as NeuralNetworkError {
                return error
            } catch {
                Issue.record("untyped error \(error)")
                return nil
            }
        }
        #expect(failure([0, 1, 2, 3, 4], targets: labels) != nil)                       // more rows than the capacity
        #expect(failure([], targets: labels) != nil)                                    // an empty batch
        #expect(failure([0, 12], targets: labels) != nil)                               // an index out of range
        #expect(failure([0], targets: .classes([7] + Array(repeating: 0, count: 11))) != nil) // class 7 of 3
        #expect(failure([0], features: TestData.normal(rows: 12, columns: 4, seed: 1), targets: labels) != nil)
        #expect(failure([0], targets: .inputs) != nil)                                  // reconstruction needs squared error
        #expect(trainer.stepCount == 0)
        #expect(failure([0, 1], targets: labels) == nil)
        #expect(trainer.stepCount == 1)
        #expect(throws: NeuralNetworkError.self) {
            _ = try BatchTrainer(network: BatchTrainerTests.network(), configuration: TrainingConfiguration(), batchCapacity: 0)
        }
    }
}
