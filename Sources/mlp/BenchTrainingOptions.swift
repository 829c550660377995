import ArgumentParser
import Performance
import Reporting

/// The options `mlp bench train` and `mlp bench autoencoder` share: threads, epochs, where the
/// images come from and where the results go.
struct BenchTrainingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads per batch (0: every core).")
    var threads: Int = 0

    @Option(parsing: .unconditional, help: "Epochs timed (the median is reported).")
    var epochs: Int = 5

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

    /// Checks a command's batch size and sample count.
    static func check(batchSize: Int, samples: Int) throws {
        try OptionCheck.atLeast(1, batchSize, "--batch-size")
        try OptionCheck.atLeast(2, samples, "--samples")
    }

    /// Writes `markdown` as results.md and `result` as results.json into `--out` (or the
    /// command's default run directory) and says where.
    func save(markdown: String, result: some Encodable, command: String) throws {
        var directory = try RunDirectory(path: out ?? defaultRunDirectory(command))
        try directory.write(markdown, to: "results.md")
        try directory.writeJSON(result, to: "results.json")
        print("Wrote \(directory.path)/results.md and results.json")
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
