/// The font sizes every chart shares, in pixels, so that figures side by side in a report match.
enum ChartTypography {
    /// The chart's title.
    static let titleSize = 17.0
    /// Axis titles.
    static let labelSize = 13.0
    /// Tick labels.
    static let tickSize = 11.5
    /// Legend entries, and the heatmap's row and column labels.
    static let legendSize = 12.5
}
