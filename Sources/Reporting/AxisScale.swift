/// The scale of one chart axis: linear with nice ticks, or logarithmic.
enum AxisScale {
    case linear(NiceScale)
    case logarithmic(LogarithmicScale)

    var lowerBound: Double {
        switch self {
        case .linear(let scale): return scale.lowerBound
        case .logarithmic(let scale): return scale.lowerBound
        }
    }

    var upperBound: Double {
        switch self {
        case .linear(let scale): return scale.upperBound
        case .logarithmic(let scale): return scale.upperBound
        }
    }

    /// The labelled ticks.
    var ticks: [Double] {
        switch self {
        case .linear(let scale): return scale.ticks
        case .logarithmic(let scale): return scale.ticks
        }
    }

    /// The unlabelled ticks (for light gridlines).
    var minorTicks: [Double] {
        switch self {
        case .linear: return []
        case .logarithmic(let scale): return scale.minorTicks
        }
    }

    /// Where `value` lies: 0 at the lower bound, 1 at the upper bound.
    func fraction(of value: Double) -> Double {
        switch self {
        case .linear(let scale): return scale.fraction(of: value)
        case .logarithmic(let scale): return scale.fraction(of: value)
        }
    }

    /// The label for tick `value`.
    func label(for value: Double) -> String {
        switch self {
        case .linear(let scale): return scale.label(for: value)
        case .logarithmic(let scale): return scale.label(for: value)
        }
    }

    /// Whether `value` can be placed on this axis (finite, and positive for a logarithmic one).
    func accepts(_ value: Double) -> Bool {
        switch self {
        case .linear: return value.isFinite
        case .logarithmic: return value.isFinite && value > 0
        }
    }
}
