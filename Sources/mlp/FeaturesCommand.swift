import ArgumentParser
import Experiments
import NeuralNetwork

/// `mlp features`: a classifier on the autoencoders' 32-dimensional codes, with a confusion matrix.
struct FeaturesCommand: SectionCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Classify Fashion-MNIST from 32-dimensional autoencoder codes; compare with raw pixels.",
        discussion: "Trains the relu and identity autoencoders of `mlp autoencoder` and the raw-pixel classifiers of `mlp activations` first.")

    @OptionGroup var options: ExperimentOptions

    func section(in context: ExperimentContext) throws -> SectionResult {
        let data = try FashionData.load(context)
        var classifiers = ActivationsSection.Configuration.defaults(quick: options.quick)
        classifiers.activations = [.relu, .identity]
        let raw = try ActivationsSection.run(context, data: data, configuration: classifiers)
        let autoencoders = try AutoencoderSection.run(context, data: data)
        let results = try FeaturesSection.run(context, data: data, autoencoders: autoencoders, raw: raw)
        return FeaturesSection.render(results, context: context)
    }
}
