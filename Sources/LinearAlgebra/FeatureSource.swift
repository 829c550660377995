/// Samples whose features can be copied, one batch at a time, into a `Float` buffer.
///
/// Training reads its data through this protocol, so a dataset can keep its pixels as `UInt8`
/// and convert only the rows of the current batch, straight into a reused buffer.
public protocol FeatureSource: Sendable {
    /// The number of samples.
    var sampleCount: Int { get }
    /// The number of features per sample.
    var featureCount: Int { get }
    /// Writes the features of the samples at `indices`, in that order, as consecutive rows of
    /// `destination`, which holds `indices.count × featureCount` floats.
    func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>)
}

/// A feature source that stores each feature as a byte: `feature = Float(byte) · featureScale +
/// featureOffset` (images, for example).
///
/// Training can then read a batch's bytes directly: with `featureOffset == 0` a zero byte is a
/// zero feature, so the non-zero inputs of a batch are found from a quarter of the memory.
public protocol ByteFeatureSource: FeatureSource {
    /// The factor from a byte to its feature.
    var featureScale: Float { get }
    /// The feature of a zero byte.
    var featureOffset: Float { get }
    /// Calls `body` with the bytes of every sample, `sampleCount × featureCount`, sample after sample.
    func withFeatureBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result
}

extension Matrix: FeatureSource {
    /// The rows are the samples.
    public var sampleCount: Int { rows }
    /// The columns are the features.
    public var featureCount: Int { columns }

    public func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>) {
        let columns = self.columns
        elements.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for (position, index) in indices.enumerated() {
                precondition(index >= 0 && index < rows, "sample index \(index) is outside a \(shapeDescription) matrix")
                (destination + position &* columns).update(from: base + index &* columns, count: columns)
            }
        }
    }
}
