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

    @Option(help: "Threads for training, the GEMM replay and the peak (0: every core).")
    var threads: Int = 0

    @Option(help: "Samples per mini-batch.")
    var batchSize: Int = 128

    @Option(help: "Epochs timed for each input kernel (the median is reported).")
    var epochs: Int = 5

    @Option(help: ArgumentHelp("The first layer's input kernel: auto, dense, sparse, or both (auto and dense).", valueName: "kernel"))
    var inputKernel: String = "both"

    @Flag(help: "Use synthetic MNIST-shaped images even when MNIST is present.")
    var synthetic = false

    @Option(help: ArgumentHelp("Train on the first N images (synthetic: N images).", valueName: "N"))
    var samples: Int = 60_000

    @Option(help: ArgumentHelp("The directory holding MNIST's IDX files (default: MNIST_DIR, ./data/mnist, system directories).", valueName: "dir"))
    var dataDir: String?

    @Option(help: "Directory for results.md and results.json (default runs/bench-train-<timestamp>).")
    var out: String?

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 (every core) or more, got \(threads)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, got \(samples)") }
        _ = try inputKernels()
    }

    /// The kernels named by `--input-kernel`.
    func inputKernels() throws -> [InputKernel] {
        if inputKernel.lowercased() == "both" { return [.automatic, .dense] }
        do {
            return [try InputKernel(name: inputKernel)]
        } catch {
            throw ValidationError("--input-kernel: \(error.description) or both")
        }
    }

    func run() async throws {
        let benchmark = TrainingBenchmark(batchSize: batchSize, epochs: epochs, threads: threads, inputKernels: try inputKernels())
        let data = try BenchmarkDataset.load(sampleCount: samples, dataDirectory: dataDir, synthetic: synthetic)
        var standardError = StandardError()
        if let note = data.note { print("Note: \(note)", to: &standardError) }
        let result = try benchmark.run(on: data) { step in print(step, to: &standardError) }
        print(result.plainText)
        var directory = try RunDirectory(path: out ?? defaultRunDirectory("bench-train"))
        try directory.write(result.markdown, to: "results.md")
        try directory.writeJSON(result, to: "results.json")
        print("Wrote \(directory.path)/results.md and results.json")
    }
}
