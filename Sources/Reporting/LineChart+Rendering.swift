extension LineChart {
    /// Fonts and spacing of the chart, in pixels.
    enum Layout {
        static let legendRowHeight = 19.0
        static let maximumLegendRows = 30
        static let legendSampleWidth = 30.0
        static let maximumLegendLabelWidth = 230.0
        static let lineWidth = 1.8
        static let markerRadius = 3.2
        static let minimumPlotWidth = 240.0
        static let minimumPlotHeight = 160.0
    }

    /// The chart as a standalone SVG document (also fit to inline into HTML).
    public func svg() -> String {
        let yIsLogarithmic = yScale == .logarithmic
        let (xExtent, yExtent) = dataExtents(yIsLogarithmic: yIsLogarithmic)
        let hasData = xExtent != nil

        // Vertical layout first: it fixes the plot height, which the legend and y ticks need.
        let top = title.isEmpty ? 16.0 : 46.0
        let bottom = 30.0 + (xLabel.isEmpty ? 0 : 24)
        let legend = legendLayout(plotHeight: max(height - top - bottom, Layout.minimumPlotHeight))
        let plotHeight = max(height - top - bottom, Layout.minimumPlotHeight, legend.height)
        let totalHeight = top + plotHeight + bottom

        let yAxis = Self.axis(
            extent: yRange.map { ($0.lowerBound, $0.upperBound) } ?? yExtent ?? (0, 1),
            logarithmic: yIsLogarithmic, targetTickCount: max(3, min(10, Int(plotHeight / 55))))
        let yTickLabels = yAxis.ticks.map { yAxis.label(for: $0) }
        let yTickWidth = yTickLabels.map { TextMetrics.width(of: $0, size: ChartTypography.tickSize) }.max() ?? 0
        let left = 14 + (yLabel.isEmpty ? 0 : 22) + yTickWidth + 10

        let right = legend.width > 0 ? legend.width + 28 : 24.0
        let plotWidth = max(width - left - right, Layout.minimumPlotWidth)
        let totalWidth = left + plotWidth + right

        let xAxis = Self.axis(
            extent: xRange.map { ($0.lowerBound, $0.upperBound) } ?? xExtent ?? (0, 1),
            logarithmic: false, targetTickCount: max(3, min(12, Int(plotWidth / 80))),
            integerSteps: hasData && xValuesAreIntegers)

        let plot = PlotFrame(left: left, top: top, width: plotWidth, height: plotHeight, xAxis: xAxis, yAxis: yAxis)
        var writer = SVGWriter(width: totalWidth, height: totalHeight, title: title, className: "line-chart")
        if !title.isEmpty {
            let x = TextMetrics.centeredPosition(
                preferredCenter: left + plotWidth / 2,
                titleWidth: TextMetrics.width(of: title, size: ChartTypography.titleSize) * 1.08, totalWidth: totalWidth)
            writer.text(title, x: x, y: 28, size: ChartTypography.titleSize, anchor: .middle,
                        bold: true, className: "title")
        }
        drawGrid(plot, tickLabels: yTickLabels, into: &writer)
        if hasData {
            drawSeries(plot, into: &writer)
        } else {
            writer.text("No data", x: left + plotWidth / 2, y: top + plotHeight / 2 + 5, size: ChartTypography.labelSize,
                        anchor: .middle, fill: .textMuted, className: "no-data")
        }
        drawAxes(plot, totalHeight: totalHeight, into: &writer)
        drawLegend(legend, x: left + plotWidth + 20, y: top, into: &writer)
        return writer.finished()
    }

    /// Where the plot sits and how values map into it.
    struct PlotFrame {
        let left: Double
        let top: Double
        let width: Double
        let height: Double
        let xAxis: AxisScale
        let yAxis: AxisScale

        func x(_ value: Double) -> Double { left + xAxis.fraction(of: value) * width }
        func y(_ value: Double) -> Double { top + (1 - yAxis.fraction(of: value)) * height }
    }

    /// One line of the legend: a sample line and its label.
    struct LegendEntry {
        let label: String
        let color: Color
        let style: LineStyle
        let showsMarkers: Bool
        /// Whether a half-row gap precedes this entry (before the style key of a grouped legend).
        let startsSection: Bool
    }

    /// The legend's entries and size: entries per column, columns and column width.
    struct LegendLayout {
        let entries: [LegendEntry]
        let rowsPerColumn: Int
        let columnWidth: Double
        var columnCount: Int { entries.isEmpty ? 0 : (entries.count + rowsPerColumn - 1) / rowsPerColumn }
        var width: Double { columnWidth * Double(columnCount) }
        /// The height of the tallest column.
        var height: Double {
            let rows = min(entries.count, rowsPerColumn)
            let gaps = entries.prefix(rows).filter(\.startsSection).count
            return Double(rows) * Layout.legendRowHeight + Double(gaps) * Layout.legendRowHeight / 2
        }
    }

    /// The legend entries: one per series, or (with ``styleLabels``) one per colour group followed
    /// by one per style.
    func legendEntries() -> [LegendEntry] {
        func fit(_ text: String) -> String {
            TextMetrics.truncate(text, toWidth: Layout.maximumLegendLabelWidth, size: ChartTypography.legendSize)
        }
        guard !styleLabels.isEmpty else {
            return series.indices.map { index in
                LegendEntry(label: fit(series[index].name), color: color(ofSeries: index), style: series[index].style,
                            showsMarkers: series[index].showsMarkers, startsSection: false)
            }
        }
        var entries = [LegendEntry]()
        var seen = Set<String>()
        for index in series.indices {
            let group = series[index].group ?? series[index].name
            guard seen.insert(group).inserted else { continue }
            entries.append(LegendEntry(label: fit(group), color: color(ofSeries: index), style: .solid,
                                       showsMarkers: series[index].showsMarkers, startsSection: false))
        }
        for (offset, key) in styleLabels.enumerated() {
            entries.append(LegendEntry(label: fit(key.label), color: .textMuted, style: key.style, showsMarkers: false,
                                       startsSection: offset == 0 && !entries.isEmpty))
        }
        return entries
    }

    /// Lays the legend out in one column when it fits in `plotHeight` (or up to
    /// ``Layout/maximumLegendRows`` rows, growing the plot), in several columns beyond that.
    func legendLayout(plotHeight: Double) -> LegendLayout {
        let entries = legendEntries()
        let widest = entries.map { TextMetrics.width(of: $0.label, size: ChartTypography.legendSize) }.max() ?? 0
        let fitting = max(1, Int(plotHeight / Layout.legendRowHeight) - 1)
        let rows = entries.count <= max(fitting, Layout.maximumLegendRows) ? max(entries.count, 1) : fitting
        return LegendLayout(entries: entries, rowsPerColumn: rows,
                            columnWidth: Layout.legendSampleWidth + 8 + widest + 16)
    }

    /// The smallest and largest x and y over all drawable points, or `nil` when there are none.
    func dataExtents(yIsLogarithmic: Bool) -> (x: (Double, Double)?, y: (Double, Double)?) {
        var xLow = Double.infinity, xHigh = -Double.infinity
        var yLow = Double.infinity, yHigh = -Double.infinity
        for line in series {
            for point in line.points where point.x.isFinite && point.y.isFinite && (!yIsLogarithmic || point.y > 0) {
                xLow = min(xLow, point.x)
                xHigh = max(xHigh, point.x)
                yLow = min(yLow, point.y)
                yHigh = max(yHigh, point.y)
            }
        }
        guard xLow <= xHigh else { return (nil, nil) }
        return ((xLow, xHigh), (yLow, yHigh))
    }

    static func axis(
        extent: (Double, Double), logarithmic: Bool, targetTickCount: Int, integerSteps: Bool = false
    ) -> AxisScale {
        if logarithmic { return .logarithmic(LogarithmicScale(lower: extent.0, upper: extent.1)) }
        return .linear(NiceScale(lower: extent.0, upper: extent.1, targetTickCount: targetTickCount,
                                 integerSteps: integerSteps))
    }

    /// Whether every finite x is a whole number (epochs, iterations), so x ticks need no fractions.
    var xValuesAreIntegers: Bool {
        series.allSatisfy { line in line.points.allSatisfy { !$0.x.isFinite || $0.x == $0.x.rounded() } }
    }

    func drawGrid(_ plot: PlotFrame, tickLabels: [String], into writer: inout SVGWriter) {
        writer.openGroup(className: "grid")
        let right = plot.left + plot.width
        let bottom = plot.top + plot.height
        for tick in plot.yAxis.minorTicks {
            let y = plot.y(tick)
            writer.line(x1: plot.left, y1: y, x2: right, y2: y, stroke: Color(hex: 0xf3f4f6), width: 1)
        }
        for tick in plot.yAxis.ticks {
            let y = plot.y(tick)
            writer.line(x1: plot.left, y1: y, x2: right, y2: y, stroke: .gridline, width: 1)
        }
        for tick in plot.xAxis.ticks {
            let x = plot.x(tick)
            writer.line(x1: x, y1: plot.top, x2: x, y2: bottom, stroke: .gridline, width: 1)
        }
        writer.closeGroup()

        writer.openGroup(className: "ticks")
        for (tick, label) in zip(plot.yAxis.ticks, tickLabels) {
            let y = plot.y(tick)
            writer.line(x1: plot.left - 5, y1: y, x2: plot.left, y2: y, stroke: .axis, width: 1)
            writer.text(label, x: plot.left - 8, y: y + 4, size: ChartTypography.tickSize, anchor: .end, fill: .textMuted)
        }
        for tick in plot.xAxis.ticks {
            let x = plot.x(tick)
            writer.line(x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: .axis, width: 1)
            writer.text(plot.xAxis.label(for: tick), x: x, y: bottom + 19, size: ChartTypography.tickSize,
                        anchor: .middle, fill: .textMuted)
        }
        writer.closeGroup()
    }

    func drawAxes(_ plot: PlotFrame, totalHeight: Double, into writer: inout SVGWriter) {
        let bottom = plot.top + plot.height
        writer.openGroup(className: "axes")
        writer.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: bottom, stroke: .axis, width: 1)
        writer.line(x1: plot.left, y1: bottom, x2: plot.left + plot.width, y2: bottom, stroke: .axis, width: 1)
        if !xLabel.isEmpty {
            writer.text(xLabel, x: plot.left + plot.width / 2, y: totalHeight - 12, size: ChartTypography.labelSize,
                        anchor: .middle, className: "x-label")
        }
        if !yLabel.isEmpty {
            let x = 24.0
            let y = plot.top + plot.height / 2
            writer.text(yLabel, x: x, y: y, size: ChartTypography.labelSize, anchor: .middle, rotation: -90,
                        className: "y-label")
        }
        writer.closeGroup()
    }

    func drawSeries(_ plot: PlotFrame, into writer: inout SVGWriter) {
        // A nested viewport clips lines to the plot (with a little slack so lines on the border
        // stay whole) without needing an `id`, so charts can share one HTML page.
        let slack = 4.0
        writer.raw(
            "<svg class=\"plot-area\" x=\"\(SVGWriter.number(plot.left - slack))\" y=\"\(SVGWriter.number(plot.top - slack))\""
                + " width=\"\(SVGWriter.number(plot.width + 2 * slack))\" height=\"\(SVGWriter.number(plot.height + 2 * slack))\""
                + " viewBox=\"\(SVGWriter.number(plot.left - slack)) \(SVGWriter.number(plot.top - slack))"
                + " \(SVGWriter.number(plot.width + 2 * slack)) \(SVGWriter.number(plot.height + 2 * slack))\""
                + " overflow=\"hidden\">\n")
        for (index, line) in series.enumerated() {
            let segments = projectedSegments(line, plot: plot)
            guard !segments.isEmpty else { continue }
            let color = color(ofSeries: index)
            writer.openGroup(className: "series", label: line.name)
            let data = SVGWriter.pathData(segments)
            if !data.isEmpty {
                writer.path(data, stroke: color, width: Layout.lineWidth, dash: line.style.dashArray,
                            roundCaps: line.style.needsRoundCaps)
            }
            for segment in segments where line.showsMarkers || segment.count == 1 {
                for point in segment {
                    writer.circle(centerX: point.x, centerY: point.y, radius: Layout.markerRadius, fill: color,
                                  className: "marker")
                }
            }
            writer.closeGroup()
        }
        writer.raw("</svg>\n")
    }

    /// The series' runs of drawable points in pixel coordinates; long runs are thinned to at most
    /// four points (first, lowest, highest, last) per pixel column, which draws the same picture.
    func projectedSegments(_ line: Series, plot: PlotFrame) -> [[(x: Double, y: Double)]] {
        var segments = [[(x: Double, y: Double)]]()
        var current = [(x: Double, y: Double)]()
        for point in line.points {
            if plot.xAxis.accepts(point.x) && plot.yAxis.accepts(point.y) {
                current.append((plot.x(point.x), plot.y(point.y)))
            } else if !current.isEmpty {
                segments.append(current)
                current = []
            }
        }
        if !current.isEmpty { segments.append(current) }
        let limit = Int(plot.width) * 4
        return segments.map { $0.count > limit && !line.showsMarkers ? Self.thinned($0) : $0 }
    }

    /// Keeps, for each pixel column, the first, lowest, highest and last point, in their order.
    static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        var result = [(x: Double, y: Double)]()
        var start = 0
        while start < points.count {
            let column = points[start].x.rounded(.down)
            var end = start
            var lowest = start, highest = start
            while end + 1 < points.count && points[end + 1].x.rounded(.down) == column {
                end += 1
                if points[end].y < points[lowest].y { lowest = end }
                if points[end].y > points[highest].y { highest = end }
            }
            for index in Set([start, lowest, highest, end]).sorted() { result.append(points[index]) }
            start = end + 1
        }
        return result
    }

    func drawLegend(_ legend: LegendLayout, x: Double, y: Double, into writer: inout SVGWriter) {
        guard !legend.entries.isEmpty else { return }
        writer.openGroup(className: "legend")
        var entryY = y + Layout.legendRowHeight / 2
        for (index, entry) in legend.entries.enumerated() {
            let column = index / legend.rowsPerColumn
            if index % legend.rowsPerColumn == 0 { entryY = y + Layout.legendRowHeight / 2 }
            if entry.startsSection { entryY += Layout.legendRowHeight / 2 }
            let entryX = x + Double(column) * legend.columnWidth
            writer.openGroup(className: "legend-entry", label: entry.label)
            let sample = SVGWriter.pathData([[(entryX, entryY), (entryX + Layout.legendSampleWidth, entryY)]])
            writer.path(sample, stroke: entry.color, width: Layout.lineWidth + 0.4, dash: entry.style.dashArray,
                        roundCaps: entry.style.needsRoundCaps)
            if entry.showsMarkers {
                writer.circle(centerX: entryX + Layout.legendSampleWidth / 2, centerY: entryY,
                              radius: Layout.markerRadius, fill: entry.color)
            }
            writer.text(entry.label, x: entryX + Layout.legendSampleWidth + 8, y: entryY + 4.5,
                        size: ChartTypography.legendSize)
            writer.closeGroup()
            entryY += Layout.legendRowHeight
        }
        writer.closeGroup()
    }
}
