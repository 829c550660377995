/// A series of a chart that may fix its own colour.
public protocol ChartSeries: Sendable {
    /// The colour; `nil` takes ``Palette/color(at:)`` of the series' index.
    var color: Color? { get }
}

/// A chart of several series, coloured by their own colour or else the palette's in order.
public protocol MultiSeriesChart {
    associatedtype Series: ChartSeries
    /// The series, in legend order.
    var series: [Series] { get }
}

extension MultiSeriesChart {
    /// The colour series `index` is drawn in.
    public func color(ofSeries index: Int) -> Color {
        series[index].color ?? Palette.color(at: index)
    }
}
