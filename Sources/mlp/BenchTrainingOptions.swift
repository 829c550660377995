import ArgumentParser
import NeuralNetwork
import Performance
import Reporting

/// The options `mlp bench train` and `mlp bench autoencoder` share: threads, epochs, where the
/// images come from and where the results go.
struct BenchTrainingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads per batch (0: every core).")
    var threads: Int = 0

    @Option(parsing: .unconditional, help: "Epochs timed (the median is reported).")
    var epochs: Int = 5

    @Flag(inversion: .prefixedNo, help: """
        Without --threads, run at 1 thread and then at every core, and report the 1→N scaling and each count's \
        ratio to the dense and sparse-aware bounds. (default: on)
        """)
    var threadScaling = true

    @Flag(help: "Use synthetic MNIST-shaped images even when MNIST is present.")
    var synthetic = false

    @Option(help: ArgumentHelp("The directory holding MNIST's IDX files (default: MNIST_DIR, ./data/mnist, system directories).", valueName: "dir"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Directory for results.md and results.json (default runs/bench-<command>-<timestamp>).", valueName: "dir"))
    var out: String?

    func validate() throws {
        try OptionCheck.threads(threads)
        try OptionCheck.atLeast(1, epochs, "--epochs")
    }

    /// The thread counts to run: 1 and every core when scaling is asked for and there are several
    /// cores, else the one count `--threads` gives.
    var threadCounts: [Int] {
        let cores = TrainingConfiguration(hiddenLayerSizes: [1], threads: 0).resolvedThreadCount
        return threads == 0 && threadScaling && cores > 1 ? [1, cores] : [threads]
    }

    /// Checks a command's batch size and sample count.
    static func check(batchSize: Int, samples: Int) throws {
        try OptionCheck.atLeast(1, batchSize, "--batch-size")
        try OptionCheck.atLeast(2, samples, "--samples")
    }

    /// Writes `markdown` as results.md and `result` as results.json into `--out` (or the
    /// command's default run directory) and says where.
    func save(markdown: String, result: some Encodable, command: String, extra: [String: ThreadScaling] = [:]) throws {
        var directory = try RunDirectory(path: out ?? defaultRunDirectory(command))
        try directory.write(markdown, to: "results.md")
        try directory.writeJSON(result, to: "results.json")
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { try directory.writeJSON(value, to: name) }
        print("Wrote \(directory.path)/results.md and results.json" + extra.keys.sorted().map { " and \($0)" }.joined())
    }

    /// MNIST's first `samples` training images, or synthetic ones; a note about the data goes to
    /// standard error.
    func loadImages(samples: Int) throws -> BenchmarkDataset {
        let data = try BenchmarkDataset.load(sampleCount: samples, dataDirectory: dataDir, synthetic: synthetic)
        var standardError = StandardError()
        if let note = data.note { print("Note: \(note)", to: &standardError) }
        return data
    }
}
