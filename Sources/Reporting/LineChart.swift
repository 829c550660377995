/// An SVG line chart of named series of (x, y) points, such as train and validation loss
/// against epoch for several models.
///
/// The chart has a title, axis labels, gridlines at "nice" tick values (``NiceScale``), an
/// optional logarithmic y axis (``LogarithmicScale``) and a legend to the right of the plot, so it
/// never covers the data. Series without a colour take one from ``Palette/qualitative`` by their
/// position. Points whose x or y is NaN or infinite (or, on a logarithmic axis, not positive) are
/// skipped and break the line; a point with no neighbours is drawn as a dot. A chart without any
/// drawable point shows empty axes and "No data".
///
///     let chart = LineChart(
///         title: "Training loss", xLabel: "Epoch", yLabel: "Cross-entropy",
///         series: [
///             .init(name: "relu train", values: trainLoss, color: Palette.color(at: 0), group: "relu"),
///             .init(name: "relu validation", values: validationLoss, color: Palette.color(at: 0),
///                   style: .dashed, group: "relu"),
///         ],
///         yScale: .logarithmic, styleLabels: [(.solid, "train"), (.dashed, "validation")])
///     let svg = chart.svg()
public struct LineChart: Sendable, MultiSeriesChart {
    /// One named line.
    public struct Series: ChartSeries {
        /// The name shown in the legend.
        public var name: String
        /// The points, drawn in this order.
        public var points: [(x: Double, y: Double)]
        /// The line colour; `nil` takes ``Palette/color(at:)`` of the series' index.
        public var color: Color?
        /// How the line is stroked.
        public var style: LineStyle
        /// Whether every point also gets a dot.
        public var showsMarkers: Bool
        /// The legend entry this series shares with others of the same colour (say, the model
        /// name for its train and validation curves), used when the chart has ``LineChart/styleLabels``.
        public var group: String?

        /// A series through `points`.
        public init(
            name: String, points: [(x: Double, y: Double)], color: Color? = nil,
            style: LineStyle = .solid, showsMarkers: Bool = false, group: String? = nil
        ) {
            self.name = name
            self.group = group
            self.points = points
            self.color = color
            self.style = style
            self.showsMarkers = showsMarkers
        }

        /// A series through `(firstX, values[0]), (firstX + 1, values[1]), …`: one value per epoch,
        /// counting epochs from 1 by default.
        public init(
            name: String, values: [Double], firstX: Double = 1, color: Color? = nil,
            style: LineStyle = .solid, showsMarkers: Bool = false, group: String? = nil
        ) {
            let points = values.enumerated().map { (x: firstX + Double($0.offset), y: $0.element) }
            self.init(name: name, points: points, color: color, style: style, showsMarkers: showsMarkers, group: group)
        }

        /// A series through `(x[i], y[i])`; extra elements of the longer array are ignored.
        public init(
            name: String, x: [Double], y: [Double], color: Color? = nil,
            style: LineStyle = .solid, showsMarkers: Bool = false, group: String? = nil
        ) {
            let points = zip(x, y).map { (x: $0, y: $1) }
            self.init(name: name, points: points, color: color, style: style, showsMarkers: showsMarkers, group: group)
        }
    }

    /// The kind of y axis.
    public enum YScale: String, Sendable {
        /// Evenly spaced values.
        case linear
        /// Evenly spaced powers of ten; values that are not positive are skipped.
        case logarithmic
    }

    /// The title above the plot; empty for none.
    public var title: String
    /// The label under the x axis; empty for none.
    public var xLabel: String
    /// The label beside the y axis; empty for none.
    public var yLabel: String
    /// The lines, drawn in order (later ones on top).
    public var series: [Series]
    /// The kind of y axis.
    public var yScale: YScale
    /// The width of the whole figure, legend included, in pixels.
    public var width: Double
    /// The height of the whole figure in pixels.
    public var height: Double
    /// A fixed x range instead of the data's extent (lines outside it are clipped).
    public var xRange: ClosedRange<Double>?
    /// A fixed y range instead of the data's extent (lines outside it are clipped).
    public var yRange: ClosedRange<Double>?
    /// What each line style means, such as `[(.solid, "train"), (.dashed, "validation")]`.
    ///
    /// When empty, the legend has one entry per series. When set, the legend is compact: one
    /// entry per colour group (``Series/group``, or the name of a series without a group), then
    /// one grey sample per style with its meaning. Twelve models with train and validation curves
    /// then need 14 legend entries instead of 24.
    public var styleLabels: [(style: LineStyle, label: String)]

    /// A chart of `series`.
    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [Series],
        yScale: YScale = .linear, width: Double = 900, height: Double = 500,
        xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
        styleLabels: [(style: LineStyle, label: String)] = []
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yScale = yScale
        self.width = width
        self.height = height
        self.xRange = xRange
        self.yRange = yRange
        self.styleLabels = styleLabels
    }

}
