import Foundation

/// A linear axis with "nice" tick values: 1, 2 or 5 times a power of ten.
///
/// This is the loose labelling of Paul Heckbert's "Nice Numbers for Graph Labels" (Graphics
/// Gems, 1990), with the step taken straight from the data's range (Heckbert first rounds the
/// range up to a nice number, which often halves the number of ticks):
///
///     step  = niceNumber((upper − lower) / (targetTickCount − 1), rounding: true)
///     ticks = floor(lower / step)·step, …, ceil(upper / step)·step
///
/// The axis spans from the first tick to the last, so the data always lies inside it and both
/// ends carry a label. Ticks are computed as integer multiples of the step divided by an exact
/// power of ten, so they print as `0.3`, never `0.30000000000000004`.
public struct NiceScale: Sendable, Equatable {
    /// The first tick, where the axis starts.
    public let lowerBound: Double
    /// The last tick, where the axis ends.
    public let upperBound: Double
    /// The distance between ticks.
    public let step: Double
    /// The tick values, from ``lowerBound`` to ``upperBound`` in steps of ``step``.
    public let ticks: [Double]
    /// The number of decimals that tick labels need: `max(0, −floor(log₁₀ step))`.
    public let fractionDigits: Int

    /// A scale covering `lower...upper` with about `targetTickCount` ticks (at least 2).
    ///
    /// With `integerSteps`, the step is at least 1 (for epochs or counts, which have no
    /// fractional ticks). Bounds in the wrong order are swapped. Non-finite bounds give `0...1`. Equal bounds are
    /// widened by 10 % of their magnitude (or by 1 around zero), so a constant series still gets
    /// an axis.
    public init(lower: Double, upper: Double, targetTickCount: Int = 6, integerSteps: Bool = false) {
        var low = lower
        var high = upper
        if !low.isFinite || !high.isFinite {
            low = 0
            high = 1
        }
        if low > high { swap(&low, &high) }
        if high - low <= Swift.max(abs(low), abs(high)) * 1e-12 {
            let half = low == 0 ? 1 : abs(low) * 0.1
            low -= half
            high += half
        }
        let tickCount = Swift.max(targetTickCount, 2)
        var (mantissa, exponent) = Self.niceParts((high - low) / Double(tickCount - 1), rounding: true)
        if integerSteps && exponent < 0 {
            (mantissa, exponent) = (1, 0)
        }
        let step = Self.value(multiple: mantissa, exponent: exponent)
        let first = Int((low / step).rounded(.down))
        let last = Int((high / step).rounded(.up))
        var ticks = [Double]()
        ticks.reserveCapacity(last - first + 1)
        for index in first...last {
            ticks.append(Self.value(multiple: index * mantissa, exponent: exponent))
        }
        self.step = step
        self.ticks = ticks
        self.lowerBound = ticks[0]
        self.upperBound = ticks[ticks.count - 1]
        self.fractionDigits = Swift.max(0, -exponent)
    }

    /// The nice number near `value` (which must be positive): 1, 2, 5 or 10 times a power of ten.
    ///
    /// With `rounding`, the nearest one (fraction `f` < 1.5 → 1, < 3 → 2, < 7 → 5, else 10);
    /// without, the smallest one not below `value` (f ≤ 1 → 1, ≤ 2 → 2, ≤ 5 → 5, else 10).
    public static func niceNumber(_ value: Double, rounding: Bool) -> Double {
        let (mantissa, exponent) = niceParts(value, rounding: rounding)
        return Self.value(multiple: mantissa, exponent: exponent)
    }

    /// Where `value` lies along the axis: 0 at ``lowerBound``, 1 at ``upperBound``.
    public func fraction(of value: Double) -> Double {
        (value - lowerBound) / (upperBound - lowerBound)
    }

    /// The label of tick `value`: ``fractionDigits`` decimals, or scientific notation such as
    /// `2.5e-6` when the values are very large or very small.
    public func label(for value: Double) -> String {
        let magnitude = Swift.max(abs(lowerBound), abs(upperBound))
        if magnitude >= 1e7 || fractionDigits > 6 {
            return Self.scientific(value, step: step)
        }
        return NumberFormat.fixed(value, decimals: fractionDigits)
    }

    /// `value` in scientific notation with as many significant digits as `step` needs.
    static func scientific(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let exponent = Int(log10(abs(value)).rounded(.down))
        let stepExponent = Int(log10(step).rounded(.down))
        let digits = Swift.max(0, exponent - stepExponent)
        let mantissa = value / pow(10, Double(exponent))
        return NumberFormat.fixed(mantissa, decimals: Swift.min(digits, 6)) + "e\(exponent)"
    }

    /// The nice number near `value` as a mantissa in {1, 2, 5, 10} and a power of ten.
    static func niceParts(_ value: Double, rounding: Bool) -> (mantissa: Int, exponent: Int) {
        guard value.isFinite, value > 0 else { return (1, 0) }
        var exponent = Int(log10(value).rounded(.down))
        // A little slack against rounding noise: with `rounding`, 0.18 / 6 = 0.029999999999999995
        // counts as 3 (not "below 3"); without, 2.0000000000000004 counts as 2 (not "above 2").
        let fraction = value / pow(10, Double(exponent)) * (rounding ? 1 + 1e-9 : 1 - 1e-9)
        var mantissa: Int
        if rounding {
            mantissa = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        if mantissa == 10 {
            mantissa = 1
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// `multiple × 10^exponent`, dividing by an exact power of ten for negative exponents so that
    /// `3 × 10⁻¹` is the double nearest 0.3.
    static func value(multiple: Int, exponent: Int) -> Double {
        if exponent >= 0 {
            return Double(multiple) * pow(10, Double(exponent))
        }
        return Double(multiple) / pow(10, Double(-exponent))
    }
}
