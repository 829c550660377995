import CMLP
import LinearAlgebra
import MLPCore

/// How a training call's raw inputs become features, from `mlp_train_options`: the uniform
/// `input_scale` and `input_offset`, the per-feature `input_scales` and `input_offsets`, or
/// `standardize` (each column's mean and population standard deviation in the training rows).
enum TrainingScaling {
    /// A scaling known from the options alone.
    case given(InputScaling)
    /// Standardization, computed from the training rows once they are checked.
    case standardize

    /// The scaling the options ask for, checked without reading the training data: `standardize`
    /// 0 or 1, the per-feature arrays present, as long as `cols`, finite with non-zero scales,
    /// and not combined with `standardize`; otherwise the uniform scale finite and non-zero and
    /// the offset finite.
    static func choice(_ options: mlp_train_options, cols: Int) throws(CAPIError) -> TrainingScaling {
        guard options.standardize == 0 || options.standardize == 1 else {
            throw .invalidArgument("standardize must be 0 or 1, got \(options.standardize)")
        }
        let count = try Arguments.count(options.input_scaling_count, "input_scaling_count")
        if count == 0 {
            guard options.input_scales == nil, options.input_offsets == nil else {
                throw .invalidArgument(
                    "\(options.input_scales != nil ? "input_scales" : "input_offsets") is set but input_scaling_count is 0")
            }
        } else {
            guard options.standardize == 0 else {
                throw .invalidArgument("standardize and input_scales/input_offsets are exclusive: give one or the other")
            }
            guard count == cols else {
                throw .shape("input_scaling_count is \(count), expected cols = \(cols) (one scale and offset per feature)")
            }
            let scales = try Arguments.buffer(options.input_scales, count: count, "input_scales (with input_scaling_count \(count))")
            let offsets = try Arguments.buffer(options.input_offsets, count: count, "input_offsets (with input_scaling_count \(count))")
            if let bad = scales.firstIndex(where: { !$0.isFinite || $0 == 0 }) {
                throw .invalidArgument("input_scales[\(bad)] is \(scales[bad]), not a finite non-zero number")
            }
            if let bad = offsets.firstIndex(where: { !$0.isFinite }) {
                throw .invalidArgument("input_offsets[\(bad)] is \(offsets[bad]), not a finite number")
            }
            return .given(InputScaling(scales: Array(scales), offsets: Array(offsets)))
        }
        if options.standardize == 1 { return .standardize }
        guard options.input_scale.isFinite, options.input_scale != 0, options.input_offset.isFinite else {
            throw .invalidArgument(
                "input_scale \(options.input_scale) must be finite and non-zero, input_offset \(options.input_offset) finite")
        }
        return .given(InputScaling(scale: options.input_scale, offset: options.input_offset))
    }

    /// The scaling for `raw` (`rows × cols`, every value already checked finite).
    func scaling(_ raw: UnsafeBufferPointer<Float>, rows: Int, cols: Int) throws(CAPIError) -> InputScaling {
        switch self {
        case .given(let scaling): return scaling
        case .standardize:
            let statistics = try TrainingScaling.statistics(raw, rows: rows, cols: cols)
            return InputScaling.standardized(means: statistics.means, standardDeviations: statistics.standardDeviations)
        }
    }

    /// Each column's mean and population standard deviation (divided by `rows`), in `Double`:
    /// ``FeatureSource/columnStatistics()`` of the raw values, as `TabularData` standardizes.
    static func statistics(
        _ raw: UnsafeBufferPointer<Float>, rows: Int, cols: Int
    ) throws(CAPIError) -> (means: [Double], standardDeviations: [Double]) {
        try Allocation.check(Allocation.bytes(Double.self, count: cols, 2), for: "standardizing \(cols) features")
        return ScaledInputs(base: raw.baseAddress!, sampleCount: rows, featureCount: cols, scaling: .none).columnStatistics()
    }

    /// The features of `raw` (`rows × cols`) under `scaling`, as the matrix training reads.
    static func features(_ raw: UnsafeBufferPointer<Float>, rows: Int, cols: Int, scaling: InputScaling) -> Matrix {
        ScaledInputs(base: raw.baseAddress!, sampleCount: rows, featureCount: cols, scaling: scaling).featureMatrix()
    }
}
