import MLPCore

/// Summary statistics of a set of pixels, computed exactly in `Double` from a histogram of the
/// 256 byte values.
///
/// The standard deviation is the population one, `sqrt(Σ (x − mean)² / n)`, as NumPy's `std`.
public struct PixelStatistics: Sendable, Equatable, Codable {
    /// The number of pixels summarised.
    public var pixelCount: Int
    /// The mean raw value, in 0…255.
    public var mean: Double
    /// The standard deviation of the raw values.
    public var standardDeviation: Double
    /// The smallest raw value (0 when there are no pixels).
    public var minimum: UInt8
    /// The largest raw value (0 when there are no pixels).
    public var maximum: UInt8
    /// The normalization that ``normalizedMean`` and ``normalizedStandardDeviation`` refer to.
    public var normalization: InputScaling

    /// The mean feature value, `mean × scale + offset`.
    public var normalizedMean: Double {
        mean * Double(normalization.scale) + Double(normalization.offset)
    }

    /// The standard deviation of the feature values, `standardDeviation × |scale|`.
    public var normalizedStandardDeviation: Double {
        standardDeviation * Double(normalization.scale.magnitude)
    }

    /// The statistics of pixels whose value `v` occurs `histogram[v]` times (256 counts).
    public init(histogram: [Int], normalization: InputScaling = .unitInterval) {
        precondition(histogram.count == 256, "a pixel histogram has 256 counts, not \(histogram.count)")
        var count = 0
        var sum = 0.0
        for value in 0..<256 {
            count &+= histogram[value]
            sum += Double(value) * Double(histogram[value])
        }
        let mean = count > 0 ? sum / Double(count) : 0
        var squares = 0.0
        for value in 0..<256 {
            let deviation = Double(value) - mean
            squares += deviation * deviation * Double(histogram[value])
        }
        pixelCount = count
        self.mean = mean
        standardDeviation = count > 0 ? (squares / Double(count)).squareRoot() : 0
        minimum = UInt8(histogram.firstIndex { $0 > 0 } ?? 0)
        maximum = UInt8(histogram.lastIndex { $0 > 0 } ?? 0)
        self.normalization = normalization
    }
}
