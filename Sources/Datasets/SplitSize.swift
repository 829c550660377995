/// The size of a part of a split: a number of samples, or a fraction of those available.
public enum SplitSize: Sendable, Equatable, Hashable, Codable {
    /// Exactly this many samples.
    case count(Int)
    /// This fraction of the samples, `round(fraction × available)` (half away from zero).
    case fraction(Double)

    /// The number of samples out of `available`.
    /// - Throws: ``DatasetError/invalidSplit(reason:)`` for a negative count or a fraction outside [0, 1].
    public func resolved(against available: Int, part: String) throws(DatasetError) -> Int {
        switch self {
        case .count(let count):
            guard count >= 0 else { throw .invalidSplit(reason: "the \(part) count \(count) is negative") }
            return count
        case .fraction(let fraction):
            guard fraction.isFinite && fraction >= 0 && fraction <= 1 else {
                throw .invalidSplit(reason: "the \(part) fraction \(fraction) is outside 0…1")
            }
            return Int((fraction * Double(available)).rounded())
        }
    }
}
