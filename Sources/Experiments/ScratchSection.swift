import Datasets
import LinearAlgebra
import NeuralNetwork
import Reporting

/// Section B: twelve MNIST classifiers, {sigmoid, tanh, relu, leaky-relu} × {zero, random, normal}.
public enum ScratchSection {
    /// The initialisations compared: zero, uniform ("random") and normal.
    public enum InitializationChoice: String, Sendable, Codable, CaseIterable {
        case zero, random, normal

        /// The engine's initialisation: `zero`, `uniform` in [−s, s], `normal` N(0, s²).
        public var initialization: Initialization {
            switch self {
            case .zero: return .zero
            case .random: return .uniform
            case .normal: return .normal
            }
        }
    }

    /// The settings of section B.
    public struct Configuration: Sendable, Codable {
        public var activations: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU]
        public var initializations: [InitializationChoice] = InitializationChoice.allCases
        public var hiddenLayerSizes = [256, 128, 64, 32]
        public var batchSize = 128
        public var learningRate = 1e-3
        /// The epoch cap; early stopping on the validation rows usually ends sooner.
        public var maxEpochs = 20
        /// Training stops after this many epochs plus one without a validation gain of 1e-4.
        public var patience = 3
        /// The scale `s` of the random and normal draws; nil is the variance-preserving one
        /// (He for the ReLU family, Xavier otherwise). 1 reproduces the original's unscaled draws.
        public var initScale: Float? = nil
        /// The fraction of the 60,000 training rows held out (seeded) for validation.
        public var validationFraction = 0.1
        /// Use only this many training rows (nil: all), for `--quick`.
        public var trainingLimit: Int? = nil
        /// Use only this many test rows (nil: all), for `--quick`.
        public var testLimit: Int? = nil

        public init() {}

        /// The defaults, shrunk for `--quick`: 2,000 training rows, 1,000 test rows, 2 epochs.
        public static func defaults(quick: Bool) -> Configuration {
            var configuration = Configuration()
            if quick {
                configuration.maxEpochs = 2
                configuration.trainingLimit = 2_000
                configuration.testLimit = 1_000
            }
            return configuration
        }
    }

    static let title = "B. MNIST from scratch: activations × initialisations"

    /// How to get MNIST, for the skipped section.
    public static var missingDataAdvice: String {
        "MNIST was not found. " + NamedDataset.mnist.remedies.joined(separator: "; or ") + " (for example "
            + "`export MNIST_DIR=/path/to/mnist` with train-images-idx3-ubyte.gz and the other three files)."
    }

    /// Loads MNIST through the context's locator.
    /// - Throws: the locator's `DatasetError` (one clear line) when MNIST is missing.
    public static func loadMNIST(_ context: ExperimentContext) throws(DatasetError) -> (training: Dataset, test: Dataset) {
        let location = try context.locator.locate(.mnist, explicitDirectory: context.mnistDirectory)
        return (try Dataset.load(.mnist, part: .training, from: location), try Dataset.load(.mnist, part: .test, from: location))
    }

    /// Runs section B on MNIST (loaded through the context when `data` is nil).
    public static func run(
        _ context: ExperimentContext, configuration: Configuration? = nil,
        data: (training: Dataset, test: Dataset)? = nil
    ) throws -> SectionResult {
        let started = monotonicSeconds()
        let configuration = configuration ?? .defaults(quick: context.quick)
        let (training, testSet) = try data ?? loadMNIST(context)
        var rows = Array(0..<training.sampleCount)
        if let limit = configuration.trainingLimit, limit < rows.count { rows = Array(rows.prefix(limit)) }
        let split = try DatasetSplit.stratified(
            labels: training.integerLabels, indices: rows, validation: .fraction(configuration.validationFraction),
            test: .count(0), seed: context.seed)
        let trainingPart = training.subset(split.training)
        let validationPart = training.subset(split.validation)
        let testRows = Array(0..<min(testSet.sampleCount, configuration.testLimit ?? testSet.sampleCount))
        let testPart = testSet.subset(testRows)
        let trainingLabels = trainingPart.integerLabels, validationLabels = validationPart.integerLabels
        let testLabels = testPart.integerLabels

        var result = SectionResult(key: "scratch", title: title)
        result.paragraph("MNIST: \(grouped(split.training.count)) training rows and a seeded, stratified validation split of "
            + "\(grouped(split.validation.count)) rows (no overlap) from the training file; test on \(grouped(testRows.count)) rows "
            + "of the test file. Hidden layers \(configuration.hiddenLayerSizes.map(String.init).joined(separator: "-")), "
            + "softmax cross-entropy, Adam (learning rate \(configuration.learningRate)), batch size \(configuration.batchSize), "
            + "up to \(configuration.maxEpochs) epochs with early stopping on the validation rows (patience \(configuration.patience)). "
            + "Losses and accuracies are those of the epoch whose parameters were kept (the best validation epoch).")
        result.paragraph("Random is uniform in [−s, s], normal is N(0, s²); "
            + (configuration.initScale.map { "s = \($0) for every layer." }
               ?? "s is variance-preserving: He (σ = √(2/fan_in)) for the ReLU family and Xavier (σ = √(2/(fan_in + fan_out))) "
                  + "otherwise; the uniform limit is √3·σ so that both draws have the same variance."))

        let modelCount = configuration.activations.count * configuration.initializations.count
        var table = Table(
            title: modelCount == 12 ? "Twelve MNIST models" : "\(modelCount) MNIST models",
            headers: ["Activation", "Init", "Train loss", "Train acc", "Val loss", "Val acc", "Test acc", "Epochs", "Seconds"],
            alignments: [.left, .left] + Array(repeating: .right, count: 7))
        var curves: [(name: String, training: [Double], validation: [Double])] = []
        var nonZeroAccuracies: [(String, Double)] = []
        var zeroAccuracies: [(String, Double)] = []
        var diverged: [String] = []
        for activation in configuration.activations {
            for choice in configuration.initializations {
                var trainingConfiguration = TrainingConfiguration(
                    hiddenLayerSizes: configuration.hiddenLayerSizes, activation: activation,
                    initialization: choice.initialization, optimizer: .adam, learningRateInit: configuration.learningRate,
                    batchSize: configuration.batchSize, maxEpochs: configuration.maxEpochs, seed: context.seed,
                    threads: context.threads)
                trainingConfiguration.initScale = configuration.initScale
                trainingConfiguration.earlyStopping = true
                trainingConfiguration.epochsWithoutImprovement = configuration.patience
                let name = "\(activation.name) / \(choice.rawValue)"
                context.log("scratch: training \(name)")
                let run = try ClassifierRun.train(
                    name: name, configuration: trainingConfiguration, features: trainingPart,
                    labels: trainingLabels,
                    validation: (features: validationPart, labels: validationLabels), context: context)
                curves.append((name, run.trainingLoss, run.validationLoss))
                let key = "scratch.\(activation.name).\(choice.rawValue)"
                result.numbers[key + ".seconds"] = run.seconds
                result.numbers[key + ".epochs"] = Double(run.epochsRun)
                if let model = run.model {
                    let testAccuracy = model.score(testPart, labels: testLabels)
                    table.addRow([activation.name, choice.rawValue, Cell.loss(run.atKeptEpoch(run.trainingLoss)),
                                  Cell.accuracy(run.atKeptEpoch(run.trainingAccuracy)),
                                  Cell.loss(run.atKeptEpoch(run.validationLoss)),
                                  Cell.accuracy(run.atKeptEpoch(run.validationAccuracy)), Cell.percent(testAccuracy),
                                  String(run.epochsRun), Cell.seconds(run.seconds)])
                    result.numbers[key + ".testAccuracy"] = testAccuracy
                    let validationAccuracy = run.atKeptEpoch(run.validationAccuracy)
                    if validationAccuracy.isFinite { result.numbers[key + ".validationAccuracy"] = validationAccuracy }
                    if choice == .zero { zeroAccuracies.append((name, testAccuracy)) } else { nonZeroAccuracies.append((name, testAccuracy)) }
                } else {
                    let epoch = run.divergedEpoch ?? run.epochsRun
                    let note = "diverged at epoch \(epoch)"
                    table.addRow([activation.name, choice.rawValue, note, "—", "—", "—", "—", String(epoch), Cell.seconds(run.seconds)])
                    result.numbers[key + ".divergedEpoch"] = Double(epoch)
                    diverged.append("\(name) at epoch \(epoch)")
                    if choice == .zero { zeroAccuracies.append((name, .nan)) } else { nonZeroAccuracies.append((name, .nan)) }
                }
            }
        }
        result.table(table)
        let chart = LossCurves.chart(
            title: "MNIST: training (solid) and validation (dashed) loss", yLabel: "Cross-entropy (log scale)",
            curves: curves, logarithmic: true)
        result.figure(svg: chart.svg(), fileName: "scratch-loss.svg",
                      caption: "Training and validation loss of the \(modelCount == 12 ? "twelve" : String(modelCount)) MNIST models")
        result.paragraph("Why zero initialisation stays at chance: with every weight 0, every hidden unit of a layer computes "
            + "the same output and receives the same gradient (symmetry), so after any number of steps the units are still "
            + "identical copies of each other — a layer behaves as one unit. With zero weights feeding them, the deeper layers' "
            + "gradients are zero as well. With tanh, relu and leaky relu (f(0) = 0) every hidden output is 0, so only the output "
            + "biases learn and the network predicts the most frequent class (about 11% of MNIST). The sigmoid passes 0.5 "
            + "forward, so its layers learn — but each as a single repeated unit, a 784-1-1-1-1-10 chain, which can only tell a few "
            + "digits apart. Random initialisation breaks the symmetry.")
        result.paragraph("The original, for comparison: sigmoid/random reached 91.94% validation accuracy, relu and leaky relu "
            + "became NaN (unscaled draws, s = 1), and tanh/normal 37.48%. Run with `--init-scale 1` to reproduce the unscaled draws; "
            + "a run whose loss becomes NaN is reported as \"diverged at epoch k\".")
        if !diverged.isEmpty {
            result.paragraph("Diverged (a batch's loss or gradient became NaN or infinite; no model was kept): "
                + diverged.joined(separator: ", ") + ".")
        } else if let scale = configuration.initScale {
            result.paragraph("With s = \(scale) no run diverged here: the cross-entropy is computed as log-sum-exp, so very large "
                + "logits give large but finite losses instead of the overflow to NaN of a naive softmax.")
        }

        if configuration.initScale == nil && !context.quick {
            let worst = nonZeroAccuracies.min { ($0.1.isNaN ? -1 : $0.1) < ($1.1.isNaN ? -1 : $1.1) }
            let met = nonZeroAccuracies.allSatisfy { $0.1 >= 0.97 }
            result.check("every non-zero initialisation ≥ 97% test accuracy", met: met,
                         measured: worst.map { "lowest \($0.0): \(Cell.percent($0.1))" } ?? "no models")
        }
        if !zeroAccuracies.isEmpty {
            let highest = zeroAccuracies.map(\.1).filter(\.isFinite).max() ?? .nan
            result.check("zero initialisation stays near chance (every zero-init model < 50% test accuracy; chance ≈ 11%)",
                         met: highest < 0.5, measured: "highest \(Cell.percent(highest))")
        }
        result.configuration = context.commonConfiguration + [
            ("Hidden layers", configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")),
            ("Optimiser", "adam, learning rate \(configuration.learningRate)"),
            ("Batch size", String(configuration.batchSize)),
            ("Max epochs", String(configuration.maxEpochs)), ("Patience", String(configuration.patience)),
            ("Init scale", configuration.initScale.map { String($0) } ?? "variance-preserving (He / Xavier)"),
            ("Validation", "\(grouped(split.validation.count)) rows, stratified, seed \(context.seed)"),
        ]
        result.duration = monotonicSeconds() - started
        return result
    }
}
