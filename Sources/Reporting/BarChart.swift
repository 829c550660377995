/// An SVG bar chart: one group of bars per category, one bar per series in each group, such as
/// train and test accuracy for each model.
///
/// Bars grow from zero (or from the bottom of ``valueRange`` when zero is outside it). Values are
/// written above the bars (rotated when a bar is too narrow for them); NaN and infinite values
/// leave a gap. Category labels are rotated when they are too long for their group. A legend on
/// the right names the series when there is more than one.
///
///     let svg = BarChart(
///         title: "Accuracy by model", categories: ["relu", "sigmoid"],
///         series: [.init(name: "Train", values: [0.99, 0.97]), .init(name: "Test", values: [0.97, 0.95])],
///         valueFormat: .percent(decimals: 1)
///     ).svg()
public struct BarChart: Sendable, MultiSeriesChart {
    /// One bar per category.
    public struct Series: ChartSeries {
        /// The name shown in the legend.
        public var name: String
        /// The value for each category, in the order of ``BarChart/categories``.
        public var values: [Double]
        /// The bar colour; `nil` takes ``Palette/color(at:)`` of the series' index.
        public var color: Color?

        /// A series of `values`, one per category.
        public init(name: String, values: [Double], color: Color? = nil) {
            self.name = name
            self.values = values
            self.color = color
        }
    }

    /// The title above the plot; empty for none.
    public var title: String
    /// The label of each group of bars.
    public var categories: [String]
    /// The bars of each group.
    public var series: [Series]
    /// The label under the category axis; empty for none.
    public var xLabel: String
    /// The label beside the value axis; empty for none.
    public var yLabel: String
    /// How values are written above the bars and on the value axis.
    public var valueFormat: ValueFormat
    /// Whether each bar shows its value.
    public var showsValues: Bool
    /// A fixed value range instead of zero to the data's extent (bars are clipped to it).
    public var valueRange: ClosedRange<Double>?
    /// The width of the whole figure in pixels.
    public var width: Double
    /// The height of the whole figure in pixels.
    public var height: Double

    /// A bar chart of `series` over `categories`.
    public init(
        title: String, categories: [String], series: [Series], xLabel: String = "", yLabel: String = "",
        valueFormat: ValueFormat = .automatic, showsValues: Bool = true, valueRange: ClosedRange<Double>? = nil,
        width: Double = 900, height: Double = 460
    ) {
        self.title = title
        self.categories = categories
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueFormat = valueFormat
        self.showsValues = showsValues
        self.valueRange = valueRange
        self.width = width
        self.height = height
    }


    /// The value of series `seriesIndex` for category `category`, or `nil` when missing or not finite.
    func value(series seriesIndex: Int, category: Int) -> Double? {
        let values = series[seriesIndex].values
        guard category < values.count, values[category].isFinite else { return nil }
        return values[category]
    }
}
