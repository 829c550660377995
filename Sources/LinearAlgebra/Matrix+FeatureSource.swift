import MLPCore

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
