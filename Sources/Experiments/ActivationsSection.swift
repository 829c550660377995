import Datasets
import NeuralNetwork
import Reporting

/// Section C2: one Fashion-MNIST classifier per activation (logistic, tanh, relu, identity).
public enum ActivationsSection {
    /// The settings of section C2.
    public struct Configuration: Sendable, Codable {
        public var activations: [Activation] = [.sigmoid, .tanh, .relu, .identity]
        public var hiddenLayerSizes = [128, 64]
        public var learningRate = 0.002
        public var batchSize = 256
        public var maxEpochs = 100
        /// Epochs without a validation gain of 1e-4 before stopping (scikit-learn's `n_iter_no_change`).
        public var patience = 10

        public init() {}

        public static func defaults(quick: Bool) -> Configuration {
            var configuration = Configuration()
            if quick { configuration.maxEpochs = 3 }
            return configuration
        }

        /// The engine's configuration for one activation.
        public func training(_ activation: Activation, seed: UInt64, threads: Int) -> TrainingConfiguration {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: hiddenLayerSizes, activation: activation, optimizer: .adam,
                learningRateInit: learningRate, batchSize: batchSize, maxEpochs: maxEpochs, seed: seed, threads: threads)
            configuration.earlyStopping = true
            configuration.epochsWithoutImprovement = patience
            return configuration
        }
    }

    /// The section and its trained runs (C5 compares with them).
    public struct Outcome: Sendable {
        public var result: SectionResult
        public var runs: [Activation: ClassifierRun]
        /// Validation accuracy of each activation's classifier on raw pixels.
        public var validationAccuracy: [Activation: Double]
        /// Test accuracy of each activation's classifier on raw pixels.
        public var testAccuracy: [Activation: Double]
    }

    static let labels: [Activation: String] = [.sigmoid: "logistic", .tanh: "tanh", .relu: "relu", .identity: "identity"]
    static func label(_ activation: Activation) -> String { labels[activation] ?? activation.name }

    /// Runs section C2.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration? = nil) throws -> Outcome {
        let started = monotonicSeconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let training = data.trainingPart, validation = data.validationPart, test = data.testPart
        let trainingLabels = training.integerLabels, validationLabels = validation.integerLabels, testLabels = test.integerLabels
        var result = SectionResult(key: "activations", title: "C2. Activation functions (Fashion-MNIST)")
        result.paragraph("Split: \(data.splitDescription). Each classifier has hidden layers "
            + "\(configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")), Adam with learning rate "
            + "\(configuration.learningRate), batch size \(configuration.batchSize) and L2 penalty 1e-4, and trains for up to "
            + "\(configuration.maxEpochs) epochs, stopping when the validation accuracy has not improved by 1e-4 for "
            + "\(configuration.patience) epochs; it keeps the best validation epoch's parameters.")
        var table = Table(title: "One classifier per activation",
                          headers: ["Activation", "Train loss", "Train acc", "Val loss", "Val acc", "Test acc", "Epochs", "Stopped", "Seconds"],
                          alignments: [.left] + Array(repeating: .right, count: 6) + [.left, .right])
        var outcome = Outcome(result: result, runs: [:], validationAccuracy: [:], testAccuracy: [:])
        var curves: [(name: String, training: [Double], validation: [Double])] = []
        for activation in configuration.activations {
            let name = label(activation)
            context.log("activations: training \(name)")
            let run = try ClassifierRun.train(
                name: name, configuration: configuration.training(activation, seed: context.seed, threads: context.threads),
                features: training, labels: trainingLabels,
                validation: (features: validation, labels: validationLabels), context: context)
            outcome.runs[activation] = run
            curves.append((name, run.trainingLoss, run.validationLoss))
            let testAccuracy = run.model.map { $0.score(test, labels: testLabels) } ?? .nan
            let validationAccuracy = run.atKeptEpoch(run.validationAccuracy)
            outcome.validationAccuracy[activation] = validationAccuracy
            outcome.testAccuracy[activation] = testAccuracy
            let stopped = run.divergedEpoch.map { "diverged at epoch \($0)" }
                ?? (run.converged ? "converged" : "epoch cap")
            table.addRow([name, Cell.loss(run.atKeptEpoch(run.trainingLoss)), Cell.accuracy(run.atKeptEpoch(run.trainingAccuracy)),
                          Cell.loss(run.atKeptEpoch(run.validationLoss)), Cell.accuracy(validationAccuracy),
                          Cell.accuracy(testAccuracy), String(run.epochsRun), stopped, Cell.seconds(run.seconds)])
            result.numbers["activations.\(name).validationAccuracy"] = validationAccuracy
            result.numbers["activations.\(name).testAccuracy"] = testAccuracy
            result.numbers["activations.\(name).epochs"] = Double(run.epochsRun)
            result.numbers["activations.\(name).seconds"] = run.seconds
        }
        result.table(table)
        let chart = LossCurves.chart(title: "Fashion-MNIST: loss per epoch for each activation", yLabel: "Cross-entropy",
                                     curves: curves)
        result.figure(svg: chart.svg(), fileName: "activations-loss.svg", caption: "Training (solid) and validation (dashed) loss per activation")
        result.paragraph("The original, for comparison (validation accuracy): relu 0.837, tanh 0.835, identity 0.826; "
            + "logistic 0.453, \"doesn't converge\". Losses and accuracies are those of the kept (best validation) epoch.")
        if !context.quick {
            let relu = outcome.validationAccuracy[.relu] ?? .nan
            result.check("relu ≥ 0.85 validation accuracy", met: relu >= 0.85, measured: Cell.accuracy(relu))
            if let logistic = outcome.runs[.sigmoid] {
                let accuracy = outcome.validationAccuracy[.sigmoid] ?? .nan
                result.check("logistic converges (stops before the epoch cap, with a useful accuracy ≥ 0.8)",
                             met: logistic.converged && accuracy >= 0.8,
                             measured: "\(logistic.converged ? "stopped" : "ran") at epoch \(logistic.epochsRun), val acc \(Cell.accuracy(accuracy))")
            }
        }
        result.configuration = context.commonConfiguration + [
            ("Split", data.splitDescription), ("Hidden layers", configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")),
            ("Optimiser", "adam, learning rate \(configuration.learningRate)"), ("Batch size", String(configuration.batchSize)),
            ("Max epochs", String(configuration.maxEpochs)), ("Early stopping", "validation rows, patience \(configuration.patience)"),
        ]
        result.duration = monotonicSeconds() - started
        outcome.result = result
        return outcome
    }
}
