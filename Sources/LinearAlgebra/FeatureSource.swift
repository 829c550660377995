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
