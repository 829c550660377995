import Datasets
import LinearAlgebra
import NeuralNetwork
import Reporting

/// Times whole training epochs of the section-B network and sets them against the bare `sgemm`
/// calls those epochs make and the machine's fp32 peak.
///
/// The network is 784-256-128-64-32-10 (ReLU hidden layers, He-normal initialisation, softmax
/// cross-entropy), trained by ``MLPClassifier`` with SGD (learning rate 0.01, momentum 0.9,
/// Nesterov, no L2 term, shuffled, fixed seed). For each input kernel it fits ``epochs`` epochs
/// and takes the median of `TrainingHistory.secondsPerEpoch` (everything the training loop does).
/// ``GemmReplay`` then replays the same epoch's dense products four ways; the fastest is the
/// "bare GEMM" time, and the engine's overhead ratio is its median epoch over that time.
public struct TrainingBenchmark: Sendable {
    /// The hidden layers of the section-B network.
    public static let sectionBHiddenLayerSizes = [256, 128, 64, 32]

    public var hiddenLayerSizes: [Int]
    /// Samples per mini-batch, default 128.
    public var batchSize: Int
    /// Epochs fitted for each input kernel, default 5.
    public var epochs: Int
    /// Threads for training, the replay and the peak; 0 means every core.
    public var threads: Int
    /// The input kernels to train with, one fit each; default automatic and dense.
    public var inputKernels: [InputKernel]
    /// Epochs replayed for each strategy (their median is reported), default 3.
    public var replayRepetitions: Int
    /// The seed of the initialisation, the shuffles and the replay's buffers.
    public var seed: UInt64
    /// Iterations of each round of the peak's FMA loop; `nil` lets it aim at 0.1 s a round.
    public var peakIterations: Int?

    public init(
        hiddenLayerSizes: [Int] = TrainingBenchmark.sectionBHiddenLayerSizes, batchSize: Int = 128,
        epochs: Int = 5, threads: Int = 0, inputKernels: [InputKernel] = [.automatic, .dense],
        replayRepetitions: Int = 3, seed: UInt64 = 1, peakIterations: Int? = nil
    ) {
        self.hiddenLayerSizes = hiddenLayerSizes
        self.batchSize = batchSize
        self.epochs = epochs
        self.threads = threads
        self.inputKernels = inputKernels
        self.replayRepetitions = replayRepetitions
        self.seed = seed
        self.peakIterations = peakIterations
    }

    /// The training configuration of one fit with `inputKernel`. Early stopping cannot end it:
    /// the tolerance is 0 and ``epochs`` non-improving epochs are allowed.
    public func trainingConfiguration(inputKernel: InputKernel) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: hiddenLayerSizes, activation: .relu, initialization: .heNormal, optimizer: .sgd,
            learningRateInit: 0.01, batchSize: batchSize, maxEpochs: epochs, alpha: 0, seed: seed, threads: threads)
        configuration.momentum = 0.9
        configuration.nesterov = true
        configuration.shuffle = true
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = epochs
        configuration.inputKernel = inputKernel
        return configuration
    }

    /// The threads actually used (``threads``, or every core when it is 0).
    public var resolvedThreadCount: Int {
        trainingConfiguration(inputKernel: .dense).resolvedThreadCount
    }

    /// The floating-point operations of one epoch of `sampleCount` samples through dense layers of
    /// `layerSizes` (input, hidden, output), counting only the products:
    ///
    /// ```
    /// flops = sampleCount · (2·Σₗ fanInₗ·fanOutₗ      forward, X·W
    ///                      + 2·Σₗ fanInₗ·fanOutₗ      weight gradients, Aᵀ·δ
    ///                      + 2·Σₗ₌₂ fanInₗ·fanOutₗ)   input gradients, δ·Wᵀ, none for layer 1
    /// ```
    ///
    /// For 784-256-128-64-32-10 that is 1,062,784 flops a sample, 63.77 GFLOP an epoch of 60,000.
    public static func denseFlopsPerEpoch(layerSizes: [Int], sampleCount: Int) -> Double {
        precondition(layerSizes.count >= 2, "a network needs an input and an output size, got \(layerSizes)")
        let products = zip(layerSizes, layerSizes.dropFirst()).map { Double($0) * Double($1) }
        let all = products.reduce(0, +)
        let aboveFirst = all - products[0]
        return Double(sampleCount) * (2 * all + 2 * all + 2 * aboveFirst)
    }

    /// The flops of the products that actually run in an epoch: ``denseFlopsPerEpoch(layerSizes:sampleCount:)``,
    /// but with the first layer's forward product `X·W₁` and weight gradient `Xᵀ·δ₁` visiting only
    /// the `nonZeroInputs` non-zero input values (2 flops per non-zero input and output unit each),
    /// as the sparse input kernel does:
    ///
    /// ```
    /// flops = dense − 2 · 2 · fanOut₁ · (sampleCount · fanIn₁ − nonZeroInputs)
    /// ```
    ///
    /// MNIST's 60,000 training images are 19.1 % non-zero, so the first layer's 75 % share of the
    /// dense flops shrinks about 5×: 63.77 GFLOP becomes about 24.8.
    public static func sparseAwareFlopsPerEpoch(layerSizes: [Int], sampleCount: Int, nonZeroInputs: Int) -> Double {
        precondition(layerSizes.count >= 2 && nonZeroInputs >= 0 && nonZeroInputs <= sampleCount * layerSizes[0],
                     "\(nonZeroInputs) non-zero inputs of \(sampleCount) samples of \(layerSizes.first ?? 0)")
        let skipped = Double(sampleCount) * Double(layerSizes[0]) - Double(nonZeroInputs)
        return denseFlopsPerEpoch(layerSizes: layerSizes, sampleCount: sampleCount) - 4 * Double(layerSizes[1]) * skipped
    }

    /// The flops of the products `inputKernel` runs on inputs of `nonZeroFraction` non-zeros:
    /// sparse-aware for the sparse kernel, and for the automatic one when the data's share of
    /// non-zeros is within the configuration's threshold (it decides per batch; the whole data's
    /// share stands for its batches); dense otherwise.
    public func boundFlopsPerEpoch(
        layerSizes: [Int], sampleCount: Int, nonZeroInputs: Int, inputKernel: InputKernel
    ) -> Double {
        TrainingBenchmark.boundFlopsPerEpoch(
            layerSizes: layerSizes, sampleCount: sampleCount, nonZeroInputs: nonZeroInputs, inputKernel: inputKernel,
            sparseInputDensity: trainingConfiguration(inputKernel: inputKernel).sparseInputDensity)
    }

    /// ``boundFlopsPerEpoch(layerSizes:sampleCount:nonZeroInputs:inputKernel:)`` for a configuration
    /// whose automatic kernel goes sparse up to `sparseInputDensity` (the autoencoder's too).
    public static func boundFlopsPerEpoch(
        layerSizes: [Int], sampleCount: Int, nonZeroInputs: Int, inputKernel: InputKernel, sparseInputDensity: Double
    ) -> Double {
        let fraction = Double(nonZeroInputs) / Double(Swift.max(1, sampleCount * layerSizes[0]))
        return inputKernel.runsSparse(density: fraction, threshold: sparseInputDensity)
            ? TrainingBenchmark.sparseAwareFlopsPerEpoch(layerSizes: layerSizes, sampleCount: sampleCount, nonZeroInputs: nonZeroInputs)
            : TrainingBenchmark.denseFlopsPerEpoch(layerSizes: layerSizes, sampleCount: sampleCount)
    }

    /// The number of non-zero pixels of `images`.
    public static func nonZeroInputs(_ images: Dataset) -> Int {
        images.pixels.reduce(into: 0) { count, pixel in if pixel != 0 { count &+= 1 } }
    }

    /// Trains, replays and measures the peak on `data`. `progress` is told each step as it starts
    /// and each epoch as it ends. OpenBLAS's thread count is restored afterwards.
    /// - Throws: ``NeuralNetworkError`` when training fails (for example, diverges).
    public func run(on data: BenchmarkDataset, progress: @escaping (String) -> Void = { _ in }) throws(NeuralNetworkError) -> Result {
        precondition(!inputKernels.isEmpty, "no input kernel to train with")
        precondition(epochs >= 1 && batchSize >= 1 && replayRepetitions >= 1,
                     "epochs \(epochs), batch size \(batchSize) and repetitions \(replayRepetitions) must be positive")
        let originalThreads = BLAS.threadCount
        defer { BLAS.setThreadCount(originalThreads) }
        let images = data.images
        let sampleCount = images.sampleCount
        let layerSizes = [images.featureCount] + hiddenLayerSizes + [images.classCount]
        let threadCount = resolvedThreadCount
        let flops = TrainingBenchmark.denseFlopsPerEpoch(layerSizes: layerSizes, sampleCount: sampleCount)
        let nonZeroInputs = TrainingBenchmark.nonZeroInputs(images)

        progress("fp32 peak: FMA loop on \(threadCount) threads, before and after the timed work")
        let ((engines, measurements), peak) = try PeakThroughput.measureAround(threads: threadCount, iterations: peakIterations) {
            () throws(NeuralNetworkError) in
            try timedWork(images: images, layerSizes: layerSizes, flops: flops, nonZeroInputs: nonZeroInputs,
                          threadCount: threadCount, progress: progress)
        }
        var result = Result(
            layerSizes: layerSizes, data: data.source, dataDescription: data.description, dataNote: data.note,
            sampleCount: sampleCount, batchSize: batchSize, epochs: epochs, threads: threadCount, seed: seed,
            machine: .current(), flopsPerEpoch: flops, engines: engines, replay: measurements,
            bareGemmSeconds: measurements.bareGemmSeconds, peakGflops: peak, epochSecondsAtPeak: flops / (peak * 1e9),
            nonZeroInputFraction: Double(nonZeroInputs) / Double(Swift.max(1, images.pixels.count)),
            sparseAwareFlopsPerEpoch: TrainingBenchmark.sparseAwareFlopsPerEpoch(
                layerSizes: layerSizes, sampleCount: sampleCount, nonZeroInputs: nonZeroInputs),
            peakResidentMegabytes: ResourceUsage.peakResidentMegabytes(), notes: [])
        result.notes = result.standardNotes
        return result
    }

    /// The engine's epochs with each input kernel and the bare-GEMM replay of each strategy.
    private func timedWork(images: Dataset, layerSizes: [Int], flops: Double, nonZeroInputs: Int, threadCount: Int,
                           progress: @escaping (String) -> Void) throws(NeuralNetworkError)
        -> ([EngineRun], [GemmReplay.Measurement]) {
        let sampleCount = images.sampleCount
        var engines: [EngineRun] = []
        let labels = images.integerLabels
        for inputKernel in inputKernels {
            progress("training, input kernel \(inputKernel.rawValue): \(epochs) epochs")
            var classifier = MLPClassifier(configuration: trainingConfiguration(inputKernel: inputKernel))
            try classifier.fit(images, labels: labels) { report in
                progress("  epoch \(report.epoch)/\(report.maxEpochs): \(NumberFormat.duration(seconds: report.seconds)), "
                         + "loss \(NumberFormat.fixed(report.loss, decimals: 4))")
            }
            var engine = EngineRun(inputKernel: inputKernel, history: classifier.history, sampleCount: sampleCount, flopsPerEpoch: flops)
            engine.boundFlopsPerEpoch = boundFlopsPerEpoch(layerSizes: layerSizes, sampleCount: sampleCount,
                                                           nonZeroInputs: nonZeroInputs, inputKernel: inputKernel)
            engines.append(engine)
        }

        let replay = GemmReplay(layerSizes: layerSizes, sampleCount: sampleCount, batchSize: batchSize, threads: threadCount, seed: seed)
        var measurements: [GemmReplay.Measurement] = []
        for strategy in GemmReplay.availableStrategies {
            progress("bare GEMM replay: \(strategy.label(threads: threadCount))")
            measurements.append(replay.measure(strategy, repetitions: replayRepetitions))
        }
        let bareGemm = measurements.bareGemmSeconds
        for index in engines.indices { engines[index].overheadRatio = engines[index].medianEpochSeconds / bareGemm }
        return (engines, measurements)
    }

}

extension TrainingBenchmark {
    /// The timing of one fit.
    public struct EngineRun: Sendable, Hashable, Codable {
        public var inputKernel: InputKernel
        /// The wall-clock seconds of each epoch (`TrainingHistory.secondsPerEpoch`).
        public var secondsPerEpoch: [Double]
        /// The median of ``secondsPerEpoch``.
        public var medianEpochSeconds: Double
        /// Samples per second at the median epoch.
        public var samplesPerSecond: Double
        /// The dense flops of an epoch over the median epoch, in GFLOP/s (the sparse input kernel
        /// does fewer flops than it is credited with).
        public var effectiveGflops: Double
        /// The median epoch over the bare-GEMM replay's time.
        public var overheadRatio: Double
        /// The mean training loss of the last epoch.
        public var finalLoss: Double
        /// The flops of the products this input kernel runs (sparse-aware, or dense); see
        /// ``TrainingBenchmark/boundFlopsPerEpoch(layerSizes:sampleCount:nonZeroInputs:inputKernel:)``.
        public var boundFlopsPerEpoch: Double

        init(inputKernel: InputKernel, history: TrainingHistory, sampleCount: Int, flopsPerEpoch: Double) {
            self.inputKernel = inputKernel
            secondsPerEpoch = history.secondsPerEpoch
            medianEpochSeconds = Stopwatch.median(history.secondsPerEpoch)
            samplesPerSecond = Double(sampleCount) / medianEpochSeconds
            effectiveGflops = flopsPerEpoch / medianEpochSeconds / 1e9
            overheadRatio = .nan
            finalLoss = history.finalLoss ?? .nan
            boundFlopsPerEpoch = flopsPerEpoch
        }
    }

    /// Everything one run measured.
    public struct Result: Sendable, Hashable, Codable {
        /// The widths of the input, the hidden layers and the output.
        public var layerSizes: [Int]
        /// Whether the images were MNIST's or synthetic.
        public var data: BenchmarkDataset.Source
        public var dataDescription: String
        /// Why synthetic data was used, when it was.
        public var dataNote: String?
        public var sampleCount: Int
        public var batchSize: Int
        public var epochs: Int
        public var threads: Int
        public var seed: UInt64
        /// The CPU and OpenBLAS kernels the run measured.
        public var machine: MachineDescription
        /// ``TrainingBenchmark/denseFlopsPerEpoch(layerSizes:sampleCount:)``.
        public var flopsPerEpoch: Double
        /// One fit per input kernel.
        public var engines: [EngineRun]
        /// The replay's strategies, in the order run.
        public var replay: [GemmReplay.Measurement]
        /// The fastest replay's median epoch: the bare-GEMM time.
        public var bareGemmSeconds: Double
        /// The fp32 peak of ``threads`` threads (FMA loop), in GFLOP/s.
        public var peakGflops: Double
        /// ``flopsPerEpoch`` at the peak: the shortest epoch the dense flops allow (the dense bound).
        public var epochSecondsAtPeak: Double
        /// The share of the input values that are not zero.
        public var nonZeroInputFraction: Double
        /// ``TrainingBenchmark/sparseAwareFlopsPerEpoch(layerSizes:sampleCount:nonZeroInputs:)``.
        public var sparseAwareFlopsPerEpoch: Double
        /// ``sparseAwareFlopsPerEpoch`` at the peak: the shortest epoch the sparse kernels allow
        /// (the sparse-aware bound).
        public var epochSecondsAtSparseBound: Double { sparseAwareFlopsPerEpoch / (peakGflops * 1e9) }
        /// The process's peak resident memory at the end of the run (dataset included), in MB.
        public var peakResidentMegabytes: Double
        /// What the numbers mean and what they leave out, for reports.
        public var notes: [String]

        /// The fastest replay strategy.
        public var bareGemmStrategy: GemmReplay.Strategy? {
            replay.min { $0.medianSeconds < $1.medianSeconds }?.strategy
        }
    }
}

extension [GemmReplay.Measurement] {
    /// The bare-GEMM epoch: the fastest strategy's median (NaN without measurements).
    var bareGemmSeconds: Double { self.min { $0.medianSeconds < $1.medianSeconds }?.medianSeconds ?? .nan }
}
