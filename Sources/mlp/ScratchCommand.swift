import ArgumentParser
import Datasets
import Experiments
import NeuralNetwork

/// `mlp scratch`: twelve MNIST models, activations × initialisations.
struct ScratchCommand: SectionCommand {
    static let configuration = CommandConfiguration(
        commandName: "scratch",
        abstract: "Train {sigmoid, tanh, relu, leaky-relu} × {zero, random, normal} on MNIST.",
        discussion: "MNIST is found through --data-dir, MNIST_DIR or ./data/mnist.")

    static var dataset: NamedDataset { .mnist }

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var distribution: DistributionOptions
    @OptionGroup var cap: EpochCap

    @Option(parsing: .unconditional, help: "The scale s of the random (U[−s, s]) and normal (N(0, s²)) draws; default He/Xavier. 1 reproduces the original.")
    var initScale: Float?

    @Option(help: ArgumentHelp("Activations to train, comma-separated (\(Activation.validNames.joined(separator: ", "))).", valueName: "list"),
            transform: Self.activationList)
    var activations: [Activation]?

    func validate() throws {
        try OptionCheck.positive(initScale, "--init-scale")
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

    func communicator() throws -> any Communicator { try distribution.communicator() }

    func section(in context: ExperimentContext) throws -> SectionResult {
        var configuration = ScratchSection.Configuration.defaults(quick: options.quick)
        configuration.initScale = initScale
        cap.apply(to: &configuration.maxEpochs)
        configuration.activations = activations ?? configuration.activations
        let results = try ScratchSection.run(context, configuration: configuration, data: try ScratchSection.loadMNIST(context))
        return ScratchSection.render(results, context: context)
    }
}
