import Foundation

extension Heatmap {
    enum Layout {
        static let colorBarWidth = 16.0
        static let colorBarSteps = 64
    }

    /// The heatmap as a standalone SVG document (also fit to inline into HTML).
    public func svg() -> String {
        let rows = rowCount
        let columns = columnCount
        let cell = cellSize
        let gridWidth = Double(columns) * cell
        let gridHeight = Double(rows) * cell

        let rowLabelWidth = (0..<rows).map { TextMetrics.width(of: label(rowLabels, $0), size: ChartTypography.legendSize) }
            .max() ?? 0
        let columnLabelWidth = (0..<columns)
            .map { TextMetrics.width(of: label(columnLabels, $0), size: ChartTypography.legendSize) }.max() ?? 0
        let rotatesColumnLabels = columnLabelWidth > cell - 6
        let columnLabelHeight = rotatesColumnLabels ? columnLabelWidth * sin(Double.pi / 4) + 16 : 22

        let scale = colorScale
        let tickLabels = scale.ticks.map { scale.label(for: $0) }
        let tickWidth = tickLabels.map { TextMetrics.width(of: $0, size: 11.5) }.max() ?? 0

        let left = 14 + (rowAxisTitle.isEmpty ? 0 : 24) + rowLabelWidth + 10
        let top = title.isEmpty ? 16.0 : 50.0
        let bottom = columnLabelHeight + (columnAxisTitle.isEmpty ? 8 : 34)
        let barLeft = left + gridWidth + 22
        let titleWidth = TextMetrics.width(of: title, size: ChartTypography.titleSize) * 1.08
        let width = max(barLeft + Layout.colorBarWidth + 8 + tickWidth + 16, left + gridWidth + 16, titleWidth + 32)
        let height = top + gridHeight + bottom

        var writer = SVGWriter(width: width, height: height, title: title, className: "heatmap")
        if !title.isEmpty {
            let x = TextMetrics.centeredPosition(
                preferredCenter: left + gridWidth / 2, titleWidth: titleWidth, totalWidth: width)
            writer.text(title, x: x, y: 30, size: ChartTypography.titleSize, anchor: .middle, bold: true,
                        className: "title")
        }

        let formatted = values.map { $0.map { $0.isFinite ? valueFormat.format($0) : "" } }
        let widestValue = formatted.joined().map { TextMetrics.width(of: $0, size: 1) }.max() ?? 1
        let valueSize = min(13, cell * 0.3, (cell - 6) / max(widestValue, 0.1))

        writer.openGroup(className: "cells", extra: "shape-rendering=\"crispEdges\"")
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row][column]
                let fill = color(for: value, scale: scale)
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                let tooltip = "\(label(rowLabels, row)) → \(label(columnLabels, column)): \(formatted[row][column])"
                writer.rectangle(x: x, y: y, width: cell, height: cell, fill: fill, className: "cell", tooltip: tooltip)
            }
        }
        writer.closeGroup()
        writer.rectangle(x: left, y: top, width: gridWidth, height: gridHeight, fill: nil, stroke: .axis)

        if showsValues {
            writer.openGroup(className: "values")
            for row in 0..<rows {
                for column in 0..<columns where !formatted[row][column].isEmpty {
                    // Zeros are common in a confusion matrix; a lighter grey keeps them out of the way.
                    let value = values[row][column]
                    let cellColor = color(for: value, scale: scale)
                    let textColor = value == 0 && cellColor.relativeLuminance > 0.5
                        ? Color(hex: 0x7c8490) : cellColor.contrastingTextColor()
                    writer.text(formatted[row][column], x: left + (Double(column) + 0.5) * cell,
                                y: top + (Double(row) + 0.5) * cell + valueSize * 0.36, size: valueSize,
                                anchor: .middle, fill: textColor)
                }
            }
            writer.closeGroup()
        }

        writer.openGroup(className: "row-labels")
        for row in 0..<rows {
            writer.text(label(rowLabels, row), x: left - 8, y: top + (Double(row) + 0.5) * cell + 4.3,
                        size: ChartTypography.legendSize, anchor: .end)
        }
        writer.closeGroup()
        writer.openGroup(className: "column-labels")
        for column in 0..<columns {
            let x = left + (Double(column) + 0.5) * cell
            if rotatesColumnLabels {
                writer.text(label(columnLabels, column), x: x + 4, y: top + gridHeight + 12, size: ChartTypography.legendSize,
                            anchor: .end, rotation: -45)
            } else {
                writer.text(label(columnLabels, column), x: x, y: top + gridHeight + 18, size: ChartTypography.legendSize,
                            anchor: .middle)
            }
        }
        writer.closeGroup()

        if !columnAxisTitle.isEmpty {
            writer.text(columnAxisTitle, x: left + gridWidth / 2, y: height - 12, size: ChartTypography.labelSize,
                        anchor: .middle, bold: true, className: "column-axis-title")
        }
        if !rowAxisTitle.isEmpty {
            writer.text(rowAxisTitle, x: 24, y: top + gridHeight / 2, size: ChartTypography.labelSize, anchor: .middle,
                        bold: true, rotation: -90, className: "row-axis-title")
        }
        drawColorBar(scale: scale, tickLabels: tickLabels, x: barLeft, top: top, height: gridHeight, into: &writer)
        return writer.finished()
    }

    /// The label at `index`, or an empty string when there are fewer labels than rows/columns.
    func label(_ labels: [String], _ index: Int) -> String {
        index < labels.count ? labels[index] : ""
    }

    /// A vertical colour bar built from thin rectangles (no gradient, so no `id` is needed).
    func drawColorBar(
        scale: NiceScale, tickLabels: [String], x: Double, top: Double, height: Double,
        into writer: inout SVGWriter
    ) {
        guard height > 0 else { return }
        writer.openGroup(className: "color-bar", extra: "shape-rendering=\"crispEdges\"")
        let steps = Layout.colorBarSteps
        let stepHeight = height / Double(steps)
        for step in 0..<steps {
            let fraction = (Double(step) + 0.5) / Double(steps)
            let y = top + height - Double(step + 1) * stepHeight
            writer.rectangle(x: x, y: y, width: Layout.colorBarWidth, height: stepHeight + 0.6,
                             fill: Palette.sample(colorStops, at: fraction))
        }
        writer.closeGroup()
        writer.rectangle(x: x, y: top, width: Layout.colorBarWidth, height: height, fill: nil, stroke: .axis)
        writer.openGroup(className: "color-bar-ticks")
        for (tick, text) in zip(scale.ticks, tickLabels) {
            let y = top + (1 - scale.fraction(of: tick)) * height
            writer.line(x1: x + Layout.colorBarWidth, y1: y, x2: x + Layout.colorBarWidth + 4, y2: y, stroke: .axis)
            writer.text(text, x: x + Layout.colorBarWidth + 7, y: y + 4, size: 11.5, fill: .textMuted)
        }
        writer.closeGroup()
    }
}
