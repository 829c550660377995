import ArgumentParser
import Experiments

/// `mlp autoencoder`: relu and identity autoencoders against the PCA floor.
struct AutoencoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoencoder",
        abstract: "Train 784-512-128-32-128-512-784 autoencoders (relu, identity) and compare with PCA.")

    @OptionGroup var options: ExperimentOptions

    @Option(parsing: .unconditional, help: "The epoch cap.")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "The learning rate (default 1e-3).")
    var learningRate: Double?

    @Option(parsing: .unconditional, help: "Samples per mini-batch (default 200).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Epochs without a lower validation loss before training stops (default 10).")
    var patience: Int?

    @Flag(help: "Also train at the original's learning rate 2e-5.")
    var withOriginalRate = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive and finite, got \(learningRate)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if let patience, patience < 0 { throw ValidationError("--patience must be at least 0, got \(patience)") }
    }

    func run() async throws {
        let context = options.context()
        var configuration = AutoencoderSection.Configuration.defaults(quick: options.quick)
        if let epochs { configuration.maxEpochs = epochs }
        if let learningRate { configuration.learningRate = learningRate }
        if let batchSize { configuration.batchSize = batchSize }
        if let patience { configuration.patience = patience }
        configuration.includeOriginalRate = withOriginalRate
        let data = try FashionData.load(context)
        let results = try AutoencoderSection.run(context, data: data, configuration: configuration)
        try options.finish(AutoencoderSection.render(results, context: context), command: "autoencoder")
    }
}
