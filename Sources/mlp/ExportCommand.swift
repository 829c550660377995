import ArgumentParser
import Foundation
import ModelExport
import NeuralNetwork

/// `mlp export`: write a saved model in another format (ONNX).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved model (classifier, regressor or autoencoder) as an ONNX graph.",
        discussion: """
            The graph (opset \(ONNXExporter.opsetVersion)) takes `input`, float32 [batch, features] of raw values, \
            applies the model's input scaling (Mul, Add), then one Gemm and activation per layer. A classifier \
            outputs `probabilities` (Softmax) and `label` (int64); a regressor `predictions`; an autoencoder \
            `reconstruction`. The file is written to a temporary file and renamed into place.
            """)

    @Argument(help: ArgumentHelp("The model file written by `mlp train` or the library's save(to:).", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("Write the ONNX graph here.", valueName: "file"))
    var onnx: String

    func run() async throws {
        let saved = try ONNXExporter(producerVersion: toolVersion).export(modelFile: model, to: onnx)
        let sizes = saved.network?.layerSizes.map(String.init).joined(separator: "-") ?? "?"
        let summary = "Wrote \(onnx): ONNX opset \(ONNXExporter.opsetVersion), \(saved.kind.withArticle) \(sizes), "
            + "outputs \(ONNXExporter.outputNames(for: saved.kind).joined(separator: ", ")), "
            + "input scaling \(saved.model.inputScaling)\n"
        // A graph written through a device or pipe (`--onnx /dev/stdout`) keeps stdout to itself.
        let resolved = URL(fileURLWithPath: onnx).resolvingSymlinksInPath().path
        let isRegularFile = (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType) == .typeRegular
        (isRegularFile ? FileHandle.standardOutput : FileHandle.standardError).write(Data(summary.utf8))
    }
}
