import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// The memory estimate that refuses a run too large for the machine counts the first layer's
/// sparse lists as the trainer allocates them: every worker's, and the fused step's threads' own.
@Suite struct MemoryEstimateTests {
    @Test("the estimate's sparse lists against the bytes a trainer's lists took",
          arguments: [(InputKernel.sparse, 1, true, 64), (.automatic, 2, true, 64), (.automatic, 3, true, 100),
                      (.sparse, 2, true, 9), (.automatic, 2, false, 64), (.sparse, 3, false, 50), (.dense, 2, true, 64)])
    func sparseListsAreCounted(kernel: InputKernel, threads: Int, fuses: Bool, batch: Int) throws {
        let sizes = [21, 150, 10, 3]
        var configuration = TrainingConfiguration(hiddenLayerSizes: Array(sizes.dropFirst().dropLast()), optimizer: .sgd,
                                                  batchSize: batch, threads: threads)
        configuration.inputKernel = kernel
        configuration.fusesFirstLayer = fuses
        var generator = SeededGenerator(seed: 3)
        let network = Network(layerSizes: sizes, hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              initialization: .heNormal, using: &generator)
        let trainer = Trainer(network: network, configuration: configuration, batchCapacity: batch, keepsBestParameters: false)
        let workerLists = trainer.workers.compactMap(\.sparseInput)
        let allocated = workerLists.reduce(0) { $0 + $1.allocatedBytes } + (trainer.fusedFirstLayer?.allocatedBytes ?? 0)
        let estimated = configuration.sparseListBytes(inputCount: sizes[0], firstWidth: sizes[1], batchRows: batch)
        #expect((trainer.fusedFirstLayer != nil) == (fuses && kernel != .dense))
        #expect(workerLists.count == (kernel == .dense ? 0 : Swift.min(threads, batch)))
        // The same count where the trainer uses every thread (as here); a bound otherwise.
        #expect(estimated == Double(allocated), "estimated \(estimated) bytes, the trainer's lists took \(allocated)")
        if kernel == .dense { #expect(allocated == 0) }
        // The whole estimate adds them to the dense one.
        var dense = configuration
        dense.inputKernel = .dense
        let whole = try #require(configuration.estimatedTrainingBytes(inputCount: sizes[0], outputCount: sizes[3], batchRows: batch))
        let withoutLists = try #require(dense.estimatedTrainingBytes(inputCount: sizes[0], outputCount: sizes[3], batchRows: batch))
        #expect(whole - withoutLists == allocated)
    }

    /// MNIST-sized lists: at batch 128 and 2 threads they are a few megabytes; a whole 60,000-image
    /// batch with the sparse kernel needs hundreds of megabytes that the estimate now counts.
    @Test func largeBatchesCountTheirLists() throws {
        var configuration = TrainingConfiguration(hiddenLayerSizes: [256, 128], optimizer: .sgd, batchSize: 128, threads: 2)
        let small = configuration.sparseListBytes(inputCount: 784, firstWidth: 256, batchRows: 128)
        #expect(small > 1e6 && small < 4e6)
        configuration.inputKernel = .sparse
        let whole = configuration.sparseListBytes(inputCount: 784, firstWidth: 256, batchRows: 60_000)
        // Two workers' lists of 30,000 × 784 entries at 20 bytes (8 by column, 12 by pair of
        // rows), and no fused lists (over budget).
        #expect(whole > 2 * 30_000 * 784 * 20 && whole < 2 * 30_000 * 784 * 20 * 1.1)
    }
}
