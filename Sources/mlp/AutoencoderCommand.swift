import ArgumentParser
import Experiments

/// `mlp autoencoder`: relu and identity autoencoders against the PCA floor.
struct AutoencoderCommand: SectionCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoencoder",
        abstract: "Train 784-512-128-32-128-512-784 autoencoders (relu, identity) and compare with PCA.")

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var cap: EpochCap
    @Option(parsing: .unconditional, help: "The learning rate (default 1e-3).") var learningRate: Double?
    @Option(parsing: .unconditional, help: "Samples per mini-batch (default 200).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Epochs without a lower validation loss before training stops (default 10).")
    var patience: Int?
    @Flag(help: "Also train at the original's learning rate 2e-5.") var withOriginalRate = false

    func validate() throws {
        try OptionCheck.positive(learningRate, "--learning-rate")
        try OptionCheck.atLeast(1, batchSize, "--batch-size")
        try OptionCheck.atLeast(0, patience, "--patience")
    }

    func section(in context: ExperimentContext) throws -> SectionResult {
        var configuration = AutoencoderSection.Configuration.defaults(quick: options.quick)
        cap.apply(to: &configuration.maxEpochs)
        configuration.learningRate = learningRate ?? configuration.learningRate
        configuration.batchSize = batchSize ?? configuration.batchSize
        configuration.patience = patience ?? configuration.patience
        configuration.includeOriginalRate = withOriginalRate
        let results = try AutoencoderSection.run(context, data: try FashionData.load(context), configuration: configuration)
        return AutoencoderSection.render(results, context: context)
    }
}
