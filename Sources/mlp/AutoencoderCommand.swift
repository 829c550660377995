import ArgumentParser
import Experiments

/// `mlp autoencoder`: relu and identity autoencoders against the PCA floor.
struct AutoencoderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoencoder",
        abstract: "Train 784-512-128-32-128-512-784 autoencoders (relu, identity) and compare with PCA.")

    @OptionGroup var options: ExperimentOptions

    @Option(help: "The epoch cap.")
    var epochs: Int?

    @Option(help: "The learning rate (default 1e-3).")
    var learningRate: Double?

    @Flag(help: "Also train at the original's learning rate 2e-5.")
    var withOriginalRate = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
    }

    func run() async throws {
        let context = options.context()
        var configuration = AutoencoderExperiment.Configuration.defaults(quick: options.quick)
        if let epochs { configuration.maxEpochs = epochs }
        if let learningRate { configuration.learningRate = learningRate }
        configuration.includeOriginalRate = withOriginalRate
        let data = try FashionData.load(context)
        try options.finish(try AutoencoderExperiment.run(context, data: data, configuration: configuration).result, command: "autoencoder")
    }
}
