import ArgumentParser
import Foundation
import MLPCore
import NeuralNetwork
import Reporting

/// `mlp inspect`: what a model file (or a training checkpoint) holds, without running it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's architecture, parameters, input scaling, task, classes, training configuration and history.",
        discussion: "Also reads a training checkpoint (from --checkpoint), showing where the run stopped.")

    @Argument(help: ArgumentHelp("A model file written by `mlp train` (or a checkpoint).", valueName: "model"))
    var path: String

    func run() throws {
        let saved: SavedModel
        var position: String?
        do {
            saved = try SavedModel.load(from: path)
        } catch {
            // Not a model: a checkpoint, or the model's error stands.
            guard let checkpoint = try? TrainingCheckpoint.load(from: path) else { throw error }
            saved = checkpoint.model
            position = checkpoint.samplesIntoEpoch.map { "inside epoch \(checkpoint.epochsCompleted + 1), after \($0) samples" }
                ?? "after epoch \(checkpoint.epochsCompleted)" + (checkpoint.isFinished ? " (finished)" : "")
        }
        let model = saved.model
        print("\(path): \(saved.kind.withArticle)" + (position.map { ", a training checkpoint \($0)" } ?? ""))
        if let network = model.network {
            let output = saved.kind == .classifier ? "softmax" : "identity"
            print("Architecture     \(network.layerSizes.map(String.init).joined(separator: "-")) "
                  + "(\(network.hiddenActivation.name) hidden, \(output) output, \(network.loss.name) loss)")
            print("Parameters       \(NumberFormat.grouped(network.parameterCount)) "
                  + "(\(NumberFormat.grouped(network.parameterCount * 4)) bytes as float32)")
        }
        print("Input scaling    " + Self.describe(model.inputScaling))
        if let names = model.featureNames { print("Features         \(names.count): \(Self.list(names))") }
        if let names = model.targetNames { print("Targets          \(Self.list(names))") }
        switch saved {
        case .classifier(let classifier):
            let names = classifier.classNames ?? classifier.classes.map(String.init)
            print("Classes          \(names.count): \(Self.list(zip(classifier.classes, names).map { $0 == Int($1) ? $1 : "\($0) \($1)" }))")
        case .autoencoder(let autoencoder):
            if let network = autoencoder.network {
                let hidden = Array(network.layerSizes.dropFirst().dropLast())
                print("Code             layer \(autoencoder.bottleneckLayer + 1) of the hidden layers, \(hidden.isEmpty ? 0 : hidden[autoencoder.bottleneckLayer]) features")
            }
        case .regressor:
            break
        }
        print("Training configuration")
        let configuration = Mirror(reflecting: model.configuration)
        for child in configuration.children {
            guard let label = child.label else { continue }
            let value: String
            if let optional = child.value as? (any OptionalDescribing) { value = optional.describedOrNone } else { value = "\(child.value)" }
            print("  \(label.padding(toLength: 28, withPad: " ", startingAt: 0)) \(value)")
        }
        let history = model.history
        print("History          \(history.epochsRun) epochs, \(NumberFormat.duration(seconds: history.secondsPerEpoch.reduce(0, +)))"
              + (history.stopReason.map { ", stopped: \($0.rawValue)" } ?? ""))
        if let first = history.lossCurve.first, let last = history.lossCurve.last {
            print("  loss           \(NumberFormat.significant(first, digits: 4)) → \(NumberFormat.significant(last, digits: 4))")
        }
        if let best = history.bestValidationScore, let epoch = history.bestValidationEpoch {
            print("  best validation score \(NumberFormat.significant(best, digits: 4)) at epoch \(epoch + 1)")
        }
        print("BLAS             \(history.blasConfiguration ?? "not recorded")")
        print("Our kernels      \(history.kernelPath ?? "not recorded")")
    }

    static func describe(_ scaling: InputScaling) -> String {
        guard let scales = scaling.featureScales, let offsets = scaling.featureOffsets else { return scaling.description }
        let shown = zip(scales, offsets).prefix(4).map { "x * \($0) + \($1)" }.joined(separator: "; ")
        return "per feature (\(scales.count) features): \(shown)\(scales.count > 4 ? "; …" : "")"
    }

    static func list(_ names: [String]) -> String {
        names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", … (\(names.count - 12) more)" : "")
    }
}

/// An optional value described as its wrapped value, or "none".
protocol OptionalDescribing { var describedOrNone: String { get } }
extension Optional: OptionalDescribing {
    var describedOrNone: String { map { "\($0)" } ?? "none" }
}
