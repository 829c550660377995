/// How a line is stroked. Give a model's train and validation curves one colour and two styles
/// (say `.solid` for train and `.dashed` for validation).
public enum LineStyle: String, Sendable, CaseIterable {
    /// A continuous line.
    case solid
    /// Dashes of 7 units with gaps of 4.
    case dashed
    /// Round dots.
    case dotted
    /// Alternating dashes and dots.
    case dashDot

    /// The SVG `stroke-dasharray` for this style, or `nil` for a solid line.
    var dashArray: String? {
        switch self {
        case .solid: return nil
        case .dashed: return "7 4"
        case .dotted: return "0.5 4"
        case .dashDot: return "8 3 0.5 3"
        }
    }

    /// Whether the style needs round line caps (dots are zero-length dashes with round caps).
    var needsRoundCaps: Bool { self == .dotted || self == .dashDot }
}
