import LinearAlgebra

/// A small training set that depends only on its shape, so that the checkpoint harness can make
/// again the very data a seed checkpoint was trained on and resume that run: a checkpoint refuses
/// other data (by the SHA-256 of its fingerprint).
///
/// Feature `j` of sample `i` is `((7i + 3j) mod 5) / 4`; sample `i`'s label is `i mod 2`, and its
/// regression target `k` is `((i + k) mod 3) / 2`.
public struct SyntheticTrainingData: Sendable {
    /// `sampleCount × featureCount` features.
    public let features: Matrix
    /// One label per sample, 0 and 1 in turn.
    public let labels: [Int]

    public init(sampleCount: Int, featureCount: Int) {
        precondition(sampleCount > 0 && featureCount > 0, "synthetic data of shape \(sampleCount)×\(featureCount)")
        features = Matrix(rows: sampleCount, columns: featureCount) { sample, feature in
            Float((7 &* sample &+ 3 &* feature) % 5) / 4
        }
        labels = (0..<sampleCount).map { $0 % 2 }
    }

    /// Regression targets, `sampleCount × outputCount`.
    public func targets(outputCount: Int) -> Matrix {
        Matrix(rows: features.rows, columns: outputCount) { sample, output in Float((sample &+ output) % 3) / 2 }
    }
}
