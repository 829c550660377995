import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// The fused first layer (``Trainer/FusedFirstLayer``): its steps against the data-parallel
/// step, with one thread and with the first layer's inputs split over two and three.
@Suite struct FusedFirstLayerTests {
    typealias Images = SparseInputTests.ByteImages

    /// A trainer for `layers` (ReLU) with SGD (momentum 0.9) or `optimizer` and L2 on, over
    /// `threads` threads.
    static func trainer(_ network: Network, threads: Int, optimizer: Optimizer = .sgd, nesterov: Bool = false,
                        batchCapacity: Int, kernel: InputKernel = .sparse, density: Double = 0.35) -> Trainer {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [], activation: .relu, optimizer: optimizer, learningRateInit: optimizer == .sgd ? 0.05 : 0.01,
            batchSize: batchCapacity, maxEpochs: 1, alpha: 0.1, seed: 1, threads: threads)
        configuration.momentum = 0.9
        configuration.nesterov = nesterov
        configuration.inputKernel = kernel
        configuration.sparseInputDensity = density
        configuration.weightDecay = 0.05
        return Trainer(network: network, configuration: configuration, batchCapacity: batchCapacity, keepsBestParameters: false)
    }

    static func network(hidden: Int, seed: UInt64) -> Network {
        var generator = SeededGenerator(seed: seed)
        return Network(layerSizes: [21, hidden, 10, 3], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                       initialization: .heNormal, using: &generator)
    }

    /// Runs the batches `batches` of `set` through `trainer`; returns the losses.
    static func steps(_ trainer: Trainer, _ set: TrainingSet, _ batches: [[Int]]) throws -> [Double] {
        try batches.map { batch in try batch.withUnsafeBufferPointer { try trainer.trainingStep(set, indices: $0).loss } }
    }

    static func parameters(_ trainer: Trainer) -> [Float] {
        Array(UnsafeBufferPointer(start: trainer.parameters, count: trainer.parameterCount))
    }

    /// The same steps, fused and data-parallel, agree to rounding, with plain and Nesterov
    /// momentum, Adam and AdamW, sample weights, and a last batch smaller than the others; 150 hidden units give
    /// each thread two 64-column slices and a remainder, and 21 inputs split 10 + 11 over two
    /// threads and 7 + 7 + 7 over three (where the third worker sums the partial products in
    /// thread order through its own partial buffer).
    @Test(arguments: [(1, Optimizer.sgd, false, false), (2, .sgd, false, false), (3, .sgd, false, false), (2, .sgd, true, false),
                      (2, .sgd, false, true), (1, .adam, false, false), (2, .adam, false, true), (3, .adamw, false, false)])
    func fusedStepsFollowTheDataParallelSteps(threads: Int, optimizer: Optimizer, nesterov: Bool, weighted: Bool) throws {
        let images = Images.random(samples: 90, seed: 50)
        let labels = TestData.labels(count: 90, classes: 3, seed: 51)
        let weights = weighted ? (0..<90).map { Float(1 + $0 % 4) / 2 } : nil
        let set = TrainingSet(features: images, targets: .classes(labels.map { Int32($0) }), sampleWeights: weights)
        let batches = [Array(0..<40), Array((40..<80).reversed()), Array(80..<90)]
        let network = FusedFirstLayerTests.network(hidden: 150, seed: 52)
        let fused = FusedFirstLayerTests.trainer(network, threads: threads, optimizer: optimizer, nesterov: nesterov, batchCapacity: 40)
        let reference = FusedFirstLayerTests.trainer(network, threads: threads, optimizer: optimizer, nesterov: nesterov, batchCapacity: 40)
        reference.usesFusedFirstLayer = false
        #expect(fused.fusedFirstLayer?.inputRanges.count == threads)
        // The fused step runs (it does not fall back to the data-parallel one).
        let first = try batches[0].withUnsafeBufferPointer { try fused.fusedStep(fused.fusedFirstLayer!, set, indices: $0) }
        #expect(first != nil)
        let referenceFirst = try FusedFirstLayerTests.steps(reference, set, [batches[0]])
        let fusedLosses = [first!.loss] + (try FusedFirstLayerTests.steps(fused, set, Array(batches.dropFirst())))
        let referenceLosses = referenceFirst + (try FusedFirstLayerTests.steps(reference, set, Array(batches.dropFirst())))
        for (a, b) in zip(fusedLosses, referenceLosses) { #expect(isClose(a, b, absolute: 1e-6, relative: 1e-5)) }
        let difference = zip(FusedFirstLayerTests.parameters(fused), FusedFirstLayerTests.parameters(reference))
            .map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference < 1e-5, "fused and data-parallel parameters differ by up to \(difference)")
        #expect(FusedFirstLayerTests.parameters(fused) != network.parameters, "the steps moved the parameters")
        // The optimiser's state (velocities or moments, steps) moved the same way.
        let moments = zip(fused.optimizer.state.firstMoment + fused.optimizer.state.secondMoment,
                          reference.optimizer.state.firstMoment + reference.optimizer.state.secondMoment).map { abs($0 - $1) }.max() ?? .infinity
        #expect(moments < 1e-5 && fused.optimizer.state.step == 3)
        #expect(fused.optimizer.state.secondMoment.count == (optimizer == .sgd ? 0 : fused.parameterCount))
    }

    /// The threads' input ranges balance the inputs' non-zeros: each range ends where the running
    /// count first reaches its share, keeps at least one input, and equal shares stand when
    /// nothing was counted.
    @Test func balancedRangesShareTheNonZeros() {
        func ranges(_ counts: [Int], _ threads: Int) -> [Range<Int>] {
            Trainer.FusedFirstLayer.balancedRanges(columnNonZeros: counts, threads: threads)
        }
        #expect(ranges([1, 1, 1, 1, 4, 0, 0, 0], 2) == [0..<4, 4..<8])  // 4 of 8 before input 4
        #expect(ranges([0, 0, 0, 1, 1, 1, 1, 4], 2) == [0..<7, 7..<8])
        #expect(ranges([3, 3, 3, 3, 3, 3], 3) == [0..<2, 2..<4, 4..<6])
        #expect(ranges([2, 1, 1, 1, 1, 2], 2) == [0..<3, 3..<6])
        // At least one input each, however the non-zeros lie.
        #expect(ranges([10, 0, 0, 0], 2) == [0..<1, 1..<4])
        #expect(ranges([0, 0, 0, 9], 3) == [0..<2, 2..<3, 3..<4])
        #expect(ranges([9, 0, 0, 0], 3) == [0..<1, 1..<2, 2..<4])
        #expect(ranges([0, 0, 0, 0, 0], 2) == [0..<2, 2..<5])
        #expect(ranges([5, 7], 1) == [0..<2])
        #expect(ranges([1, 1], 2) == [0..<1, 1..<2])
    }

    /// A trainer balances its threads' ranges on the data (images whose last 7 of 21 inputs
    /// hold most non-zeros): the counts match a naive count, the ranges change to the balanced
    /// ones, and the steps on them follow the data-parallel steps as with equal ranges.
    @Test func balancedRangesFollowTheDataParallelSteps() throws {
        var generator = SeededGenerator(seed: 70)
        let samples = 60, features = 21
        let bytes = (0..<(samples * features)).map { cell -> UInt8 in
            generator.nextUnitFloat() < (cell % features >= 14 ? 0.8 : 0.1) ? UInt8(1 + generator.nextIndex(below: 255)) : 0
        }
        let images = Images(bytes: bytes, sampleCount: samples, featureCount: features)
        let labels = TestData.labels(count: samples, classes: 3, seed: 71)
        let set = TrainingSet(features: images, targets: .classes(labels.map { Int32($0) }))
        let network = FusedFirstLayerTests.network(hidden: 70, seed: 72)
        let fused = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 30, density: 0.6)
        let reference = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 30, density: 0.6)
        reference.usesFusedFirstLayer = false
        let counted = fused.inputNonZeros(images, samples: Array(0..<samples))
        #expect(counted == (0..<features).map { column in (0..<samples).filter { bytes[$0 * features + column] != 0 }.count })
        #expect(fused.inputNonZeros(images.matrix, samples: Array(0..<samples)) == counted)
        #expect(fused.fusedFirstLayer?.inputRanges == [0..<10, 10..<21])
        fused.balanceFusedFirstLayer(columnNonZeros: counted)
        let balanced = Trainer.FusedFirstLayer.balancedRanges(columnNonZeros: counted, threads: 2)
        #expect(fused.fusedFirstLayer?.inputRanges == balanced)
        #expect(balanced[0].count > 14, "the sparse inputs 0..<14 hold under half of the non-zeros: \(balanced)")
        let batches = [Array(0..<30), Array((30..<60).reversed())]
        let first = try batches[0].withUnsafeBufferPointer { try fused.fusedStep(fused.fusedFirstLayer!, set, indices: $0) }
        #expect(first != nil)
        let fusedLosses = [first!.loss] + (try FusedFirstLayerTests.steps(fused, set, [batches[1]]))
        let referenceLosses = try FusedFirstLayerTests.steps(reference, set, batches)
        for (a, b) in zip(fusedLosses, referenceLosses) { #expect(isClose(a, b, absolute: 1e-6, relative: 1e-5)) }
        let difference = zip(FusedFirstLayerTests.parameters(fused), FusedFirstLayerTests.parameters(reference))
            .map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference < 1e-5, "fused and data-parallel parameters differ by up to \(difference)")
    }

    /// A fused run is deterministic, and from bytes equals the same features as a matrix (the
    /// rows loaded before the listing), bit for bit.
    @Test(arguments: [1, 2])
    func fusedTrainingIsDeterministicFromBytesAndFloats(threads: Int) throws {
        let images = Images.random(samples: 70, seed: 53)
        let labels = TestData.labels(count: 70, classes: 3, seed: 54)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [64, 8], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
            batchSize: 16, maxEpochs: 3, seed: 55, threads: threads)
        configuration.inputKernel = .sparse
        var fromBytes = MLPClassifier(configuration: configuration), again = fromBytes, fromFloats = fromBytes
        try fromBytes.fit(images, labels: labels)
        try again.fit(images, labels: labels)
        try fromFloats.fit(images.matrix, labels: labels)
        #expect(bits(fromBytes.network!.parameters) == bits(again.network!.parameters))
        #expect(bits(fromBytes.network!.parameters) == bits(fromFloats.network!.parameters))
        #expect(fromBytes.history.lossCurve == fromFloats.history.lossCurve)
    }

    /// A batch denser than the automatic kernel's threshold takes the data-parallel step (the
    /// same bits as a trainer without the fused layer); a sparser one the fused step.
    @Test func aDenseBatchTakesTheDataParallelStep() throws {
        let images = Images.random(samples: 40, denseEvery: 2, seed: 56)  // half the samples fully non-zero
        let labels = TestData.labels(count: 40, classes: 3, seed: 57)
        let set = TrainingSet(features: images, targets: .classes(labels.map { Int32($0) }))
        let network = FusedFirstLayerTests.network(hidden: 32, seed: 58)
        let fused = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 20, kernel: .automatic, density: 0.5)
        let reference = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 20, kernel: .automatic, density: 0.5)
        reference.usesFusedFirstLayer = false
        let dense = Array(0..<20), sparse = (20..<40).filter { $0 % 2 == 1 } + [21, 23]
        let outcome = try dense.withUnsafeBufferPointer { try fused.fusedStep(fused.fusedFirstLayer!, set, indices: $0) }
        #expect(outcome == nil)
        _ = try FusedFirstLayerTests.steps(fused, set, [dense])
        _ = try FusedFirstLayerTests.steps(reference, set, [dense])
        #expect(bits(FusedFirstLayerTests.parameters(fused)) == bits(FusedFirstLayerTests.parameters(reference)))
        let sparseOutcome = try sparse.withUnsafeBufferPointer { try fused.fusedStep(fused.fusedFirstLayer!, set, indices: $0) }
        #expect(sparseOutcome != nil)
    }

    /// Where the fused layer does not apply, trainers have none: clipping, dropout, the dense
    /// kernel, fewer inputs than threads; SGD, Adam and AdamW take it.
    @Test func theFusedLayerAppliesOnlyWhereItCan() {
        let network = FusedFirstLayerTests.network(hidden: 32, seed: 59)
        #expect(FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 8).fusedFirstLayer != nil)
        #expect(FusedFirstLayerTests.trainer(network, threads: 3, batchCapacity: 8).fusedFirstLayer?.inputRanges == [0..<7, 7..<14, 14..<21])
        var generator = SeededGenerator(seed: 65)
        let twoInputs = Network(layerSizes: [2, 32, 3], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                                initialization: .heNormal, using: &generator)
        #expect(FusedFirstLayerTests.trainer(twoInputs, threads: 2, batchCapacity: 8).fusedFirstLayer != nil)
        #expect(FusedFirstLayerTests.trainer(twoInputs, threads: 3, batchCapacity: 8).fusedFirstLayer == nil)
        #expect(FusedFirstLayerTests.trainer(network, threads: 1, batchCapacity: 8, kernel: .dense).fusedFirstLayer == nil)
        var configuration = TrainingConfiguration(hiddenLayerSizes: [], optimizer: .adam, threads: 1)
        configuration.inputKernel = .sparse
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer != nil)
        configuration.optimizer = .adamw
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer != nil)
        configuration.optimizer = .sgd
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer != nil)
        configuration.gradientClipNorm = 1
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer == nil)
        configuration.gradientClipNorm = nil
        configuration.dropout = 0.2
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer == nil)
        configuration.dropout = 0
        configuration.fusesFirstLayer = false
        #expect(Trainer(network: network, configuration: configuration, batchCapacity: 8, keepsBestParameters: false).fusedFirstLayer == nil)
        // The lists' budget: MNIST's batches of 128 at 2 threads fit (1.74 MB: two threads' lists
        // and scratch, 1.47 MB, and their partial products, 0.26 MB); all 60,000 images in one
        // batch at 8 threads (1.56 GB: each thread's 98 inputs listed whole) do not.
        let small = Trainer.FusedFirstLayer.listBytes(threads: 2, batchCapacity: 128, inputs: 784, outputs: 256, density: 0.35)
        let huge = Trainer.FusedFirstLayer.listBytes(threads: 8, batchCapacity: 60_000, inputs: 784, outputs: 256, density: 0.35)
        #expect(small > 1.7e6 && small < 1.8e6 && small <= Trainer.FusedFirstLayer.listBudget)
        #expect(huge > 1.5e9 && huge < 1.6e9 && huge > Trainer.FusedFirstLayer.listBudget)
    }

    /// The automatic kernel's density decides whether a set may take the fused step at all: from
    /// bytes and from floats alike, sparse images may, dense rows may not; the sparse kernel
    /// always may.
    @Test func denseDataDoesNotTryTheFusedStep() throws {
        let network = FusedFirstLayerTests.network(hidden: 32, seed: 60)
        let automatic = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 16, kernel: .automatic, density: 0.35)
        let sparseImages = Images.random(samples: 50, seed: 61), denseImages = Images.random(samples: 50, denseEvery: 1, seed: 62)
        let samples = Array(0..<50)
        #expect(automatic.inputIsSparseEnough(sparseImages, samples: samples))
        #expect(automatic.inputIsSparseEnough(sparseImages.matrix, samples: samples))
        #expect(!automatic.inputIsSparseEnough(denseImages, samples: samples))
        #expect(!automatic.inputIsSparseEnough(denseImages.matrix, samples: samples))
        let sparseKernel = FusedFirstLayerTests.trainer(network, threads: 2, batchCapacity: 16, kernel: .sparse)
        #expect(sparseKernel.inputIsSparseEnough(denseImages, samples: samples))
        // Training dense rows with the automatic kernel equals the data-parallel step bit for bit.
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [32, 10], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
            batchSize: 16, maxEpochs: 2, seed: 63, threads: 2)
        let labels = TestData.labels(count: 50, classes: 3, seed: 64)
        var fused = MLPClassifier(configuration: configuration)
        configuration.fusesFirstLayer = false
        var reference = MLPClassifier(configuration: configuration)
        try fused.fit(denseImages, labels: labels)
        try reference.fit(denseImages, labels: labels)
        #expect(bits(fused.network!.parameters) == bits(reference.network!.parameters))
    }
}
