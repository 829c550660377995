import Foundation

/// Number formatting for tables, labels and reports. Every function is deterministic and
/// locale-independent (a point as decimal separator), and writes non-finite values as `NaN`,
/// `∞` and `−∞` rather than crashing.
public enum NumberFormat {
    /// `value` with exactly `decimals` decimals: `fixed(0.98765, decimals: 3)` is `"0.988"`.
    /// Rounds the exact binary value to nearest (as `printf` does); never prints `-0`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if let special = nonFinite(value) { return special }
        let places = min(max(decimals, 0), 17)
        var text = String(format: "%.\(places)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }

    /// `fraction` as a percentage: `percent(0.9734, decimals: 1)` is `"97.3%"`.
    public static func percent(_ fraction: Double, decimals: Int = 2) -> String {
        if let special = nonFinite(fraction) { return special }
        return fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// A mean and its standard deviation: `meanAndDeviation(0.9731, 0.0042, decimals: 3)` is
    /// `"0.973 ± 0.004"`.
    public static func meanAndDeviation(_ mean: Double, _ deviation: Double, decimals: Int = 3) -> String {
        fixed(mean, decimals: decimals) + " ± " + fixed(deviation, decimals: decimals)
    }

    /// A mean and standard deviation of fractions as percentages:
    /// `percentMeanAndDeviation(0.9731, 0.0042)` is `"97.31 ± 0.42%"`.
    public static func percentMeanAndDeviation(_ mean: Double, _ deviation: Double, decimals: Int = 2) -> String {
        fixed(mean * 100, decimals: decimals) + " ± " + fixed(deviation * 100, decimals: decimals) + "%"
    }

    /// A duration for people: `"0.42 s"`, `"12.3 s"`, `"2 min 05 s"`, `"1 h 02 min"`.
    ///
    /// Under 10 s two decimals, under a minute one, then whole minutes and seconds, and from an
    /// hour on hours and minutes. Negative durations print as `0.00 s`.
    public static func duration(seconds: Double) -> String {
        if let special = nonFinite(seconds) { return special }
        let clamped = max(seconds, 0)
        if clamped < 9.995 { return fixed(clamped, decimals: 2) + " s" }
        if clamped < 59.95 { return fixed(clamped, decimals: 1) + " s" }
        let totalSeconds = Int(clamped.rounded())
        if totalSeconds < 3600 {
            return "\(totalSeconds / 60) min " + twoDigits(totalSeconds % 60) + " s"
        }
        let totalMinutes = Int((clamped / 60).rounded())
        return "\(totalMinutes / 60) h " + twoDigits(totalMinutes % 60) + " min"
    }

    /// An integer with its digits in groups of three separated by commas: `"60,000"`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// `value` with `significantDigits` significant digits and no trailing zeros:
    /// `significant(0.012345, digits: 3)` is `"0.0123"`, `significant(1234.6, digits: 3)` is
    /// `"1235"` (integers are never rounded away). Very large or small values use an exponent.
    public static func significant(_ value: Double, digits significantDigits: Int = 3) -> String {
        if let special = nonFinite(value) { return special }
        if value == 0 { return "0" }
        let digits = max(significantDigits, 1)
        let exponent = Int(log10(abs(value)).rounded(.down))
        if exponent < -4 || exponent >= 15 {
            return String(format: "%.\(digits - 1)e", value)
        }
        let decimals = max(0, digits - 1 - exponent)
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// The text for a non-finite value, or `nil` for a finite one.
    static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        return nil
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
