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
    @Option(parsing: .unconditional, help: "Samples per mini-batch.") var batchSize: Int = 128
    @Option(parsing: .unconditional, help: ArgumentHelp("Train on the first N images (synthetic: N images).", valueName: "N"))
    var samples: Int = 60_000
    @Option(help: ArgumentHelp("The first layer's input kernel, or both (auto, then dense).", valueName: "kernel"))
    var inputKernel: BenchInputKernel = .both

    func validate() throws { try BenchTrainingOptions.check(batchSize: batchSize, samples: samples) }

    func run() async throws {
        let benchmark = TrainingBenchmark(batchSize: batchSize, epochs: training.epochs, threads: training.threads,
                                          inputKernels: inputKernel.kernels)
        let data = try training.loadImages(samples: samples)
        var standardError = StandardError()
        let result = try benchmark.run(on: data) { step in print(step, to: &standardError) }
        print(result.plainText)
        try training.save(markdown: result.markdown, result: result, command: "bench-train")
    }
}
