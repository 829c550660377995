/// How a chart writes the numbers it shows in cells or above bars.
public enum ValueFormat: Sendable, Equatable {
    /// Integers as integers, other values with three significant digits (`12`, `0.973`).
    case automatic
    /// A fixed number of decimals (`0.97`).
    case fixed(decimals: Int)
    /// Fractions as percentages with a fixed number of decimals (`97.3%`).
    case percent(decimals: Int)

    /// `value` in this format; NaN and infinities print as `NaN`, `∞`, `−∞`.
    public func format(_ value: Double) -> String {
        switch self {
        case .automatic:
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
            return NumberFormat.significant(value, digits: 3)
        case .fixed(let decimals):
            return NumberFormat.fixed(value, decimals: decimals)
        case .percent(let decimals):
            return NumberFormat.percent(value, decimals: decimals)
        }
    }
}
