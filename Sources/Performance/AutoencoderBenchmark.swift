import Datasets
import LinearAlgebra
import NeuralNetwork
import Reporting

/// Epoch times of the C4 autoencoder, 784-512-128-32-128-512-784 (ReLU, squared error, Adam),
/// on the first 8,000 images at batch 256, against the dense flops of an epoch and the fp32 peak.
public struct AutoencoderBenchmark: Sendable {
    /// The hidden layers of the autoencoder.
    public static let hiddenLayerSizes = [512, 128, 32, 128, 512]

    public var sampleCount: Int
    public var batchSize: Int
    public var epochs: Int
    /// Threads per batch; 0 means every core.
    public var threads: Int
    public var inputKernel: InputKernel
    public var seed: UInt64

    public init(sampleCount: Int = 8_000, batchSize: Int = 256, epochs: Int = 7, threads: Int = 0,
                inputKernel: InputKernel = .automatic, seed: UInt64 = 1) {
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.epochs = epochs
        self.threads = threads
        self.inputKernel = inputKernel
        self.seed = seed
    }

    /// The training configuration: Adam at 0.001, no L2, every epoch run.
    public var trainingConfiguration: TrainingConfiguration {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: AutoencoderBenchmark.hiddenLayerSizes, activation: .relu, initialization: .heNormal,
            optimizer: .adam, learningRateInit: 0.001, batchSize: batchSize, maxEpochs: epochs, alpha: 0,
            seed: seed, threads: threads)
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = epochs
        configuration.inputKernel = inputKernel
        return configuration
    }

    /// What one run measured.
    public struct Result: Sendable, Hashable, Codable {
        public var layerSizes: [Int]
        public var dataDescription: String
        public var sampleCount: Int
        public var batchSize: Int
        public var threads: Int
        public var inputKernel: InputKernel
        public var secondsPerEpoch: [Double]
        public var medianEpochSeconds: Double
        /// The dense flops of one epoch (see ``TrainingBenchmark/denseFlopsPerEpoch(layerSizes:sampleCount:)``).
        public var flopsPerEpoch: Double
        public var peakGflops: Double
        /// ``flopsPerEpoch`` at the peak (the dense bound).
        public var epochSecondsAtPeak: Double
        /// The share of the input values that are not zero.
        public var nonZeroInputFraction: Double
        /// The flops of the products the input kernel runs (see
        /// ``TrainingBenchmark/sparseAwareFlopsPerEpoch(layerSizes:sampleCount:nonZeroInputs:)``).
        public var boundFlopsPerEpoch: Double
        /// ``boundFlopsPerEpoch`` at the peak (the sparse-aware bound).
        public var epochSecondsAtSparseBound: Double { boundFlopsPerEpoch / (peakGflops * 1e9) }
        public var finalLoss: Double
        public var peakResidentMegabytes: Double
        /// The CPU and OpenBLAS kernels the run measured.
        public var machine: MachineDescription
    }

    /// Trains on the first ``sampleCount`` images of `data` and measures the peak on the same threads,
    /// before and after training (the higher of the two; see ``PeakThroughput/measureAround(threads:iterations:_:)``).
    public func run(on data: BenchmarkDataset, progress: @escaping (String) -> Void = { _ in }) throws(NeuralNetworkError) -> Result {
        let images = data.images.sampleCount > sampleCount ? data.images.subset(Array(0..<sampleCount)) : data.images
        let configuration = trainingConfiguration
        var model = Autoencoder(configuration: configuration)
        progress("fp32 peak: FMA loop on \(configuration.resolvedThreadCount) threads, before and after training")
        let peak = try PeakThroughput.measureAround(threads: configuration.resolvedThreadCount) { () throws(NeuralNetworkError) in
            try model.fit(images) { report in
                progress("  epoch \(report.epoch)/\(report.maxEpochs): \(NumberFormat.duration(seconds: report.seconds)), "
                         + "loss \(NumberFormat.fixed(report.loss, decimals: 4))")
            }
        }.peakGflops
        let layerSizes = [images.featureCount] + AutoencoderBenchmark.hiddenLayerSizes + [images.featureCount]
        let flops = TrainingBenchmark.denseFlopsPerEpoch(layerSizes: layerSizes, sampleCount: images.sampleCount)
        let nonZeroInputs = TrainingBenchmark.nonZeroInputs(images)
        let fraction = Double(nonZeroInputs) / Double(Swift.max(1, images.pixels.count))
        let boundFlops = TrainingBenchmark.boundFlopsPerEpoch(
            layerSizes: layerSizes, sampleCount: images.sampleCount, nonZeroInputs: nonZeroInputs, inputKernel: inputKernel,
            sparseInputDensity: configuration.sparseInputDensity)
        let seconds = model.history.secondsPerEpoch
        let median = Stopwatch.median(seconds)
        return Result(
            layerSizes: layerSizes, dataDescription: data.description, sampleCount: images.sampleCount,
            batchSize: batchSize, threads: configuration.resolvedThreadCount, inputKernel: inputKernel,
            secondsPerEpoch: seconds, medianEpochSeconds: median, flopsPerEpoch: flops, peakGflops: peak,
            epochSecondsAtPeak: flops / (peak * 1e9), nonZeroInputFraction: fraction, boundFlopsPerEpoch: boundFlops,
            finalLoss: model.history.lossCurve.last ?? .nan,
            peakResidentMegabytes: ResourceUsage.peakResidentMegabytes(), machine: .current())
    }
}

extension AutoencoderBenchmark.Result {
    /// One line per fact, for the terminal and Markdown.
    public var lines: [String] {
        [
            "Autoencoder \(layerSizes.map(String.init).joined(separator: "-")) (ReLU, squared error, Adam 0.001), "
                + "\(NumberFormat.grouped(sampleCount)) images (\(dataDescription)), batch \(batchSize), \(threads) threads, input kernel \(inputKernel.rawValue)",
            "Median epoch: \(NumberFormat.fixed(medianEpochSeconds, decimals: 3)) s over \(secondsPerEpoch.count) epochs "
                + "(\(secondsPerEpoch.map { NumberFormat.fixed($0, decimals: 3) }.joined(separator: ", ")))",
            "Dense flops per epoch: \(NumberFormat.fixed(flopsPerEpoch / 1e9, decimals: 2)) GFLOP, "
                + "\(NumberFormat.fixed(flopsPerEpoch / medianEpochSeconds / 1e9, decimals: 1)) GFLOP/s effective; "
                + "fp32 peak \(NumberFormat.fixed(peakGflops, decimals: 1)) GFLOP/s (the higher of before and after "
                + "training), so a dense epoch needs at least "
                + "\(NumberFormat.fixed(epochSecondsAtPeak, decimals: 3)) s (the dense bound)",
            "Inputs \(NumberFormat.percent(nonZeroInputFraction, decimals: 1)) non-zero: the products input kernel "
                + "\(inputKernel.rawValue) runs need \(NumberFormat.fixed(boundFlopsPerEpoch / 1e9, decimals: 2)) GFLOP, at best "
                + "\(NumberFormat.fixed(epochSecondsAtSparseBound, decimals: 3)) s (the sparse-aware bound)",
            "Median epoch against the bounds: \(NumberFormat.fixed(medianEpochSeconds / epochSecondsAtPeak, decimals: 2))× the dense bound, "
                + "\(NumberFormat.fixed(medianEpochSeconds / epochSecondsAtSparseBound, decimals: 2))× the sparse-aware bound",
            "Final training loss \(NumberFormat.fixed(finalLoss, decimals: 4)); peak resident memory "
                + "\(NumberFormat.fixed(peakResidentMegabytes, decimals: 0)) MB",
        ] + machine.lines
    }
}
