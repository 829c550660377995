import ArgumentParser
import Experiments
import NeuralNetwork

/// `mlp grid-search`: solver × learning rate × batch size with stratified k-fold CV.
struct GridSearchCommand: SectionCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid-search",
        abstract: "Cross-validate adam/sgd × 4 learning rates × 3 batch sizes on 8,000 Fashion-MNIST rows, then refit the best.")

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var distribution: DistributionOptions
    @OptionGroup var cap: EpochCap
    @Option(parsing: .unconditional, help: "Folds trained at once (default: measure 1 against every core and take the faster).")
    var workers: Int?
    @Option(parsing: .unconditional, help: "The number of folds.") var folds: Int?

    func validate() throws {
        try OptionCheck.atLeast(1, workers, "--workers")
        try OptionCheck.atLeast(2, folds, "--folds")
    }

    func communicator() throws -> any Communicator { try distribution.communicator() }

    func section(in context: ExperimentContext) throws -> SectionResult {
        var configuration = GridSearchSection.Configuration.defaults(quick: options.quick)
        configuration.workers = workers
        configuration.foldCount = folds ?? configuration.foldCount
        cap.apply(to: &configuration.maxEpochs)
        let results = try GridSearchSection.run(context, data: try FashionData.load(context), configuration: configuration)
        return GridSearchSection.render(results, context: context)
    }
}
