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

    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize: Int = 256

    @Option(parsing: .unconditional, help: ArgumentHelp("Train on the first N images.", valueName: "N"))
    var samples: Int = 8_000

    @Option(help: ArgumentHelp("The first layer's input kernel.", valueName: "kernel"))
    var inputKernel: InputKernel = .automatic

    @Option(help: "Directory for results.md and results.json (default runs/bench-autoencoder-<timestamp>).")
    var out: String?

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, got \(samples)") }
    }

    func run() async throws {
        let benchmark = AutoencoderBenchmark(
            sampleCount: samples, batchSize: batchSize, epochs: training.epochs, threads: training.threads,
            inputKernel: inputKernel)
        let data = try training.loadImages(samples: samples)
        var standardError = StandardError()
        let result = try benchmark.run(on: data) { step in print(step, to: &standardError) }
        for line in result.lines { print(line) }
        var directory = try RunDirectory(path: out ?? defaultRunDirectory("bench-autoencoder"))
        try directory.write("# Autoencoder benchmark\n\n" + result.lines.map { "- \($0)" }.joined(separator: "\n") + "\n", to: "results.md")
        try directory.writeJSON(result, to: "results.json")
        print("Wrote \(directory.path)/results.md and results.json")
    }
}
