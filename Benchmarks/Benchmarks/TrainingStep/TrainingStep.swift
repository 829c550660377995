import Benchmark
import BenchmarkSupport
import MLPCore
import NeuralNetwork
import Performance

/// One training step (forward pass, back-propagation, optimiser update) of a batch through the
/// public `BatchTrainer`, on seeded MNIST-shaped images (`BenchmarkDataset.synthetic`, bytes that
/// the trainer scales as `mlp train` does). Each iteration is
/// one step on the next batch of a seeded permutation of 4,096 images; "Samples / s" is the
/// batch's rows over the step's time, and "Malloc (total)" counts allocations during the step.
let benchmarks: @Sendable () -> Void = {
    let images = BenchmarkDataset.synthetic(sampleCount: 4_096, seed: 1)
    let labels = images.integerLabels.map { Int32($0) }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .samplesPerSecond, .mallocCountTotal], warmupIterations: 5,
        maxDuration: .seconds(3), maxIterations: 1_000)

    func register(_ name: String, layerSizes: [Int], loss: LossFunction, training: TrainingConfiguration, targets: TrainingTargets) {
        var generator = SeededGenerator(seed: training.seed)
        let network = Network(
            layerSizes: layerSizes, hiddenActivation: training.activation, loss: loss,
            initialization: training.initialization, using: &generator)
        let batchSize = training.batchSize
        var order = Array(0..<images.sampleCount)
        seededShuffle(&order, using: &generator)
        let batchCount = order.count / batchSize
        let slot = TrainerSlot()
        let threads = training.threads == 1 ? "1 thread" : "\(training.threads) threads"
        Benchmark("\(name), \(threads)", configuration: configuration) { (benchmark: Benchmark) throws in
            guard let trainer = slot.trainer else { return benchmark.error("the setup made no trainer") }
            let start = trainer.stepCount % batchCount * batchSize
            try order.withUnsafeBufferPointer { all in
                let batch = UnsafeBufferPointer(rebasing: all[start..<start + batchSize])
                try benchmark.measureRate(of: batchSize, as: .samplesPerSecond) {
                    try trainer.step(features: images, targets: targets, indices: batch)
                }
            }
        } setup: {
            slot.trainer = try BatchTrainer(network: network, configuration: training, batchCapacity: batchSize)
        } teardown: {
            slot.trainer = nil
        }
    }

    // Section B: 784-256-128-64-32-10, ReLU, softmax cross-entropy, SGD (η = 0.01, Nesterov
    // momentum 0.9), batch 128; the first layer always through BLAS (dense), or through the
    // sparse kernel when a batch's density is at most `sparseInputDensity` (auto).
    for threads in [1, 2] {
        for inputKernel in [InputKernel.dense, .automatic] {
            var training = TrainingConfiguration(
                hiddenLayerSizes: [256, 128, 64, 32], activation: .relu, optimizer: .sgd,
                learningRateInit: 0.01, batchSize: 128, seed: 1, threads: threads)
            training.momentum = 0.9
            training.inputKernel = inputKernel
            register(
                "B classifier 784-256-128-64-32-10 SGD batch 128, \(inputKernel.rawValue) input",
                layerSizes: [784] + training.hiddenLayerSizes + [10], loss: .softmaxCrossEntropy,
                training: training, targets: .classes(labels))
        }
    }

    // Section C4: the autoencoder 784-512-128-32-128-512-784, ReLU, squared error on its own
    // input, Adam (η = 0.001, no L2), batch 256, input kernel auto.
    for threads in [1, 2] {
        let training = TrainingConfiguration(
            hiddenLayerSizes: [512, 128, 32, 128, 512], activation: .relu, optimizer: .adam,
            learningRateInit: 0.001, batchSize: 256, alpha: 0, seed: 1, threads: threads)
        register(
            "Autoencoder 784-512-128-32-128-512-784 Adam batch 256",
            layerSizes: [784] + training.hiddenLayerSizes + [784], loss: .squaredError(.halfMeanOverSamples),
            training: training, targets: .inputs)
    }
}
