import ArgumentParser
import Datasets
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MLPCore
import NeuralNetwork
import Synchronization
import Reporting

/// `mlp train`: fit a classifier, a regressor or an autoencoder on images or a table, save it, and
/// report its test score; with `--checkpoint` and `--resume`, a run that survives interruption.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP classifier, regressor or autoencoder, save it as safetensors, and report its test score.",
        discussion: """
            Data: a named image dataset (--dataset, --data-dir), a CSV of pixels (--csv, --test-csv), a CSV \
            table with a header row (--csv with --target and --feature-columns, or --header), or NPY arrays \
            (--features, --targets). Tables without a test file hold out --test-fraction of their rows. \
            --task regress fits numeric targets (MAE, RMSE and R² on the test set); --task autoencode learns \
            to reproduce the inputs (--hidden and --code-size; reconstruction MSE).

            Checkpoints and resuming: --checkpoint PATH saves everything the run needs to continue \
            (weights, the optimiser's moments and step, the shuffling state, early stopping's best \
            weights, the history and a fingerprint of the data) after every --checkpoint-every epochs. \
            SIGINT or SIGTERM finishes the current batch, writes a checkpoint (to --checkpoint, or \
            <out>.checkpoint), prints how to resume and exits 130 or 143; a second signal stops at once. \
            --resume PATH continues the run exactly: with the same --threads (and ranks), the final \
            weights equal an uninterrupted run's, bit for bit. Give the same data options. A resumed \
            run keeps the checkpoint's settings: --hidden, --activation, --leaky-slope, --init, \
            --init-scale, --optimizer, --learning-rate, --schedule, --momentum, --batch-size, --seed, \
            --l2, --early-stopping, --validation-fraction, --patience, --tolerance, --clip-norm, \
            --input-kernel and --limit may be repeated only with the checkpoint's values. It may \
            change --epochs (the total, counting the epochs already run), --out, --threads, \
            --parallelism, --reduction, --checkpoint and --checkpoint-every.
            """)

    @Option(help: "What to learn: classify (labels), regress (numeric targets) or autoencode (the inputs). (default: classify)")
    var task: ModelTask?

    @OptionGroup var data: DatasetOptions
    @OptionGroup var table: TabularOptions
    @OptionGroup var distribution: DistributionOptions

    @Option(help: """
        With --distributed, how the ranks' gradients are summed: ordered (gathered and added in rank order, \
        bit-identical to one process of as many threads) or allreduce (MPI_Allreduce, faster, equal only to rounding). \
        (default: ordered)
        """)
    var reduction: GradientReduction?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Hidden layer sizes, comma-separated. (default: 256,128,64,32 for images, 100 for tables)", valueName: "sizes"))
    var hidden: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        With --task autoencode, the code (bottleneck) size: the hidden layers become --hidden, the code, then \
        --hidden reversed (default: --hidden as given).
        """, valueName: "N"))
    var codeSize: Int?

    @Option(help: "Hidden activation. (default: relu)")
    var activation: Activation?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Slope of leaky-relu for negative inputs (default: \(Activation.defaultLeakySlope), or the s of --activation 'leaky-relu(s)').",
        valueName: "slope"))
    var leakySlope: Float?

    @Option(name: [.customLong("init"), .customLong("initialization")], help: "Weight initialisation. (default: he-normal)")
    var initialization: Initialization?

    @Option(parsing: .unconditional, help: "Scale s of the random (U[-s, s]) and normal (N(0, s²)) initialisations (default: He or Xavier for the activation).")
    var initScale: Float?

    @Option(help: "Optimiser. (default: adam)")
    var optimizer: Optimizer?

    @Option(parsing: .unconditional, help: "Initial learning rate. (default: 0.001)")
    var learningRate: Double?

    @Option(help: "Learning-rate schedule. (default: constant)")
    var schedule: LearningRateSchedule?

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Linear warm-up: epoch e < N runs at lr·(e+1)/(N+1), then the schedule starts (with constant, cosine or step). \
        (default: 0)
        """, valueName: "N"))
    var warmupEpochs: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("--schedule step: epochs between reductions. (default: 10)", valueName: "N"))
    var stepSize: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("--schedule step: the factor γ applied every --step-size epochs. (default: 0.1)", valueName: "γ"))
    var stepFactor: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("--schedule cosine: the final learning rate. (default: 0)", valueName: "rate"))
    var minLearningRate: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("--schedule cosine: epochs of the decay, warm-up included. (default: --epochs)", valueName: "N"))
    var scheduleEpochs: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("--optimizer adamw: decoupled weight decay λ on the weights. (default: 0.01)", valueName: "λ"))
    var weightDecay: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Inverted dropout on every hidden layer's output during training (seeded; never at prediction), in [0, 1). (default: 0)
        """, valueName: "rate"))
    var dropout: Double?

    @Option(parsing: .unconditional, help: "SGD momentum. (default: 0.9)")
    var momentum: Double?

    @Option(parsing: .unconditional, help: "Samples per mini-batch (with --distributed, of all ranks together). (default: 128)")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Maximum number of epochs (with --resume, the total). (default: 10)")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "Random seed (initialisation, shuffling, validation split), 0 to 2⁶⁴ − 1. (default: \(Self.defaultSeed))",
            transform: parseSeed)
    var seed: UInt64?
    static let defaultSeed: UInt64 = 1

    @Option(parsing: .unconditional, help: "L2 penalty (alpha). (default: 0)")
    var l2: Double?

    @Flag(inversion: .prefixedNo, help: """
        Hold out --validation-fraction of the training rows, stop when their accuracy stops improving, and keep the \
        best weights. (default: off)
        """)
    var earlyStopping: Bool?

    @Option(parsing: .unconditional, help: "Fraction of the training rows held out for early stopping. (default: 0.1)")
    var validationFraction: Double?

    @Option(parsing: .unconditional, help: """
        Training stops after more than this many consecutive epochs that improve the training loss \
        (with --early-stopping, the validation accuracy) by less than --tolerance. Not used with \
        --schedule adaptive. (default: 10)
        """)
    var patience: Int?

    @Option(parsing: .unconditional, help: """
        The least improvement that counts (see --patience). With --schedule adaptive, 2 epochs in a \
        row that improve by less divide the learning rate by 5; training stops when such a division \
        is due at a rate of 1e-6 or less. (default: \(TrainingConfiguration().tolerance))
        """)
    var tolerance: Double?

    @Option(parsing: .unconditional, help: "Clip the gradient to this global L2 norm.")
    var clipNorm: Double?

    @Option(parsing: .unconditional, help: "Threads per batch (0: every core). (default: 0)")
    var threads: Int?

    @Option(help: "Threads share a batch by: data-parallel (rows per thread) or blas (OpenBLAS's own threads). (default: data-parallel)")
    var parallelism: Parallelism?

    @Option(help: "First-layer product: auto (sparse for mostly-zero inputs), dense (BLAS) or sparse. (default: auto)")
    var inputKernel: InputKernel?

    @Flag(inversion: .prefixedNo, help: """
        With a sparse first layer in one process, fuse its weight gradient into the optimiser's step (faster; \
        --no-fused-first-layer takes the data-parallel step, as distributed runs do). (default: on)
        """)
    var fusedFirstLayer: Bool?

    @Option(parsing: .unconditional, help: ArgumentHelp("Train on only the first N training rows.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Where to save the model (.safetensors).", valueName: "path"))
    var out: String = "model.safetensors"

    @Option(help: ArgumentHelp("Save a checkpoint here after every --checkpoint-every epochs, to continue with --resume.", valueName: "path"))
    var checkpoint: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Epochs between checkpoints (with --checkpoint). (default: 1)", valueName: "N"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("Continue the run a checkpoint saved (see below).", valueName: "path"))
    var resume: String?

    func validate() throws {
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2, got \(limit)") }
        try OptionCheck.atLeast(1, checkpointEvery, "--checkpoint-every")
        if checkpointEvery != nil && checkpoint == nil { throw ValidationError("--checkpoint-every needs --checkpoint") }
        if let leakySlope, resume == nil || activation != nil {
            let activation = activation ?? Self.defaults.activation
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
        try OptionCheck.atLeast(1, codeSize, "--code-size")
        if codeSize != nil && task != .autoencode { throw ValidationError("--code-size needs --task autoencode") }
        if task == .regress && !table.isTabular {
            throw ValidationError("--task regress needs a table: --csv FILE --target NAME, or --features X.npy --targets y.npy")
        }
        if table.isTabular {
            if data.dataset != nil || data.dataDir != nil { throw ValidationError("--dataset and --data-dir are for images, not tables") }
        } else {
            try data.validateTestSet()
            if table.standardize { throw ValidationError("--standardize is for tables (--target, --features); images are scaled x / 255") }
            if table.sampleWeight != nil || table.classWeight != nil || table.testFraction != nil {
                throw ValidationError("--sample-weight, --class-weight and --test-fraction are for tables (--target, --features)")
            }
        }
        if table.classWeight != nil && (task ?? .classify) != .classify { throw ValidationError("--class-weight needs --task classify") }
        if resume == nil { _ = try trainingConfiguration() }
    }

    func hiddenLayerSizes(_ hidden: String) throws -> [Int] {
        let parts = hidden.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if hidden.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        return try parts.map { part in
            guard let size = Int(part), size > 0 else {
                throw ValidationError("--hidden must be positive integers separated by commas, got '\(hidden)'")
            }
            return size
        }
    }

    /// What `mlp train` trains without options.
    static let defaults: TrainingConfiguration = {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = [256, 128, 64, 32]
        configuration.activation = .relu
        configuration.initialization = .heNormal
        configuration.optimizer = .adam
        configuration.learningRateInit = 0.001
        configuration.learningRateSchedule = .constant
        configuration.momentum = 0.9
        configuration.batchSize = 128
        configuration.maxEpochs = 10
        configuration.seed = defaultSeed
        configuration.alpha = 0
        configuration.earlyStopping = false
        configuration.validationFraction = 0.1
        configuration.epochsWithoutImprovement = 10
        configuration.threads = 0
        return configuration
    }()

    /// The options as a library configuration over `base` (the defaults, or a resumed
    /// checkpoint's), checked by the library; a value out of range is a usage error naming the
    /// option.
    func trainingConfiguration(over base: TrainingConfiguration? = nil) throws -> TrainingConfiguration {
        var configuration = base ?? Self.defaults
        if base == nil && table.isTabular { configuration.hiddenLayerSizes = [100] }
        if let hidden { configuration.hiddenLayerSizes = try hiddenLayerSizes(hidden) }
        if let codeSize {
            let encoder = configuration.hiddenLayerSizes
            configuration.hiddenLayerSizes = encoder + [codeSize] + encoder.reversed()
        }
        if let activation { configuration.activation = activation }
        if let leakySlope, case .leakyReLU = configuration.activation { configuration.activation = .leakyReLU(slope: leakySlope) }
        if let initialization { configuration.initialization = initialization }
        if let initScale { configuration.initScale = initScale }
        if let optimizer { configuration.optimizer = optimizer }
        if let learningRate { configuration.learningRateInit = learningRate }
        if let schedule { configuration.learningRateSchedule = schedule }
        if let warmupEpochs { configuration.warmupEpochs = warmupEpochs }
        if let stepSize { configuration.stepSize = stepSize }
        if let stepFactor { configuration.stepFactor = stepFactor }
        if let minLearningRate { configuration.minimumLearningRate = minLearningRate }
        if let scheduleEpochs { configuration.scheduleEpochs = scheduleEpochs }
        if let weightDecay { configuration.weightDecay = weightDecay }
        if let dropout { configuration.dropout = dropout }
        if let momentum { configuration.momentum = momentum }
        if let batchSize { configuration.batchSize = batchSize }
        if let epochs { configuration.maxEpochs = epochs }
        if let seed { configuration.seed = seed }
        if let l2 { configuration.alpha = l2 }
        if let earlyStopping { configuration.earlyStopping = earlyStopping }
        if let validationFraction { configuration.validationFraction = validationFraction }
        if let patience { configuration.epochsWithoutImprovement = patience }
        if let tolerance { configuration.tolerance = tolerance }
        if let clipNorm { configuration.gradientClipNorm = clipNorm }
        if let threads { configuration.threads = threads }
        if let parallelism { configuration.parallelism = parallelism }
        if let inputKernel { configuration.inputKernel = inputKernel }
        if let fusedFirstLayer { configuration.fusesFirstLayer = fusedFirstLayer }
        if let reduction { configuration.gradientReduction = reduction }
        do {
            try configuration.validate()
        } catch .invalidConfiguration(let parameter, let value, let requirement) {
            throw ValidationError("\(Self.options[parameter] ?? parameter) \(requirement), got \(value)")
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }

    /// The configuration of a run resumed from `checkpoint`: its own, with the options that may
    /// change applied; an option that would change the run is a usage error naming it.
    func resumedConfiguration(_ checkpoint: TrainingCheckpoint, path: String) throws -> TrainingConfiguration {
        let configuration = try trainingConfiguration(over: checkpoint.configuration)
        let changed = configuration.fieldsThatChangeTheRun(comparedTo: checkpoint.configuration)
        guard changed.isEmpty else {
            let options = changed.map { field in
                let option = Self.options[field] ?? "--" + field
                return "\(option) (\(checkpoint.configuration.value(of: field)) in the checkpoint)"
            }
            throw ValidationError("--resume \(path): \(options.joined(separator: ", ")) would change the run; "
                                  + "a resumed run may change only --epochs, --out, --threads, --parallelism, --reduction and the checkpoint options")
        }
        return configuration
    }

    /// The option that sets each `TrainingConfiguration` field.
    static let options = [
        "hiddenLayerSizes": "--hidden", "activation": "--activation", "initScale": "--init-scale",
        "learningRateInit": "--learning-rate", "momentum": "--momentum", "batchSize": "--batch-size",
        "maxEpochs": "--epochs", "tolerance": "--tolerance", "epochsWithoutImprovement": "--patience",
        "validationFraction": "--validation-fraction", "alpha": "--l2", "gradientClipNorm": "--clip-norm",
        "threads": "--threads", "initialization": "--init", "optimizer": "--optimizer", "learningRateSchedule": "--schedule",
        "seed": "--seed", "earlyStopping": "--early-stopping", "parallelism": "--parallelism", "inputKernel": "--input-kernel",
        "gradientReduction": "--reduction", "warmupEpochs": "--warmup-epochs", "stepSize": "--step-size",
        "stepFactor": "--step-factor", "minimumLearningRate": "--min-learning-rate", "scheduleEpochs": "--schedule-epochs",
        "weightDecay": "--weight-decay", "dropout": "--dropout",
    ]

    func run() async throws {
        let communicator = try distribution.communicator()
        let task = self.task ?? .classify
        let (data, resumed) = try await communicator.collectively {
            let resumed = try resume.map { path in (path: path, checkpoint: try TrainingCheckpoint.load(from: path)) }
            let data = try await loadData(task: task, seed: resumed?.checkpoint.configuration.seed ?? seed ?? Self.defaultSeed)
            if communicator.isLeader {
                try AtomicFile.checkWritable(out)
                try AtomicFile.checkWritable(checkpointPath)
            }
            return (data, resumed)
        }
        switch task {
        case .classify:
            let labels = try data.classLabels()
            var classifier = try model(MLPClassifier.self, data: data, resumed: resumed)
            if case .table = data { classifier.classNames = labels.names }
            let classWeight = try self.classWeight(names: labels.names)
            let weights = data.trainingTable?.sampleWeights
            let progressShown = try fit(&classifier, data: data, outputs: Set(labels.training).count, resumed: resumed, communicator: communicator) {
                try $0.fit(data.training, labels: labels.training, sampleWeights: weights, classWeight: classWeight, progress: $1)
            }
            if case .images(let training, _) = data {
                // One name per class the model learned (a --limit may leave some of the dataset's out).
                classifier.classNames = classifier.classes.map { training.classNames.indices.contains($0) ? training.classNames[$0] : String($0) }
            }
            guard communicator.isLeader else { return }
            try classifier.save(to: out)
            printSummary(classifier.history, progressShown: progressShown)
            let accuracy = classifier.score(data.test, labels: labels.test)
            print("Test accuracy: \(NumberFormat.percent(accuracy)) on \(data.test.sampleCount) \(data.rowNoun)")
        case .regress:
            guard let targets = data.trainingTable?.targetValues, let testTargets = data.testTable?.targetValues else {
                throw ValidationError("--task regress needs numeric targets")
            }
            var regressor = try model(MLPRegressor.self, data: data, resumed: resumed)
            let progressShown = try fit(&regressor, data: data, outputs: targets.columns, resumed: resumed, communicator: communicator) {
                try $0.fit(data.training, targets: targets, sampleWeights: data.trainingTable?.sampleWeights, progress: $1)
            }
            guard communicator.isLeader else { return }
            try regressor.save(to: out)
            printSummary(regressor.history, progressShown: progressShown)
            let scores = RegressionScores(predicted: regressor.predict(data.test), expected: testTargets)
            print("Test R² \(NumberFormat.fixed(scores.rSquared, decimals: 4)), RMSE \(NumberFormat.significant(scores.rootMeanSquaredError)), "
                  + "MAE \(NumberFormat.significant(scores.meanAbsoluteError)) on \(data.test.sampleCount) rows")
        case .autoencode:
            var autoencoder = try model(Autoencoder.self, data: data, resumed: resumed)
            let progressShown = try fit(&autoencoder, data: data, outputs: data.training.featureCount, resumed: resumed, communicator: communicator) {
                try $0.fit(data.training, sampleWeights: data.trainingTable?.sampleWeights, progress: $1)
            }
            guard communicator.isLeader else { return }
            try autoencoder.save(to: out)
            printSummary(autoencoder.history, progressShown: progressShown)
            let error = Metrics.meanSquaredError(predicted: autoencoder.reconstruct(data.test), expected: data.test.featureMatrix())
            print("Test reconstruction MSE \(NumberFormat.significant(error)) per feature on \(data.test.sampleCount) \(data.rowNoun) "
                  + "(code size \(autoencoder.network.map { Array($0.layerSizes.dropFirst().dropLast())[autoencoder.bottleneckLayer] } ?? 0))")
        }
    }

    /// `--class-weight`: balanced, or a CSV file of `label,weight` lines (labels as in the data),
    /// for the classes `names` (in training order).
    func classWeight(names: [String]) throws -> ClassWeight? {
        guard let text = table.classWeight else { return nil }
        if text.lowercased() == "balanced" { return .balanced }
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(text, limit: 64 << 20)
        } catch {
            throw ValidationError("--class-weight \(text): \(error)")
        }
        var position = [String: Int]()
        for (index, name) in names.enumerated() { position[name] = index }
        var weights = [Int: Float]()
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if cells.count == 1 && cells[0].isEmpty { continue }
            if number == 0 && cells.count == 2 && Float(cells[1]) == nil { continue }  // a header row
            guard cells.count == 2, let weight = Float(cells[1]), weight.isFinite, weight >= 0 else {
                throw ValidationError("--class-weight \(text):\(number + 1): expected 'label,weight' with a finite weight ≥ 0")
            }
            guard let index = position[cells[0]] else {
                throw ValidationError("--class-weight \(text):\(number + 1): '\(cells[0].prefix(40))' is not one of the training classes")
            }
            weights[index] = weight
        }
        return .explicit(weights)
    }

    /// The training and test data of `task`: a table, or images.
    func loadData(task: ModelTask, seed: UInt64) async throws -> TrainingData {
        if table.isTabular {
            var (training, test) = try table.load(task: task, csv: data.csv, testCsv: data.testCsv, seed: seed)
            if let limit, limit < training.sampleCount { training = training.subset(Array(0..<limit)) }
            if table.standardize {
                let statistics = training.featureStatistics()
                let scaling = InputScaling.standardized(means: statistics.means, standardDeviations: statistics.standardDeviations)
                training.scaling = scaling
                test.scaling = scaling
            }
            return .table(training: training, test: test, namesFromHeader: table.features == nil)
        }
        var training = try await data.load(.training)
        if let limit, limit < training.sampleCount { training = training.subset(Array(0..<limit)) }
        return .images(training: training, test: try await data.load(.test))
    }

    /// A new model of `type` with the options' configuration, or the `resumed` checkpoint's; set
    /// up for `data`.
    func model<Model: NeuralNetworkModel>(
        _ type: Model.Type, data: TrainingData, resumed: (path: String, checkpoint: TrainingCheckpoint)?
    ) throws -> Model {
        var model: Model
        if let resumed {
            model = try Model(resumingFrom: resumed.checkpoint)
            model.configuration = try resumedConfiguration(resumed.checkpoint, path: resumed.path)
        } else {
            model = try type.init(configuration: trainingConfiguration())
        }
        if case .table(let training, _, let namesFromHeader) = data {
            model.inputScaling = training.scaling
            model.featureNames = namesFromHeader ? training.featureNames : nil
            model.targetNames = training.targetNames.isEmpty ? nil : training.targetNames
        }
        return model
    }

    /// Fits `model` with `body`, with checkpoints, signals and the progress bar; returns whether the
    /// progress bar was shown. A run a signal stopped prints how to resume and throws its exit code.
    func fit<Model: NeuralNetworkModel>(
        _ model: inout Model, data: TrainingData, outputs: Int, resumed: (path: String, checkpoint: TrainingCheckpoint)?,
        communicator: any Communicator,
        _ body: (inout Model, @escaping (EpochReport) -> Void) throws -> Void
    ) throws -> Bool {
        let configuration = model.configuration
        model.communicator = communicator
        model.checkpointing = Checkpointing(path: checkpointPath, every: checkpoint == nil ? 0 : checkpointEvery ?? 1)
        model.stopSignal = Interruption.stopSignal
        if communicator.isLeader {
            printStart(configuration, data: data, outputs: outputs, kind: Model.kind, resumed: resumed?.checkpoint, ranks: communicator.size)
        }
        let bar = ProgressBar(label: "train", total: configuration.maxEpochs, enabled: communicator.isLeader ? nil : false)
        Interruption.armed.store(true, ordering: .sequentiallyConsistent)
        defer { Interruption.armed.store(false, ordering: .sequentiallyConsistent) }
        try body(&model) { report in
            bar.update(step: report.epoch, loss: report.loss, accuracy: report.validationAccuracy ?? report.trainingAccuracy)
        }
        bar.finish()
        if model.history.stopReason == .interrupted {
            if communicator.isLeader { printResumeHint(model.history, ranks: communicator.size) }
            throw ExitCode(128 + Interruption.signalNumber)
        }
        return bar.isEnabled
    }

    /// Where checkpoints go: `--checkpoint`, else `<out>.checkpoint` (written only on a signal).
    var checkpointPath: String { checkpoint ?? out + ".checkpoint" }

    private func printStart(
        _ configuration: TrainingConfiguration, data: TrainingData, outputs: Int, kind: ModelKind,
        resumed: TrainingCheckpoint?, ranks: Int
    ) {
        let layers = ([data.training.featureCount] + configuration.hiddenLayerSizes + [outputs])
            .map(String.init).joined(separator: "-")
        let perRank = ranks > 1 ? " on each of \(ranks) ranks" : ""
        print("Training \(kind.withArticle) \(layers) (\(configuration.activation.name), \(configuration.initialization.rawValue) init, "
              + "\(configuration.optimizer.rawValue) lr \(configuration.learningRateInit), batch \(configuration.batchSize)) "
              + "on \(data.training.sampleCount) \(data.description(images: self.data.sourceDescription)), "
              + "\(configuration.resolvedThreadCount) thread(s)\(perRank)")
        guard let resumed, let path = resume else { return }
        let position = resumed.samplesIntoEpoch.map { "inside epoch \(resumed.epochsCompleted + 1), after \($0) samples" }
            ?? "after epoch \(resumed.epochsCompleted)"
        print("Resuming \(path) \(position), to \(configuration.maxEpochs) epochs"
              + (resumed.isFinished ? " (the run had already stopped: \(resumed.history.stopReason?.rawValue ?? ""))" : ""))
    }

    /// The line that says where the checkpoint is and how to continue.
    private func printResumeHint(_ history: TrainingHistory, ranks: Int) {
        let name = Interruption.signalNumber == SIGTERM ? "SIGTERM" : "SIGINT"
        let arguments = CommandLine.arguments.dropFirst()
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--resume" || argument == "--checkpoint" { skipNext = true; continue }
            if argument.hasPrefix("--resume=") || argument.hasPrefix("--checkpoint=") { continue }
            kept.append(argument)
        }
        let command = (["mlp"] + kept.filter { $0 != "train" } + ["--resume", checkpointPath]).joined(separator: " ")
        let launcher = ranks > 1 ? "mpirun -np \(ranks) " : ""
        print("Stopped by \(name) in epoch \(history.epochsRun + 1); checkpoint saved to \(checkpointPath). "
              + "Resume with: \(launcher)\(command.replacingOccurrences(of: "mlp ", with: "mlp train ", options: .anchored))")
    }

    private func printSummary(_ history: TrainingHistory, progressShown: Bool) {
        let seconds = history.secondsPerEpoch.reduce(0, +)
        for (epoch, loss) in history.lossCurve.enumerated() where !progressShown {
            let validation = epoch < history.validationAccuracyCurve.count
                ? ", validation accuracy \(NumberFormat.percent(history.validationAccuracyCurve[epoch]))" : ""
            print("  epoch \(epoch + 1): loss \(NumberFormat.fixed(loss, decimals: 4))\(validation)")
        }
        print("Trained \(history.epochsRun) epochs in \(NumberFormat.duration(seconds: seconds))"
              + (history.stopReason.map { " (stopped: \($0.rawValue))" } ?? ""))
        print("Saved \(out)" + (checkpoint.map { ", checkpoint \($0)" } ?? ""))
    }
}
