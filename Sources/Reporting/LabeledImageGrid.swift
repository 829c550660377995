/// An SVG that shows an ``ImageGrid`` (embedded as a base64 PNG) with a label beside each row
/// (say, class names) and optionally above each column (say, "original", "relu", "identity").
///
///     let svg = LabeledImageGrid(grid: grid, title: "Ten samples per class", rowLabels: classNames).svg()
public struct LabeledImageGrid: Sendable {
    /// The image grid.
    public var grid: ImageGrid
    /// The title above the grid; empty for none.
    public var title: String
    /// One label per tile row, written to the left of the row.
    public var rowLabels: [String]
    /// One label per tile column, written above the column; empty for none.
    public var columnLabels: [String]

    /// A labelled grid.
    public init(grid: ImageGrid, title: String = "", rowLabels: [String], columnLabels: [String] = []) {
        self.grid = grid
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
    }

    static let labelSize = 13.0

    /// The SVG document.
    public func svg() -> String {
        let labelWidth = rowLabels.map { TextMetrics.width(of: $0, size: Self.labelSize) }.max() ?? 0
        let left = labelWidth > 0 ? labelWidth + 22 : 12
        let columnLabelHeight = columnLabels.isEmpty ? 0.0 : 22
        let top = (title.isEmpty ? 10.0 : 44) + columnLabelHeight
        let imageWidth = Double(grid.pixelWidth)
        let imageHeight = Double(grid.pixelHeight)
        let titleWidth = TextMetrics.width(of: title, size: 17) * 1.08
        let width = max(left + imageWidth + 12, titleWidth + 32)
        let height = top + imageHeight + 12

        var writer = SVGWriter(width: width, height: height, title: title, className: "image-grid")
        if !title.isEmpty {
            let x = TextMetrics.centeredPosition(
                preferredCenter: left + imageWidth / 2, titleWidth: titleWidth, totalWidth: width)
            writer.text(title, x: x, y: 28, size: 17, anchor: .middle, bold: true,
                        className: "title")
        }
        writer.image(uri: grid.image().dataURI(), x: left, y: top, width: imageWidth, height: imageHeight)
        writer.openGroup(className: "row-labels")
        for (row, label) in rowLabels.prefix(grid.rows).enumerated() {
            let origin = grid.tileOrigin(row: row, column: 0)
            let center = top + Double(origin.y) + Double(grid.tileHeight * grid.scale) / 2
            writer.text(label, x: left - 10, y: center + Self.labelSize * 0.35, size: Self.labelSize, anchor: .end)
        }
        writer.closeGroup()
        if !columnLabels.isEmpty {
            writer.openGroup(className: "column-labels")
            for (column, label) in columnLabels.prefix(grid.columns).enumerated() {
                let origin = grid.tileOrigin(row: 0, column: column)
                let center = left + Double(origin.x) + Double(grid.tileWidth * grid.scale) / 2
                writer.text(label, x: center, y: top - 8, size: Self.labelSize, anchor: .middle, fill: .textMuted)
            }
            writer.closeGroup()
        }
        return writer.finished()
    }
}
