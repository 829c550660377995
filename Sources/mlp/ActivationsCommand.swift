import ArgumentParser
import Experiments

/// `mlp activations`: one Fashion-MNIST classifier per activation.
struct ActivationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Compare logistic, tanh, relu and identity classifiers on 8,000 Fashion-MNIST rows.")

    @OptionGroup var options: ExperimentOptions

    @Option(parsing: .unconditional, help: "The epoch cap (early stopping usually ends sooner).")
    var epochs: Int?

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    }

    func run() async throws {
        let context = options.context()
        var configuration = ActivationsSection.Configuration.defaults(quick: options.quick)
        if let epochs { configuration.maxEpochs = epochs }
        let data = try FashionData.load(context)
        let results = try ActivationsSection.run(context, data: data, configuration: configuration)
        try options.finish(ActivationsSection.render(results, context: context), command: "activations")
    }
}
