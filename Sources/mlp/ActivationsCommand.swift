import ArgumentParser
import Experiments

/// `mlp activations`: one Fashion-MNIST classifier per activation.
struct ActivationsCommand: SectionCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Compare logistic, tanh, relu and identity classifiers on 8,000 Fashion-MNIST rows.")

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var cap: EpochCap

    func section(in context: ExperimentContext) throws -> SectionResult {
        var configuration = ActivationsSection.Configuration.defaults(quick: options.quick)
        cap.apply(to: &configuration.maxEpochs)
        let results = try ActivationsSection.run(context, data: try FashionData.load(context), configuration: configuration)
        return ActivationsSection.render(results, context: context)
    }
}
