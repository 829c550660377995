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
    /// `destination`, which holds `indices.count × featureCount` floats. Training calls it from
    /// several threads at once (each with its own rows of the batch), so it must not mutate shared
    /// state.
    func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>)
    /// When every feature is a byte times a scale, `feature = Float(byte) · scale` (so a zero byte
    /// is a zero feature, as in images), calls `body` with the bytes of every sample
    /// (`sampleCount × featureCount`, sample after sample) and the scale, and returns its result.
    /// Otherwise returns `nil` without calling `body` (the default).
    ///
    /// Training then finds a batch's non-zero inputs from the bytes, without a `Float` copy.
    func withScaledFeatureBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>, Float) throws -> Result) rethrows -> Result?
}

extension FeatureSource {
    /// No byte view: features are not stored as scaled bytes.
    public func withScaledFeatureBytes<Result>(
        _ body: (UnsafeBufferPointer<UInt8>, Float) throws -> Result
    ) rethrows -> Result? {
        nil
    }
}

extension FeatureSource {
    /// Each feature's mean and population standard deviation over the samples, as
    /// ``copyFeatures(of:into:)`` gives them: two passes in sample order, accumulated in `Double`
    /// (scikit-learn's `StandardScaler` statistics, for ``InputScaling/standardized(means:standardDeviations:)``).
    public func columnStatistics() -> (means: [Double], standardDeviations: [Double]) {
        let width = featureCount
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        var row = [Float](repeating: 0, count: width)
        func forEachRow(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
            row.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for sample in 0..<sampleCount {
                    var index = sample
                    withUnsafePointer(to: &index) { copyFeatures(of: UnsafeBufferPointer(start: $0, count: 1), into: base) }
                    body(buffer)
                }
            }
        }
        forEachRow { buffer in for column in 0..<width { sums[column] += Double(buffer[column]) } }
        let count = Double(Swift.max(sampleCount, 1))
        let means = sums.map { $0 / count }
        forEachRow { buffer in
            for column in 0..<width {
                let difference = Double(buffer[column]) - means[column]
                squares[column] += difference * difference
            }
        }
        return (means, squares.map { ($0 / count).squareRoot() })
    }
}
