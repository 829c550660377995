import Foundation

/// A base-10 logarithmic axis for positive values.
///
/// The axis spans the data's decades, `log₁₀ lower … log₁₀ upper`, padded by 5 % of that span on
/// each side. Major ticks are the powers of ten inside it (every second or fifth power when there
/// are many); when fewer than three powers fall inside, the 2× and 5× multiples are added, and
/// when there are still fewer than two ticks, all the 1–9× multiples. Minor ticks (for light gridlines) are the 2–9× multiples.
public struct LogarithmicScale: Sendable, Equatable {
    /// The smallest value on the axis.
    public let lowerBound: Double
    /// The largest value on the axis.
    public let upperBound: Double
    /// The labelled tick values, ascending.
    public let ticks: [Double]
    /// Unlabelled tick values between the labelled ones, ascending.
    public let minorTicks: [Double]

    /// A scale covering `lower...upper`; both are clamped to positive values (a non-positive or
    /// non-finite range gives `1...10`).
    public init(lower: Double, upper: Double) {
        var low = lower
        var high = upper
        if !(low > 0) || !low.isFinite || !(high > 0) || !high.isFinite {
            low = 1
            high = 10
        }
        if low > high { swap(&low, &high) }
        var lowLog = log10(low)
        var highLog = log10(high)
        if highLog - lowLog < 1e-9 {
            lowLog -= 0.5
            highLog += 0.5
        }
        let padding = (highLog - lowLog) * 0.05
        lowLog -= padding
        highLog += padding
        lowerBound = pow(10, lowLog)
        upperBound = pow(10, highLog)

        let firstDecade = Int(lowLog.rounded(.down))
        let lastDecade = Int(highLog.rounded(.up))
        let decadeCount = lastDecade - firstDecade
        let decadeStride = decadeCount > 24 ? 5 : decadeCount > 10 ? 2 : 1
        let inside = { (value: Double) -> Bool in
            let logarithm = log10(value)
            return logarithm >= lowLog - 1e-9 && logarithm <= highLog + 1e-9
        }
        func multiples(_ factors: [Int]) -> [Double] {
            var values = [Double]()
            for decade in firstDecade...lastDecade {
                let power = NiceScale.value(multiple: 1, exponent: decade)
                for factor in factors {
                    let value = NiceScale.value(multiple: factor, exponent: decade)
                    if factor == 1, decadeStride > 1, decade % decadeStride != 0 { continue }
                    if inside(value) { values.append(factor == 1 ? power : value) }
                }
            }
            return values
        }
        var major = multiples([1])
        if major.count < 3 { major = multiples([1, 2, 5]) }
        if major.count < 2 { major = multiples(Array(1...9)) }
        ticks = major
        let majorSet = Set(major)
        minorTicks = decadeCount > 10 ? [] : multiples(Array(1...9)).filter { !majorSet.contains($0) }
    }

    /// Where `value` lies along the axis: 0 at ``lowerBound``, 1 at ``upperBound``
    /// (`(log v − log lower) / (log upper − log lower)`).
    public func fraction(of value: Double) -> Double {
        (log10(value) - log10(lowerBound)) / (log10(upperBound) - log10(lowerBound))
    }

    /// The label of tick `value`: plain decimals between 0.001 and 100 000 (`0.01`, `20`),
    /// otherwise a power of ten with superscript exponent (`10⁻⁵`, `2×10⁻⁵`).
    public func label(for value: Double) -> String {
        guard value > 0, value.isFinite else { return "" }
        let exponent = Int((log10(value) + 1e-9).rounded(.down))
        let mantissa = (value / pow(10, Double(exponent))).rounded()
        if exponent >= -3 && exponent <= 5 {
            return NumberFormat.fixed(value, decimals: Swift.max(0, -exponent))
        }
        let power = "10" + Self.superscript(exponent)
        return mantissa == 1 ? power : "\(Int(mantissa))×" + power
    }

    /// `value` written with Unicode superscript digits and minus sign.
    static func superscript(_ value: Int) -> String {
        let digits: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
            "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        return String(String(value).map { digits[$0] ?? $0 })
    }
}
