import ArgumentParser
import NeuralNetwork
import Performance
import Reporting

/// `mlp bench autoencoder`: epoch times of the C4 autoencoder (see `AutoencoderBenchmark`).
struct BenchAutoencoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoencoder",
        abstract: "Time training epochs of the 784-512-128-32-128-512-784 autoencoder on 8,000 MNIST images at batch 256.")

    @OptionGroup var training: BenchTrainingOptions
    @Option(parsing: .unconditional, help: "Samples per mini-batch.") var batchSize: Int = 256
    @Option(parsing: .unconditional, help: ArgumentHelp("Train on the first N images.", valueName: "N")) var samples: Int = 8_000
    @Option(help: ArgumentHelp("The first layer's input kernel.", valueName: "kernel")) var inputKernel: InputKernel = .automatic

    func validate() throws { try BenchTrainingOptions.check(batchSize: batchSize, samples: samples) }

    func run() async throws {
        let data = try training.loadImages(samples: samples)
        var standardError = StandardError()
        var results: [AutoencoderBenchmark.Result] = []
        var markdown = ""
        for threads in training.threadCounts {
            let benchmark = AutoencoderBenchmark(
                sampleCount: samples, batchSize: batchSize, epochs: training.epochs, threads: threads, inputKernel: inputKernel)
            let result = try benchmark.run(on: data) { step in print(step, to: &standardError) }
            for line in result.lines { print(line) }
            print("")
            markdown += "# Autoencoder benchmark, \(result.threads) thread\(result.threads == 1 ? "" : "s")\n\n"
                + result.lines.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
            results.append(result)
        }
        guard let last = results.last else { return }
        var extra: [String: ThreadScaling] = [:]
        if results.count > 1 {
            let scaling = ThreadScaling(
                threads: results.map(\.threads), peakGflops: results.map(\.peakGflops),
                rows: [ThreadScaling.Row(label: "autoencoder epoch, input kernel \(inputKernel.rawValue)",
                                         seconds: results.map(\.medianEpochSeconds),
                                         denseBoundSeconds: results.map(\.epochSecondsAtPeak),
                                         sparseBoundSeconds: results.map(\.epochSecondsAtSparseBound))])
            print(scaling.table.plainText())
            markdown += scaling.table.markdown() + "\n"
            extra["thread-scaling.json"] = scaling
        }
        try training.save(markdown: markdown, result: last, command: "bench-autoencoder", extra: extra)
    }
}
