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

extension FeatureSource {
    /// The features of the samples at `indices` as an `indices.count × featureCount` matrix.
    /// Meant for small sets: MNIST's whole training set would take 188 MB.
    public func featureMatrix(of indices: [Int]) -> Matrix {
        var matrix = Matrix(rows: indices.count, columns: featureCount)
        indices.withUnsafeBufferPointer { indexBuffer in
            matrix.withUnsafeMutableBufferPointer { destination in
                guard let base = destination.baseAddress else { return }
                copyFeatures(of: indexBuffer, into: base)
            }
        }
        return matrix
    }

    /// The features of every sample as a `sampleCount × featureCount` matrix (for small sets).
    public func featureMatrix() -> Matrix {
        featureMatrix(of: Array(0..<sampleCount))
    }
}
