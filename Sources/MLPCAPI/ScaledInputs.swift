import MLPCore

/// A caller's raw inputs (`sampleCount × featureCount` floats, row-major) seen as features through
/// a model's ``InputScaling``, without a scaled copy: each batch the network reads is scaled as
/// it is copied, `feature[j] = raw[j] × scale[j] + offset[j]` (one scale and offset for every
/// column, or one per column).
///
/// Valid only during the C call that passed the pointer; the caller's buffer is only read.
struct ScaledInputs: FeatureSource, @unchecked Sendable {
    let base: UnsafePointer<Float>
    let sampleCount: Int
    let featureCount: Int
    let scaling: InputScaling

    /// Rows `rows` of these inputs.
    func rows(_ rows: Range<Int>) -> ScaledInputs {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= sampleCount,
                     "rows \(rows) are outside \(sampleCount) samples")
        return ScaledInputs(base: base + rows.lowerBound &* featureCount, sampleCount: rows.count,
                            featureCount: featureCount, scaling: scaling)
    }

    func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>) {
        for (position, index) in indices.enumerated() {
            precondition(index >= 0 && index < sampleCount, "sample index \(index) is outside \(sampleCount) samples")
            let target = destination + position &* featureCount
            target.update(from: base + index &* featureCount, count: featureCount)
            scaling.apply(to: target, count: featureCount)
        }
    }
}
