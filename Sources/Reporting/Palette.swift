/// Colour palettes for charts.
public enum Palette {
    /// Sixteen qualitative colours, distinguishable from each other and legible as thin lines on
    /// white: matplotlib's `tab10` (which readers of the original course plots know), followed by
    /// six darker or more saturated hues chosen to stay apart from those ten.
    ///
    /// Give the train and validation curves of one model the same colour and different
    /// ``LineStyle``s, and twelve models stay apart.
    public static let qualitative: [Color] = [
        Color(hex: 0x1f77b4),  // blue
        Color(hex: 0xff7f0e),  // orange
        Color(hex: 0x2ca02c),  // green
        Color(hex: 0xd62728),  // red
        Color(hex: 0x9467bd),  // purple
        Color(hex: 0x8c564b),  // brown
        Color(hex: 0xe377c2),  // pink
        Color(hex: 0x7f7f7f),  // grey
        Color(hex: 0xbcbd22),  // olive
        Color(hex: 0x17becf),  // cyan
        Color(hex: 0x1a237e),  // indigo
        Color(hex: 0x004d40),  // dark teal
        Color(hex: 0xf9a825),  // amber
        Color(hex: 0x880e4f),  // plum
        Color(hex: 0x212121),  // near-black
        Color(hex: 0x64dd17),  // lime
    ]

    /// The qualitative colour for index `index`, cycling through ``qualitative``.
    public static func color(at index: Int) -> Color {
        let count = qualitative.count
        return qualitative[((index % count) + count) % count]
    }

    /// ColorBrewer's nine-class sequential "Blues", from near-white to dark blue: the scale of
    /// scikit-learn's confusion-matrix plots.
    public static let blues: [Color] = [
        Color(hex: 0xf7fbff), Color(hex: 0xdeebf7), Color(hex: 0xc6dbef),
        Color(hex: 0x9ecae1), Color(hex: 0x6baed6), Color(hex: 0x4292c6),
        Color(hex: 0x2171b5), Color(hex: 0x08519c), Color(hex: 0x08306b),
    ]

    /// The colour at `fraction` (clamped to [0, 1]) along the piecewise-linear ramp through
    /// `stops`, which must not be empty.
    public static func sample(_ stops: [Color], at fraction: Double) -> Color {
        precondition(!stops.isEmpty, "a colour ramp needs at least one stop")
        guard stops.count > 1 else { return stops[0] }
        let clamped = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let position = clamped * Double(stops.count - 1)
        let lower = min(Int(position), stops.count - 2)
        return stops[lower].interpolated(to: stops[lower + 1], fraction: position - Double(lower))
    }
}
