import ArgumentParser
import Datasets
import Foundation
import MLPCore
import NeuralNetwork
import Reporting

/// `mlp train`: fit a classifier on a dataset, save it, and report its test accuracy.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP classifier, save it as safetensors, and report its test accuracy.")

    @OptionGroup var data: DatasetOptions
    @OptionGroup var distribution: DistributionOptions

    @Option(help: """
        With --distributed, how the ranks' gradients are summed: ordered (gathered and added in rank order, \
        bit-identical to one process of as many threads) or allreduce (MPI_Allreduce, faster, equal only to rounding).
        """)
    var reduction: GradientReduction = .ordered

    @Option(parsing: .unconditional, help: ArgumentHelp("Hidden layer sizes, comma-separated.", valueName: "sizes"))
    var hidden: String = "256,128,64,32"

    @Option(help: "Hidden activation.")
    var activation: Activation = .relu

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Slope of leaky-relu for negative inputs (default: \(Activation.defaultLeakySlope), or the s of --activation 'leaky-relu(s)').",
        valueName: "slope"))
    var leakySlope: Float?

    @Option(name: [.customLong("init"), .customLong("initialization")], help: "Weight initialisation.")
    var initialization: Initialization = .heNormal

    @Option(parsing: .unconditional, help: "Scale s of the random (U[-s, s]) and normal (N(0, s²)) initialisations (default: He or Xavier for the activation).")
    var initScale: Float?

    @Option(help: "Optimiser.")
    var optimizer: Optimizer = .adam

    @Option(parsing: .unconditional, help: "Initial learning rate.")
    var learningRate: Double = 0.001

    @Option(help: "Learning-rate schedule.")
    var schedule: LearningRateSchedule = .constant

    @Option(parsing: .unconditional, help: "SGD momentum.")
    var momentum: Double = 0.9

    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize: Int = 128

    @Option(parsing: .unconditional, help: "Maximum number of epochs.")
    var epochs: Int = 10

    @Option(parsing: .unconditional, help: "Random seed (initialisation, shuffling, validation split), 0 to 2⁶⁴ − 1. (default: \(Self.defaultSeed))",
            transform: parseSeed)
    var seed: UInt64 = Self.defaultSeed
    static let defaultSeed: UInt64 = 1

    @Option(parsing: .unconditional, help: "L2 penalty (alpha).")
    var l2: Double = 0

    @Flag(help: "Hold out --validation-fraction of the training rows, stop when their accuracy stops improving, and keep the best weights.")
    var earlyStopping = false

    @Option(parsing: .unconditional, help: "Fraction of the training rows held out for early stopping.")
    var validationFraction: Double = 0.1

    @Option(parsing: .unconditional, help: """
        Training stops after more than this many consecutive epochs that improve the training loss \
        (with --early-stopping, the validation accuracy) by less than --tolerance. Not used with \
        --schedule adaptive.
        """)
    var patience: Int = 10

    @Option(parsing: .unconditional, help: """
        The least improvement that counts (see --patience). With --schedule adaptive, 2 epochs in a \
        row that improve by less divide the learning rate by 5; training stops when such a division \
        is due at a rate of 1e-6 or less.
        """)
    var tolerance: Double = TrainingConfiguration().tolerance

    @Option(parsing: .unconditional, help: "Clip the gradient to this global L2 norm.")
    var clipNorm: Double?

    @Option(parsing: .unconditional, help: "Threads per batch (0: every core).")
    var threads: Int = 0

    @Option(help: "Threads share a batch by: data-parallel (rows per thread) or blas (OpenBLAS's own threads).")
    var parallelism: Parallelism = .dataParallel

    @Option(help: "First-layer product: auto (sparse for mostly-zero inputs), dense (BLAS) or sparse.")
    var inputKernel: InputKernel = .automatic

    @Option(parsing: .unconditional, help: ArgumentHelp("Train on only the first N training rows.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Where to save the model (.safetensors).", valueName: "path"))
    var out: String = "model.safetensors"

    func validate() throws {
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2, got \(limit)") }
        if let leakySlope {
            guard case .leakyReLU(let slope) = activation else {
                throw ValidationError("--leaky-slope needs --activation leaky-relu, got \(activation.name)")
            }
            guard leakySlope >= 0 && leakySlope.isFinite else {
                throw ValidationError("--leaky-slope must be finite and at least 0, got \(leakySlope)")
            }
            guard slope == Activation.defaultLeakySlope || slope == leakySlope else {
                throw ValidationError("--leaky-slope \(leakySlope) contradicts --activation \(activation.name): give the slope once")
            }
        }
        try data.validateTestSet()
        _ = try trainingConfiguration()
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

    /// The options as a library configuration, checked by the library; a value out of range is a
    /// usage error naming the option.
    func trainingConfiguration() throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = try hiddenLayerSizes()
        if case .leakyReLU(let slope) = activation {
            configuration.activation = .leakyReLU(slope: leakySlope ?? slope)
        } else {
            configuration.activation = activation
        }
        configuration.initialization = initialization
        configuration.initScale = initScale
        configuration.optimizer = optimizer
        configuration.learningRateInit = learningRate
        configuration.learningRateSchedule = schedule
        configuration.momentum = momentum
        configuration.batchSize = batchSize
        configuration.maxEpochs = epochs
        configuration.seed = seed
        configuration.alpha = l2
        configuration.earlyStopping = earlyStopping
        configuration.validationFraction = validationFraction
        configuration.epochsWithoutImprovement = patience
        configuration.tolerance = tolerance
        configuration.gradientClipNorm = clipNorm
        configuration.threads = threads
        configuration.parallelism = parallelism
        configuration.inputKernel = inputKernel
        configuration.gradientReduction = reduction
        do {
            try configuration.validate()
        } catch .invalidConfiguration(let parameter, let value, let requirement) {
            throw ValidationError("\(Self.options[parameter] ?? parameter) \(requirement), got \(value)")
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }

    /// The option that sets each `TrainingConfiguration` field.
    static let options = [
        "hiddenLayerSizes": "--hidden", "activation": "--leaky-slope", "initScale": "--init-scale",
        "learningRateInit": "--learning-rate", "momentum": "--momentum", "batchSize": "--batch-size",
        "maxEpochs": "--epochs", "tolerance": "--tolerance", "epochsWithoutImprovement": "--patience",
        "validationFraction": "--validation-fraction", "alpha": "--l2", "gradientClipNorm": "--clip-norm",
        "threads": "--threads",
    ]

    func run() async throws {
        let configuration = try trainingConfiguration()
        let communicator = try distribution.communicator()
        let (training, test) = try await communicator.collectively {
            var training = try await data.load(.training)
            if let limit, limit < training.sampleCount { training = training.subset(Array(0..<limit)) }
            if communicator.isLeader { try AtomicFile.checkWritable(out) }
            return (training, try await data.load(.test))
        }

        var classifier = MLPClassifier(configuration: configuration)
        classifier.communicator = communicator
        let labels = training.integerLabels
        let layers = ([training.featureCount] + configuration.hiddenLayerSizes + [Set(labels).count])
            .map(String.init).joined(separator: "-")
        let ranks = communicator.size > 1 ? " on each of \(communicator.size) ranks" : ""
        if communicator.isLeader {
            print("Training \(layers) (\(configuration.activation.name), \(configuration.initialization.rawValue) init, "
                  + "\(configuration.optimizer.rawValue) lr \(configuration.learningRateInit), batch \(configuration.batchSize)) "
                  + "on \(training.sampleCount) \(data.sourceDescription) images, \(configuration.resolvedThreadCount) thread(s)\(ranks)")
        }
        let bar = ProgressBar(label: "train", total: configuration.maxEpochs, enabled: communicator.isLeader ? nil : false)
        try classifier.fit(training, labels: labels) { report in
            bar.update(step: report.epoch, loss: report.loss, accuracy: report.validationAccuracy ?? report.trainingAccuracy)
        }
        // One name per class the model learned (a --limit may leave some of the dataset's out).
        classifier.classNames = classifier.classes.map { $0 < training.classNames.count ? training.classNames[$0] : String($0) }
        bar.finish()
        guard communicator.isLeader else { return }
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
