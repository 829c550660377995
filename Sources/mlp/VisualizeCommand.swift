import ArgumentParser
import Datasets
import Experiments

/// `mlp visualize`: 10 samples of each class as a PNG and a labelled SVG.
struct VisualizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize", abstract: "Draw 10 training samples of each class (PNG, and SVG with class names).")

    @OptionGroup var options: ExperimentOptions

    @Option(help: "The dataset.")
    var dataset: NamedDataset = .fashionMNIST

    func run() async throws {
        let context = options.context(dataset: dataset)
        let data = try FashionData.load(context, dataset: dataset)
        try options.finish(VisualizeSection.render(VisualizeSection.run(context, data: data)), command: "visualize")
    }
}
