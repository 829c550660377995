import ArgumentParser
import NeuralNetwork
import Performance
import Reporting

/// `mlp bench train`: epoch times of the section-B network against its bare GEMM calls and the
/// fp32 peak (see `TrainingBenchmark`).
struct BenchTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training epochs of 784-256-128-64-32-10 (SGD) on MNIST against its bare GEMM calls and the fp32 peak.")

    @OptionGroup var training: BenchTrainingOptions
    @OptionGroup var distribution: DistributionOptions
    @Option(help: "With --distributed, how the ranks' gradients are summed: ordered or allreduce.")
    var reduction: GradientReduction = .ordered
    @Option(parsing: .unconditional, help: "Samples per mini-batch.") var batchSize: Int = 128
    @Option(parsing: .unconditional, help: ArgumentHelp("Train on the first N images (synthetic: N images).", valueName: "N"))
    var samples: Int = 60_000
    @Option(help: ArgumentHelp("The first layer's input kernel, or both (auto, then dense).", valueName: "kernel"))
    var inputKernel: BenchInputKernel = .both

    func validate() throws { try BenchTrainingOptions.check(batchSize: batchSize, samples: samples) }

    func run() async throws {
        if distribution.distributed { return try await runDistributed() }
        let data = try training.loadImages(samples: samples)
        var standardError = StandardError()
        var results: [TrainingBenchmark.Result] = []
        for threads in training.threadCounts {
            let benchmark = TrainingBenchmark(batchSize: batchSize, epochs: training.epochs, threads: threads,
                                              inputKernels: inputKernel.kernels)
            let result = try benchmark.run(on: data) { step in print(step, to: &standardError) }
            print(result.plainText + "\n")
            results.append(result)
        }
        guard let last = results.last else { return }
        var markdown = results.map(\.markdown).joined(separator: "\n")
        var extra: [String: ThreadScaling] = [:]
        if results.count > 1 {
            let scaling = ThreadScaling(
                threads: results.map(\.threads), peakGflops: results.map(\.peakGflops),
                rows: last.engines.indices.map { index in
                    ThreadScaling.Row(
                        label: "engine, input kernel \(last.engines[index].inputKernel.rawValue)",
                        seconds: results.map { $0.engines[index].medianEpochSeconds },
                        denseBoundSeconds: results.map(\.epochSecondsAtPeak),
                        sparseBoundSeconds: results.map(\.epochSecondsAtSparseBound))
                } + [ThreadScaling.Row(label: "bare GEMM (fastest replay)", seconds: results.map(\.bareGemmSeconds),
                                       denseBoundSeconds: results.map(\.epochSecondsAtPeak),
                                       sparseBoundSeconds: results.map(\.epochSecondsAtSparseBound))])
            print(scaling.table.plainText())
            markdown += "\n" + scaling.table.markdown() + "\n"
            extra["thread-scaling.json"] = scaling
        }
        try training.save(markdown: markdown, result: last, command: "bench-train", extra: extra)
    }

    /// Epochs on rank 0 alone and on every rank, then the model of larger clusters built on them.
    func runDistributed() async throws {
        let communicator = try distribution.communicator()
        let data = try await communicator.collectively { try training.loadImages(samples: samples) }
        let benchmark = DistributedBenchmark(batchSize: batchSize, epochs: training.epochs,
                                             threads: training.threads == 0 ? 1 : training.threads, reduction: reduction)
        var standardError = StandardError()
        let result = try benchmark.run(on: data, communicator: communicator) { step in
            if communicator.isLeader { print(step, to: &standardError) }
        }
        guard let result else { return }
        let model = ScalingModel(computeSecondsPerSample: result.computeSecondsPerSample,
                                 bytesPerReduction: Double(result.bytesPerReduction), sampleCount: result.sampleCount)
        let tables = [result.table] + ScalingModel.Network.ethernet.map(model.table)
        print(result.lines.joined(separator: "\n") + "\n")
        for table in tables { print(table.plainText()) }
        try training.save(
            markdown: "# Distributed training benchmark\n\n" + result.lines.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
                + tables.map { $0.markdown() }.joined(separator: "\n\n") + "\n",
            result: result, command: "bench-train-distributed")
    }
}
