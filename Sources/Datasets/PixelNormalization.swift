/// How a `UInt8` pixel becomes a `Float` feature: `feature = Float(pixel) × scale + offset`.
///
/// A model records it so that it sees its inputs, at prediction time, as it saw them in training.
public struct PixelNormalization: Sendable, Equatable, Hashable, Codable {
    /// The factor applied to the raw pixel.
    public var scale: Float
    /// The value added after scaling.
    public var offset: Float

    /// `feature = Float(pixel) × scale + offset`.
    public init(scale: Float, offset: Float = 0) {
        self.scale = scale
        self.offset = offset
    }

    /// `pixel / 255`: features in [0, 1]. The default.
    public static let unitInterval = PixelNormalization(scale: 1 / 255)

    /// The raw values 0…255 as floats.
    public static let identity = PixelNormalization(scale: 1)

    /// `(pixel − mean) / standardDeviation`, from statistics of the raw 0–255 values (usually the
    /// training set's ``PixelStatistics/mean`` and ``PixelStatistics/standardDeviation``):
    /// `scale = 1 / standardDeviation`, `offset = −mean / standardDeviation`.
    public static func standardized(mean: Double, standardDeviation: Double) -> PixelNormalization {
        precondition(standardDeviation > 0, "a standard deviation of \(standardDeviation) cannot standardize pixels")
        return PixelNormalization(scale: Float(1 / standardDeviation), offset: Float(-mean / standardDeviation))
    }

    /// The feature value of one raw pixel.
    @inlinable
    public func feature(_ pixel: UInt8) -> Float { Float(pixel) * scale + offset }
}
