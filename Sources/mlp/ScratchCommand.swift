import ArgumentParser
import Datasets
import Experiments
import NeuralNetwork

/// `mlp scratch`: twelve MNIST models, activations × initialisations.
struct ScratchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scratch",
        abstract: "Train {sigmoid, tanh, relu, leaky-relu} × {zero, random, normal} on MNIST.",
        discussion: "MNIST is found through --data-dir, MNIST_DIR or ./data/mnist.")

    @OptionGroup var options: ExperimentOptions

    @Option(parsing: .unconditional, help: "The scale s of the random (U[−s, s]) and normal (N(0, s²)) draws; default He/Xavier. 1 reproduces the original.")
    var initScale: Float?

    @Option(parsing: .unconditional, help: "The epoch cap (early stopping usually ends sooner).")
    var epochs: Int?

    @Option(help: ArgumentHelp("Activations to train, comma-separated (\(Activation.validNames.joined(separator: ", "))).", valueName: "list"),
            transform: Self.activationList)
    var activations: [Activation]?

    func validate() throws {
        if let initScale, !(initScale > 0 && initScale.isFinite) { throw ValidationError("--init-scale must be positive, got \(initScale)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    }

    /// Parses `--activations`: comma-separated names that ``Activation/init(name:)`` accepts.
    static func activationList(_ text: String) throws -> [Activation] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { throw ValidationError("give at least one activation") }
        return try names.map { name in
            guard let activation = Activation(argument: name) else {
                throw ValidationError("unknown activation '\(name)'; valid choices: \(Activation.validNames.joined(separator: ", "))")
            }
            return activation
        }
    }

    func run() async throws {
        let context = options.context(dataset: .mnist)
        var configuration = ScratchSection.Configuration.defaults(quick: options.quick)
        configuration.initScale = initScale
        if let epochs { configuration.maxEpochs = epochs }
        if let activations { configuration.activations = activations }
        let data = try ScratchSection.loadMNIST(context)
        let results = try ScratchSection.run(context, configuration: configuration, data: data)
        try options.finish(ScratchSection.render(results, context: context), command: "scratch")
    }
}
