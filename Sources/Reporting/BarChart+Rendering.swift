import Foundation

extension BarChart {
    enum Layout {
        static let valueSize = 10.5
        static let legendRowHeight = 20.0
        static let groupPadding = 0.22
    }

    /// The chart as a standalone SVG document (also fit to inline into HTML).
    public func svg() -> String {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let scale: NiceScale
        if let valueRange {
            scale = NiceScale(lower: valueRange.lowerBound, upper: valueRange.upperBound, targetTickCount: 6)
        } else {
            scale = NiceScale(lower: min(0, finite.min() ?? 0), upper: max(0, finite.max() ?? 1), targetTickCount: 6)
        }
        let tickLabels = scale.ticks.map { axisLabel($0, scale: scale) }
        let tickWidth = tickLabels.map { TextMetrics.width(of: $0, size: ChartTypography.tickSize) }.max() ?? 0

        let legendLabels = series.count > 1 ? series.map(\.name) : []
        let legendWidth = legendLabels.isEmpty
            ? 0 : (legendLabels.map { TextMetrics.width(of: $0, size: ChartTypography.legendSize) }.max() ?? 0) + 14 + 8 + 16
        let left = 14 + (yLabel.isEmpty ? 0 : 22) + tickWidth + 10
        let right = legendWidth > 0 ? legendWidth + 28 : 24.0
        let plotWidth = max(width - left - right, 160)
        let groupCount = max(categories.count, 1)
        let groupWidth = plotWidth / Double(groupCount)
        let barWidth = groupWidth * (1 - Layout.groupPadding) / Double(max(series.count, 1))

        let categoryWidth = categories.map { TextMetrics.width(of: $0, size: ChartTypography.labelSize) }.max() ?? 0
        let rotatesCategories = categoryWidth > groupWidth - 6
        let categoryHeight = rotatesCategories ? categoryWidth * sin(Double.pi / 4) + 18 : 26
        let valueTexts = series.indices.map { s in categories.indices.map { c in value(series: s, category: c).map(valueFormat.format) } }
        let widestValue = valueTexts.joined().compactMap { $0 }
            .map { TextMetrics.width(of: $0, size: Layout.valueSize) }.max() ?? 0
        let rotatesValues = showsValues && widestValue > barWidth + 2
        let valueHeadroom = showsValues ? (rotatesValues ? widestValue + 8 : 18) : 0

        let top = (title.isEmpty ? 16.0 : 46.0) + valueHeadroom
        let bottom = categoryHeight + (xLabel.isEmpty ? 6 : 30)
        let plotHeight = max(height - top - bottom, 120)
        let totalHeight = top + plotHeight + bottom
        let totalWidth = left + plotWidth + right
        let y = { (value: Double) -> Double in top + (1 - scale.fraction(of: value)) * plotHeight }
        let clamp = { (value: Double) -> Double in min(max(value, scale.lowerBound), scale.upperBound) }
        let baseline = y(clamp(0))

        var writer = SVGWriter(width: totalWidth, height: totalHeight, title: title, className: "bar-chart")
        if !title.isEmpty {
            let x = TextMetrics.centeredPosition(
                preferredCenter: left + plotWidth / 2,
                titleWidth: TextMetrics.width(of: title, size: ChartTypography.titleSize) * 1.08, totalWidth: totalWidth)
            writer.text(title, x: x, y: 28, size: ChartTypography.titleSize, anchor: .middle, bold: true,
                        className: "title")
        }
        writer.openGroup(className: "grid")
        for (tick, text) in zip(scale.ticks, tickLabels) {
            writer.line(x1: left, y1: y(tick), x2: left + plotWidth, y2: y(tick), stroke: .gridline)
            writer.text(text, x: left - 8, y: y(tick) + 4, size: ChartTypography.tickSize, anchor: .end, fill: .textMuted)
        }
        writer.closeGroup()

        for seriesIndex in series.indices {
            let color = color(ofSeries: seriesIndex)
            writer.openGroup(className: "series", label: series[seriesIndex].name)
            for category in categories.indices {
                guard let value = value(series: seriesIndex, category: category) else { continue }
                let x = left + Double(category) * groupWidth + groupWidth * Layout.groupPadding / 2
                    + Double(seriesIndex) * barWidth
                let end = y(clamp(value))
                let tooltip = "\(series[seriesIndex].name), \(categories[category]): \(valueFormat.format(value))"
                writer.rectangle(x: x + 0.5, y: min(end, baseline), width: barWidth - 1, height: abs(baseline - end),
                                 fill: color, className: "bar", tooltip: tooltip)
                guard showsValues, let text = valueTexts[seriesIndex][category] else { continue }
                let center = x + barWidth / 2
                if rotatesValues {
                    let start = value >= 0 ? end - 5 : end + 5
                    writer.text(text, x: center + Layout.valueSize * 0.36, y: start, size: Layout.valueSize,
                                anchor: value >= 0 ? .start : .end, fill: .textMuted, rotation: -90,
                                className: "value")
                } else {
                    let textY = value >= 0 ? end - 5 : end + Layout.valueSize + 3
                    writer.text(text, x: center, y: textY, size: Layout.valueSize, anchor: .middle, fill: .textMuted,
                                className: "value")
                }
            }
            writer.closeGroup()
        }

        writer.line(x1: left, y1: baseline, x2: left + plotWidth, y2: baseline, stroke: .axis)
        writer.line(x1: left, y1: top, x2: left, y2: top + plotHeight, stroke: .axis)
        writer.openGroup(className: "category-labels")
        for (index, category) in categories.enumerated() {
            let center = left + (Double(index) + 0.5) * groupWidth
            if rotatesCategories {
                writer.text(category, x: center + 4, y: top + plotHeight + 14, size: ChartTypography.labelSize, anchor: .end,
                            rotation: -45)
            } else {
                writer.text(category, x: center, y: top + plotHeight + 19, size: ChartTypography.labelSize, anchor: .middle)
            }
        }
        writer.closeGroup()
        if !xLabel.isEmpty {
            writer.text(xLabel, x: left + plotWidth / 2, y: totalHeight - 12, size: ChartTypography.labelSize, anchor: .middle,
                        className: "x-label")
        }
        if !yLabel.isEmpty {
            writer.text(yLabel, x: 24, y: top + plotHeight / 2, size: ChartTypography.labelSize, anchor: .middle,
                        rotation: -90, className: "y-label")
        }
        if !legendLabels.isEmpty {
            writer.openGroup(className: "legend")
            for (index, label) in legendLabels.enumerated() {
                let entryX = left + plotWidth + 20
                let entryY = top + Double(index) * Layout.legendRowHeight
                writer.openGroup(className: "legend-entry", label: label)
                writer.rectangle(x: entryX, y: entryY + 3, width: 14, height: 14, fill: color(ofSeries: index))
                writer.text(label, x: entryX + 22, y: entryY + 14.5, size: ChartTypography.legendSize)
                writer.closeGroup()
            }
            writer.closeGroup()
        }
        return writer.finished()
    }

    /// A value-axis label: the value format's style with the scale's precision.
    func axisLabel(_ value: Double, scale: NiceScale) -> String {
        switch valueFormat {
        case .percent:
            return NumberFormat.percent(value, decimals: max(0, scale.fractionDigits - 2))
        case .fixed, .automatic:
            return scale.label(for: value)
        }
    }
}
