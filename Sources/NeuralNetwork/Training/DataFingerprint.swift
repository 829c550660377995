import Crypto
import MLPCore

/// The identity of a training set: its sample and feature counts and a SHA-256 of every feature
/// value and target, in sample order. Distributed ranks compare theirs before they train, and a
/// checkpoint records it, so that a run never continues on other data than it started on.
public struct DataFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sampleCount: Int
    public var featureCount: Int
    /// The SHA-256, 64 lowercase hexadecimal digits.
    public var sha256: String

    /// The fingerprint of `features` and `targets` (the samples `0..<sampleCount` of both), and
    /// of the sample weights when there are any (without, the hash is that of the data alone, as
    /// before weights existed).
    public init(features: any FeatureSource, targets: TrainingTargets, sampleWeights: [Float]? = nil) {
        sampleCount = features.sampleCount
        featureCount = features.featureCount
        var hasher = SHA256()
        DataFingerprint.hash(features, into: &hasher)
        switch targets {
        case .classes(let labels):
            labels.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        case .values(let values):
            DataFingerprint.hash(values, into: &hasher)
        case .inputs:
            hasher.update(data: Array("inputs".utf8))
        }
        if let sampleWeights {
            hasher.update(data: Array("sample weights".utf8))
            sampleWeights.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        sha256 = DataFingerprint.hexadecimal(hasher.finalize())
    }

    /// The SHA-256 of `values`' bytes, in hexadecimal.
    static func sha256(of values: [Float]) -> String {
        var hasher = SHA256()
        values.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hexadecimal(hasher.finalize())
    }

    private static func hexadecimal(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return digest.map { byte in String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]) }.joined()
    }

    /// `60000 samples × 784 features, SHA-256 1a2b3c4d5e6f…`.
    public var description: String {
        "\(sampleCount) samples × \(featureCount) features, SHA-256 \(sha256.prefix(12))…"
    }

    /// Feeds the features to `hasher`: the bytes and scale of a byte source, else the `Float`
    /// values, 1,024 samples at a time.
    private static func hash(_ source: any FeatureSource, into hasher: inout SHA256) {
        let hashedBytes: Bool? = source.withScaledFeatureBytes { bytes, scale in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { hasher.update(bufferPointer: $0) }
            return true
        }
        guard hashedBytes == nil else { return }
        let chunk = 1_024
        var rows = [Float](repeating: 0, count: chunk * Swift.max(source.featureCount, 1))
        var start = 0
        while start < source.sampleCount {
            let count = Swift.min(chunk, source.sampleCount - start)
            let indices = Array(start..<(start + count))
            rows.withUnsafeMutableBufferPointer { buffer in
                indices.withUnsafeBufferPointer { source.copyFeatures(of: $0, into: buffer.baseAddress!) }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[0..<(count * source.featureCount)])))
            }
            start += count
        }
    }
}
