import ArgumentParser
import Performance

/// The options `mlp bench train` and `mlp bench autoencoder` share: threads, epochs and where
/// the images come from.
struct BenchTrainingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads per batch (0: every core).")
    var threads: Int = 0

    @Option(parsing: .unconditional, help: "Epochs timed (the median is reported).")
    var epochs: Int = 5

    @Flag(help: "Use synthetic MNIST-shaped images even when MNIST is present.")
    var synthetic = false

    @Option(help: ArgumentHelp("The directory holding MNIST's IDX files (default: MNIST_DIR, ./data/mnist, system directories).", valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        guard (0...1024).contains(threads) else { throw ValidationError("--threads must lie in 0...1024 (0: every core), got \(threads)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
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
