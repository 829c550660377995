import ArgumentParser
import Experiments

/// `mlp grid-search`: solver × learning rate × batch size with stratified k-fold CV.
struct GridSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid-search",
        abstract: "Cross-validate adam/sgd × 4 learning rates × 3 batch sizes on 8,000 Fashion-MNIST rows, then refit the best.")

    @OptionGroup var options: ExperimentOptions

    @Option(parsing: .unconditional, help: "Folds trained at once (default: measure 1 against every core and take the faster).")
    var workers: Int?

    @Option(parsing: .unconditional, help: "The number of folds.")
    var folds: Int?

    @Option(parsing: .unconditional, help: "The epoch cap of every fit.")
    var epochs: Int?

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2, got \(folds)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    }

    func run() async throws {
        let context = options.context()
        var configuration = GridSearchSection.Configuration.defaults(quick: options.quick)
        configuration.workers = workers
        if let folds { configuration.foldCount = folds }
        if let epochs { configuration.maxEpochs = epochs }
        let data = try FashionData.load(context)
        let results = try GridSearchSection.run(context, data: data, configuration: configuration)
        try options.finish(GridSearchSection.render(results, context: context), command: "grid-search")
    }
}
