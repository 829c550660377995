import ArgumentParser
import Datasets
import Foundation
import NeuralNetwork
import Reporting

/// `mlp train`: fit a classifier on a dataset, save it, and report its test accuracy.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP classifier, save it as safetensors, and report its test accuracy.")

    @OptionGroup var data: DatasetOptions

    @Option(help: ArgumentHelp("Hidden layer sizes, comma-separated.", valueName: "sizes"))
    var hidden: String = "256,128,64,32"

    @Option(help: "Hidden activation: \(Activation.validNames.joined(separator: ", ")).")
    var activation: String = "relu"

    @Option(help: "Slope of leaky-relu for negative inputs.")
    var leakySlope: Float = Activation.defaultLeakySlope

    @Option(name: [.customLong("init"), .customLong("initialization")], help: "Weight initialisation: \(Initialization.allCases.map(\.rawValue).joined(separator: ", ")).")
    var initialization: String = "he"

    @Option(help: "Scale s of the random (U[-s, s]) and normal (N(0, s²)) initialisations (default: He or Xavier for the activation).")
    var initScale: Float?

    @Option(help: "Optimiser: \(Optimizer.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: String = "adam"

    @Option(help: "Initial learning rate.")
    var learningRate: Double = 0.001

    @Option(help: "Learning-rate schedule: \(LearningRateSchedule.allCases.map(\.rawValue).joined(separator: ", ")).")
    var schedule: String = "constant"

    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9

    @Option(help: "Samples per mini-batch.")
    var batchSize: Int = 128

    @Option(help: "Maximum number of epochs.")
    var epochs: Int = 10

    @Option(help: "Random seed (initialisation, shuffling, validation split).")
    var seed: UInt64 = 1

    @Option(help: "L2 penalty (alpha).")
    var l2: Double = 0

    @Flag(help: "Hold out --validation-fraction of the training rows, stop when their accuracy stops improving, and keep the best weights.")
    var earlyStopping = false

    @Option(help: "Fraction of the training rows held out for early stopping.")
    var validationFraction: Double = 0.1

    @Option(help: "Epochs without improvement before stopping.")
    var patience: Int = 10

    @Option(help: "Clip the gradient to this global L2 norm.")
    var clipNorm: Double?

    @Option(help: "Threads per batch (0: every core).")
    var threads: Int = 0

    @Option(help: "Threads share a batch by: data-parallel (rows per thread) or blas (OpenBLAS's own threads).")
    var parallelism: String = Parallelism.dataParallel.rawValue

    @Option(help: "First-layer product: auto (sparse for mostly-zero inputs), dense (BLAS) or sparse.")
    var inputKernel: String = InputKernel.automatic.rawValue

    @Option(help: ArgumentHelp("Train on only the first N training rows.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Where to save the model (.safetensors).", valueName: "path"))
    var out: String = "model.safetensors"

    func validate() throws {
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2, got \(limit)") }
        _ = try hiddenLayerSizes()
    }

    func hiddenLayerSizes() throws -> [Int] {
        let parts = hidden.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if hidden.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        return try parts.map { part in
            guard let size = Int(part), size > 0 else {
                throw ValidationError("--hidden must be positive integers separated by commas, got '\(hidden)'")
            }
            return size
        }
    }

    func trainingConfiguration() throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = try hiddenLayerSizes()
        var parsedActivation = try Activation(name: activation)
        if case .leakyReLU = parsedActivation { parsedActivation = .leakyReLU(slope: leakySlope) }
        configuration.activation = parsedActivation
        configuration.initialization = try Initialization(name: initialization)
        configuration.initScale = initScale
        configuration.optimizer = try Optimizer(name: optimizer)
        configuration.learningRateInit = learningRate
        configuration.learningRateSchedule = try LearningRateSchedule(name: schedule)
        configuration.momentum = momentum
        configuration.batchSize = batchSize
        configuration.maxEpochs = epochs
        configuration.seed = seed
        configuration.alpha = l2
        configuration.earlyStopping = earlyStopping
        configuration.validationFraction = validationFraction
        configuration.epochsWithoutImprovement = patience
        configuration.gradientClipNorm = clipNorm
        configuration.threads = threads
        configuration.parallelism = try Parallelism(name: parallelism)
        configuration.inputKernel = try InputKernel(name: inputKernel)
        if !earlyStopping { configuration.tolerance = 0 }
        try configuration.validate()
        return configuration
    }

    func run() async throws {
        let configuration = try trainingConfiguration()
        var training = try await data.load(.training)
        if let limit, limit < training.sampleCount { training = training.subset(Array(0..<limit)) }
        let test = try await data.load(.test)

        var classifier = MLPClassifier(configuration: configuration)
        classifier.classNames = training.classNames
        let layers = ([training.featureCount] + configuration.hiddenLayerSizes + [training.classCount])
            .map(String.init).joined(separator: "-")
        print("Training \(layers) (\(configuration.activation.name), \(configuration.initialization.rawValue) init, "
              + "\(configuration.optimizer.rawValue) lr \(configuration.learningRateInit), batch \(configuration.batchSize)) "
              + "on \(training.sampleCount) \(data.sourceDescription) images, \(configuration.resolvedThreadCount) thread(s)")
        let bar = ProgressBar(label: "train", total: configuration.maxEpochs)
        try classifier.fit(training, labels: training.integerLabels) { report in
            bar.update(step: report.epoch, loss: report.loss, accuracy: report.validationAccuracy ?? report.trainingAccuracy)
        }
        bar.finish()
        try classifier.save(to: out)

        let history = classifier.history
        let seconds = history.secondsPerEpoch.reduce(0, +)
        for (epoch, loss) in history.lossCurve.enumerated() where !bar.isEnabled {
            let validation = epoch < history.validationAccuracyCurve.count
                ? ", validation accuracy \(NumberFormat.percent(history.validationAccuracyCurve[epoch]))" : ""
            print("  epoch \(epoch + 1): loss \(NumberFormat.fixed(loss, decimals: 4))\(validation)")
        }
        print("Trained \(history.epochsRun) epochs in \(NumberFormat.duration(seconds: seconds))"
              + (history.stopReason.map { " (stopped: \($0.rawValue))" } ?? ""))
        print("Saved \(out)")
        let accuracy = classifier.score(test, labels: test.integerLabels)
        print("Test accuracy: \(NumberFormat.percent(accuracy)) on \(test.sampleCount) images")
    }
}
