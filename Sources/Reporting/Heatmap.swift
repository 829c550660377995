/// An SVG heatmap of a rows × columns grid of values with labelled rows and columns, such as a
/// confusion matrix (true classes as rows, predicted classes as columns).
///
/// Each cell is coloured along ``colorStops`` by its value and, optionally, shows the value in a
/// text colour chosen for contrast (WCAG contrast ratio) with the cell. A colour bar with nice
/// ticks on the right gives the scale. The colour scale runs from `min(0, smallest value)` to the
/// largest value, rounded out to nice numbers. NaN cells are drawn light grey and left blank.
///
///     let svg = Heatmap.confusionMatrix(counts, classNames: ["T-shirt/top", "Trouser", …]).svg()
public struct Heatmap: Sendable {
    /// The title above the grid; empty for none.
    public var title: String
    /// The values, one array per row, all of the same length.
    public var values: [[Double]]
    /// The label of each row, written left of the grid.
    public var rowLabels: [String]
    /// The label of each column, written under the grid.
    public var columnLabels: [String]
    /// The title of the row axis (for a confusion matrix, "True label"); empty for none.
    public var rowAxisTitle: String
    /// The title of the column axis (for a confusion matrix, "Predicted label"); empty for none.
    public var columnAxisTitle: String
    /// How the values are written in the cells.
    public var valueFormat: ValueFormat
    /// Whether each cell shows its value.
    public var showsValues: Bool
    /// The colour ramp from the smallest to the largest value.
    public var colorStops: [Color]
    /// The side of one cell in pixels.
    public var cellSize: Double

    /// A heatmap of `values` (rows × columns). Missing labels are left blank.
    public init(
        title: String, values: [[Double]], rowLabels: [String], columnLabels: [String],
        rowAxisTitle: String = "", columnAxisTitle: String = "", valueFormat: ValueFormat = .automatic,
        showsValues: Bool = true, colorStops: [Color] = Palette.blues, cellSize: Double = 46
    ) {
        let columns = values.first?.count ?? 0
        for (index, row) in values.enumerated() {
            precondition(row.count == columns, "heatmap row \(index) has \(row.count) values, expected \(columns)")
        }
        precondition(!colorStops.isEmpty, "a heatmap needs at least one colour stop")
        self.title = title
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowAxisTitle = rowAxisTitle
        self.columnAxisTitle = columnAxisTitle
        self.valueFormat = valueFormat
        self.showsValues = showsValues
        self.colorStops = colorStops
        self.cellSize = cellSize
    }

    /// A confusion matrix: `counts[i][j]` is the number of samples of true class `i` predicted as
    /// class `j`; `classNames` label both axes.
    public static func confusionMatrix(
        _ counts: [[Int]], classNames: [String], title: String = "Confusion matrix"
    ) -> Heatmap {
        Heatmap(
            title: title, values: counts.map { $0.map(Double.init) }, rowLabels: classNames,
            columnLabels: classNames, rowAxisTitle: "True label", columnAxisTitle: "Predicted label")
    }

    /// The number of rows.
    public var rowCount: Int { values.count }
    /// The number of columns.
    public var columnCount: Int { values.first?.count ?? 0 }

    /// The scale of the colour bar: nice ticks from `min(0, smallest)` to the largest finite value.
    public var colorScale: NiceScale {
        let finite = values.joined().filter(\.isFinite)
        let low = Swift.min(0, finite.min() ?? 0)
        let high = finite.max() ?? 1
        return NiceScale(lower: low, upper: high, targetTickCount: 6)
    }

    /// The colour of a cell holding `value` (light grey for NaN).
    public func color(for value: Double) -> Color {
        color(for: value, scale: colorScale)
    }

    /// The colour of a cell holding `value` on `scale`, which ``colorScale`` computes once per drawing.
    func color(for value: Double, scale: NiceScale) -> Color {
        guard value.isFinite else { return Color(hex: 0xf3f4f6) }
        return Palette.sample(colorStops, at: scale.fraction(of: value))
    }
}
