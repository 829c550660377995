import CMLP
import LinearAlgebra
import MLPCore
import NeuralNetwork

/// What every training function of mlp.h reads first: its options (validated into a
/// configuration), the shape of its training set, the caller's raw inputs `x` (not yet scanned)
/// and how they are to be scaled.
struct TrainingCall {
    let options: mlp_train_options
    let configuration: TrainingConfiguration
    let rows: Int
    let cols: Int
    /// The caller's `rows × cols` raw inputs, valid during the call.
    let raw: UnsafeBufferPointer<Float>
    let scaling: TrainingScaling

    /// Reads and checks the options and the shape: a non-empty `rows × cols` set, `x` non-NULL.
    init(_ x: UnsafePointer<Float>?, rows: Int, cols: Int, options pointer: UnsafePointer<mlp_train_options>?) throws(CAPIError) {
        options = try TrainOptions.read(pointer)
        let rows = try Arguments.count(rows, "rows")
        let cols = try Arguments.count(cols, "cols")
        configuration = try TrainOptions.configuration(options)
        guard rows > 0, cols > 0 else { throw .shape("a training set of \(rows) × \(cols) inputs is empty") }
        let count = try Arguments.elementCount(rows: rows, cols: cols, "the training set")
        // After the shape is bounded: per-feature scales are copied, `cols` of them.
        scaling = try TrainingScaling.choice(options, cols: cols)
        raw = try Arguments.buffer(x, count: count, "x")
        self.rows = rows
        self.cols = cols
    }

    /// Fails when the network (`cols` inputs, the hidden layers, `outputCount` outputs) has too
    /// many parameters, or when the scaled copy of the inputs, `extraBytes` (the copy of the
    /// labels or targets) and the training run will not fit in memory.
    func checkMemory(outputCount: Int, extraBytes: Int?) throws(CAPIError) {
        try TrainOptions.checkParameterCount(inputs: cols, hidden: configuration.hiddenLayerSizes, outputs: outputCount)
        try TrainingData.checkMemory(rows: rows, cols: cols, outputCount: outputCount, extraBytes: extraBytes,
                                     configuration: configuration)
    }

    /// The scaling (computed from the rows for `standardize`) and the features training reads,
    /// after checking that every raw value and every feature is finite.
    func features() throws(CAPIError) -> (features: Matrix, scaling: InputScaling) {
        if case .standardize = scaling { try Arguments.finite(raw, columns: cols, "x") }
        let scaling = try scaling.scaling(raw, rows: rows, cols: cols)
        try Arguments.finiteFeatures(raw, columns: cols, scaling: scaling, "x")
        return (TrainingScaling.features(raw, rows: rows, cols: cols, scaling: scaling), scaling)
    }
}
