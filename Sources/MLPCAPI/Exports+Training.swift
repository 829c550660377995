import CMLP
import Datasets
import LinearAlgebra
import MessagePassing
import NeuralNetwork
import MLPCore

// Training from C: mlp_train_options ↔ TrainingConfiguration, and mlp_train_classifier.

/// The largest number of parameters a model trained from C may have (2³¹ floats).
private let maximumParameterCount = 1 << 31

/// `mlp_status mlp_train_options_init_sized(mlp_train_options *options, size_t struct_size)`, which
/// the header's inline `mlp_train_options_init` calls with `sizeof *options`.
@_cdecl("mlp_train_options_init_sized")
public func mlpTrainOptionsInitSized(_ options: UnsafeMutablePointer<mlp_train_options>?, _ structSize: Int) -> mlp_status {
    exported("mlp_train_options_init") { () throws(CAPIError) in
        guard let options else { throw .nullArgument("options") }
        let size = try TrainOptions.checkedSize(structSize)
        var defaults = TrainOptions.defaults
        defaults.struct_size = size
        withUnsafeBytes(of: &defaults) { UnsafeMutableRawPointer(options).copyMemory(from: $0.baseAddress!, byteCount: size) }
    }
}

/// `mlp_status mlp_train_classifier(x, labels, rows, cols, options, out)`.
@_cdecl("mlp_train_classifier")
public func mlpTrainClassifier(
    _ x: UnsafePointer<Float>?, _ labels: UnsafePointer<Int32>?, _ rows: Int, _ cols: Int,
    _ options: UnsafePointer<mlp_train_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> mlp_status {
    exported("mlp_train_classifier") { () throws(CAPIError) in
        guard let out else { throw .nullArgument("out") }
        let call = try TrainingCall(x, rows: rows, cols: cols, options: options)
        let labelBuffer = try Arguments.buffer(labels, count: call.rows, "labels")
        // Memory first: a call that cannot fit is refused before x is scanned.
        let classCount = try TrainingData.classCount(labelBuffer)
        try call.checkMemory(outputCount: classCount,
                             extraBytes: Allocation.bytes(UInt8.self, count: call.rows, TrainingData.bytesPerLabel))
        let (features, scaling) = try call.features()

        let weighting = try TrainOptions.weighting(call.options, rows: call.rows)
        var classifier = MLPClassifier(configuration: call.configuration)
        classifier.inputScaling = scaling
        try TrainOptions.prepare(&classifier, call.options)
        do throws(NeuralNetworkError) {
            try classifier.fit(features, labels: labelBuffer.map { Int($0) }, sampleWeights: weighting.sampleWeights,
                               classWeight: weighting.classWeight)
        } catch {
            throw CAPIError(error)
        }
        out.pointee = try HandleTable.shared.register(ModelHandle(classifier), as: .model)
    }
}

/// `mlp_status mlp_train_resume(checkpoint_path, x, labels, rows, cols, options, out)`.
@_cdecl("mlp_train_resume")
public func mlpTrainResume(
    _ checkpointPath: UnsafePointer<CChar>?, _ x: UnsafePointer<Float>?, _ labels: UnsafePointer<Int32>?, _ rows: Int,
    _ cols: Int, _ options: UnsafePointer<mlp_train_options>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> mlp_status {
    exported("mlp_train_resume") { () throws(CAPIError) in
        guard let out else { throw .nullArgument("out") }
        let path = try Arguments.string(checkpointPath, "checkpoint_path")
        let bytes = try FileAccess.readRegularFile(path, kind: "checkpoint")
        let checkpoint: TrainingCheckpoint
        do throws(SafeTensorsProblem) {
            checkpoint = try TrainingCheckpoint.decode(bytes)
        } catch {
            throw CAPIError(status: MLP_ERROR_FORMAT, message: "checkpoint \(path): \(error)")
        }
        var classifier: MLPClassifier
        do throws(NeuralNetworkError) {
            classifier = try MLPClassifier(resumingFrom: checkpoint)
        } catch {
            throw CAPIError(error)
        }
        let given = try TrainOptions.read(options)
        if options != nil {
            classifier.configuration.maxEpochs = try Arguments.count(given.max_epochs, "max_epochs")
            classifier.configuration.threads = try Arguments.count(given.threads, "threads")
            do throws(NeuralNetworkError) { try classifier.configuration.validate() } catch { throw CAPIError(error) }
        }
        try TrainOptions.prepare(&classifier, given)
        let rows = try Arguments.count(rows, "rows")
        let weighting = try TrainOptions.weighting(given, rows: rows)
        let cols = try Arguments.count(cols, "cols")
        guard rows > 0, cols > 0 else { throw .shape("a training set of \(rows) × \(cols) inputs is empty") }
        guard cols == checkpoint.dataFingerprint.featureCount else {
            throw .shape("cols is \(cols), the checkpoint's data has \(checkpoint.dataFingerprint.featureCount) features")
        }
        // The checkpoint's scaling fits its network (ModelFile), whose inputs are its data's features.
        let count = try Arguments.elementCount(rows: rows, cols: cols, "the training set")
        let raw = try Arguments.buffer(x, count: count, "x")
        let labelBuffer = try Arguments.buffer(labels, count: rows, "labels")
        try TrainingData.checkMemory(rows: rows, cols: cols, classCount: classifier.classes.count,
                                     configuration: classifier.configuration)
        try Arguments.finiteFeatures(raw, columns: cols, scaling: classifier.inputScaling, "x")
        let features = TrainingScaling.features(raw, rows: rows, cols: cols, scaling: classifier.inputScaling)
        do throws(NeuralNetworkError) {
            try classifier.fit(features, labels: labelBuffer.map { Int($0) }, sampleWeights: weighting.sampleWeights,
                               classWeight: weighting.classWeight)
        } catch {
            throw CAPIError(error)
        }
        out.pointee = try HandleTable.shared.register(ModelHandle(classifier), as: .model)
    }
}

/// The training set a C caller passes, checked against the memory budget before the C layer
/// copies it for the library: the scaled inputs, the labels and the training run itself.
enum TrainingData {
    /// Bytes per label besides the caller's: a sorted copy to count the classes and its sort
    /// buffer, the labels as `Int` for `fit`, and their class indices inside it.
    static let bytesPerLabel = 4 + 4 + 8 + 4

    /// The number of distinct labels, counted on a sorted copy (whose size is checked first).
    static func classCount(_ labels: UnsafeBufferPointer<Int32>) throws(CAPIError) -> Int {
        try Allocation.check(Allocation.bytes(UInt8.self, count: labels.count, bytesPerLabel), for: "counting the classes of \(labels.count) labels")
        let sorted = labels.sorted()
        return zip(sorted, sorted.dropFirst()).reduce(sorted.isEmpty ? 0 : 1) { $0 + ($1.0 == $1.1 ? 0 : 1) }
    }

    /// Fails with `MLP_ERROR_OUT_OF_MEMORY`, naming the size, when the scaled copy of a
    /// `rows × cols` training set, its labels and the training run
    /// (``TrainingConfiguration/estimatedTrainingBytes(inputCount:outputCount:batchRows:)``)
    /// will not fit together.
    ///
    /// Under an address-space limit (`ulimit -v`), the worker threads' stacks and malloc arenas
    /// must fit too (``Allocation/threadReservation(threads:)``): a worker that cannot be created
    /// would stall the run.
    static func checkMemory(rows: Int, cols: Int, classCount: Int, configuration: TrainingConfiguration) throws(CAPIError) {
        try checkMemory(rows: rows, cols: cols, outputCount: classCount,
                        extraBytes: Allocation.bytes(UInt8.self, count: rows, bytesPerLabel), configuration: configuration)
    }

    /// As ``checkMemory(rows:cols:classCount:configuration:)`` for a network of `outputCount`
    /// outputs, with `extraBytes` for the copy of the labels or targets.
    static func checkMemory(
        rows: Int, cols: Int, outputCount: Int, extraBytes: Int?, configuration: TrainingConfiguration
    ) throws(CAPIError) {
        let batchRows = Swift.min(configuration.batchSize, rows)
        let training = configuration.estimatedTrainingBytes(inputCount: cols, outputCount: outputCount, batchRows: batchRows)
        let layers = ([cols] + configuration.hiddenLayerSizes + [outputCount]).map(String.init).joined(separator: "-")
        let total = Allocation.sum(Allocation.bytes(Float.self, count: rows, cols), extraBytes, training)
        try Allocation.check(total, for: "training the \(layers) network on \(rows) samples")
        // The trainer's pool has up to one thread per configured thread (for the update, even
        // when a batch has fewer rows); the caller's thread is one of them.
        let workers = Swift.max(1, configuration.resolvedThreadCount)
        try Allocation.checkAddressSpace(
            Allocation.sum(total, Allocation.threadReservation(threads: workers - 1)),
            for: "training the \(layers) network on \(rows) samples with \(workers) worker threads")
    }
}

/// The defaults of `mlp_train_options` and their translation into a ``TrainingConfiguration``.
enum TrainOptions {
    /// A caller's `struct_size`, checked: at least the first release's fields (up to
    /// `input_offset`), at most this library's struct.
    static func checkedSize(_ size: Int) throws(CAPIError) -> Int {
        // Version 2.0.0, the first with `struct_size`, ends with `mpi_comm`.
        let smallest = (MemoryLayout<mlp_train_options>.offset(of: \.mpi_comm) ?? 0) + MemoryLayout<Int32>.size
        guard size >= smallest else {
            throw .invalidArgument("struct_size is \(size): initialise the options with mlp_train_options_init")
        }
        return Swift.min(size, MemoryLayout<mlp_train_options>.size)
    }

    /// The caller's options (the defaults when NULL): the `struct_size` bytes it has, and the
    /// defaults for the fields a newer library added after them.
    static func read(_ pointer: UnsafePointer<mlp_train_options>?) throws(CAPIError) -> mlp_train_options {
        var options = defaults
        guard let pointer else { return options }
        let size = try checkedSize(pointer.pointee.struct_size)
        withUnsafeMutableBytes(of: &options) { $0.baseAddress!.copyMemory(from: pointer, byteCount: size) }
        return options
    }

    /// The processes that train together: the caller's MPI communicator when `distributed` is 1.
    static func communicator(_ options: mlp_train_options) throws(CAPIError) -> any Communicator {
        switch options.distributed {
        case 0: return SingleProcessCommunicator.shared
        case 1:
            do {
                return try MPICommunicator(fortranHandle: options.mpi_comm)
            } catch {
                throw .invalidArgument("mpi_comm \(options.mpi_comm): \(error.message)")
            }
        default: throw .invalidArgument("distributed must be 0 or 1, got \(options.distributed)")
        }
    }

    /// The model's communicator and checkpoints from `options`. Without a checkpoint path the run
    /// still records its state (checkpoints every 0 epochs: never written, as the C API raises no
    /// stop signal), so that mlp_model_save_checkpoint can save it afterwards.
    static func prepare<Model: NeuralNetworkModel>(_ classifier: inout Model, _ options: mlp_train_options) throws(CAPIError) {
        classifier.communicator = try communicator(options)
        let every = try Arguments.count(options.checkpoint_every, "checkpoint_every")
        if let path = options.checkpoint_path {
            guard every >= 1 else { throw .invalidArgument("checkpoint_every must be at least 1, got 0") }
            let text = try Arguments.string(path, "checkpoint_path")
            try FileAccess.checkWritableTarget(text, kind: "checkpoint")
            do throws(FileWriteError) { try AtomicFile.checkWritable(text) } catch {
                throw CAPIError(status: MLP_ERROR_IO, message: error.description)
            }
            classifier.checkpointing = Checkpointing(path: text, every: every)
        } else {
            classifier.checkpointing = Checkpointing(path: "", every: 0)
        }
    }

    static var defaults: mlp_train_options {
        let configuration = TrainingConfiguration()
        var options = mlp_train_options()
        options.struct_size = MemoryLayout<mlp_train_options>.size
        options.hidden_layer_sizes = nil
        options.hidden_layer_count = 0
        options.activation = StaticCString.pointer("relu")
        options.optimizer = StaticCString.pointer("adam")
        options.learning_rate = configuration.learningRateInit
        options.alpha = configuration.alpha
        options.batch_size = configuration.batchSize
        options.max_epochs = configuration.maxEpochs
        options.seed = configuration.seed
        options.threads = configuration.threads
        options.input_scale = InputScaling.unitInterval.scale
        options.input_offset = InputScaling.unitInterval.offset
        options.checkpoint_path = nil
        options.checkpoint_every = 1
        options.weight_decay = configuration.weightDecay
        options.learning_rate_schedule = StaticCString.pointer("constant")
        options.warmup_epochs = configuration.warmupEpochs
        options.step_size = configuration.stepSize
        options.step_factor = configuration.stepFactor
        options.minimum_learning_rate = configuration.minimumLearningRate
        options.schedule_epochs = 0
        options.dropout = configuration.dropout
        options.sample_weights = nil
        options.class_weight = Int32(MLP_CLASS_WEIGHT_NONE.rawValue)
        return options
    }

    /// The sample weights (`rows` of them, checked: finite, at least 0, not all 0) and the class
    /// weighting of `options`.
    static func weighting(_ options: mlp_train_options, rows: Int) throws(CAPIError)
        -> (sampleWeights: [Float]?, classWeight: ClassWeight?) {
        let classWeight: ClassWeight?
        switch options.class_weight {
        case Int32(MLP_CLASS_WEIGHT_NONE.rawValue): classWeight = nil
        case Int32(MLP_CLASS_WEIGHT_BALANCED.rawValue): classWeight = .balanced
        default:
            throw .invalidArgument("class_weight must be MLP_CLASS_WEIGHT_NONE (0) or MLP_CLASS_WEIGHT_BALANCED (1), got \(options.class_weight)")
        }
        guard let pointer = options.sample_weights else { return (nil, classWeight) }
        try Allocation.check(Allocation.bytes(Float.self, count: rows, 1), for: "copying \(rows) sample weights")
        let weights = Array(try Arguments.buffer(pointer, count: rows, "sample_weights"))
        do throws(NeuralNetworkError) {
            try SampleWeights.validate(weights, sampleCount: rows)
        } catch {
            throw .invalidArgument("sample_weights: \(error.description.replacingOccurrences(of: "invalid data: ", with: ""))")
        }
        return (weights, classWeight)
    }

    /// The sample weights of `options` for a regressor or an autoencoder (`task`), which weigh
    /// no classes: `class_weight` must be `MLP_CLASS_WEIGHT_NONE`.
    static func sampleWeights(_ options: mlp_train_options, rows: Int, task: String) throws(CAPIError) -> [Float]? {
        guard options.class_weight == Int32(MLP_CLASS_WEIGHT_NONE.rawValue) else {
            throw .invalidArgument("class_weight is \(options.class_weight): \(task) has no classes to weigh (use MLP_CLASS_WEIGHT_NONE, 0)")
        }
        return try weighting(options, rows: rows).sampleWeights
    }

    /// The configuration the options describe, validated.
    static func configuration(_ options: mlp_train_options) throws(CAPIError) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        let layerCount = try Arguments.count(options.hidden_layer_count, "hidden_layer_count")
        if layerCount > 0 {
            guard layerCount <= 1000 else { throw .invalidArgument("hidden_layer_count = \(layerCount) is above 1000") }
            let sizes = try Arguments.buffer(options.hidden_layer_sizes, count: layerCount, "hidden_layer_sizes")
            configuration.hiddenLayerSizes = try sizes.enumerated().map { (index, size) throws(CAPIError) in
                try Arguments.count(size, "hidden_layer_sizes[\(index)]")
            }
        } else if options.hidden_layer_sizes != nil {
            throw .invalidArgument("hidden_layer_sizes is set but hidden_layer_count is 0")
        }
        let activation = try options.activation.map { (name) throws(CAPIError) in try Arguments.string(name, "activation") }
        let optimizer = try options.optimizer.map { (name) throws(CAPIError) in try Arguments.string(name, "optimizer") }
        do throws(NeuralNetworkError) {
            if let activation { configuration.activation = try Activation(name: activation) }
            if let optimizer { configuration.optimizer = try Optimizer(name: optimizer) }
        } catch {
            throw CAPIError(error)
        }
        configuration.learningRateInit = options.learning_rate
        configuration.alpha = options.alpha
        configuration.batchSize = try Arguments.count(options.batch_size, "batch_size")
        configuration.maxEpochs = try Arguments.count(options.max_epochs, "max_epochs")
        configuration.seed = options.seed
        configuration.threads = try Arguments.count(options.threads, "threads")
        configuration.weightDecay = options.weight_decay
        configuration.warmupEpochs = try Arguments.count(options.warmup_epochs, "warmup_epochs")
        configuration.stepSize = try Arguments.count(options.step_size, "step_size")
        configuration.stepFactor = options.step_factor
        configuration.minimumLearningRate = options.minimum_learning_rate
        let scheduleEpochs = try Arguments.count(options.schedule_epochs, "schedule_epochs")
        configuration.scheduleEpochs = scheduleEpochs == 0 ? nil : scheduleEpochs
        configuration.dropout = options.dropout
        let schedule = try options.learning_rate_schedule.map { (name) throws(CAPIError) in
            try Arguments.string(name, "learning_rate_schedule")
        }
        do throws(NeuralNetworkError) {
            if let schedule { configuration.learningRateSchedule = try LearningRateSchedule(name: schedule) }
            try configuration.validate()
        } catch {
            throw CAPIError(error)
        }
        return configuration
    }

    /// Fails when the network would have more than ``maximumParameterCount`` parameters.
    static func checkParameterCount(inputs: Int, hidden: [Int], outputs: Int) throws(CAPIError) {
        var total = 0
        var previous = inputs
        for width in hidden + [outputs] {
            let (weights, overflow1) = previous.multipliedReportingOverflow(by: width)
            let (layer, overflow2) = weights.addingReportingOverflow(width)
            let (sum, overflow3) = total.addingReportingOverflow(layer)
            guard !overflow1, !overflow2, !overflow3, sum <= maximumParameterCount else {
                throw CAPIError(status: MLP_ERROR_OUT_OF_MEMORY,
                                message: "a network with \(inputs) inputs and hidden layers \(hidden) has too many parameters (at most \(maximumParameterCount))")
            }
            total = sum
            previous = width
        }
    }
}
