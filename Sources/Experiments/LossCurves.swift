import Foundation
import Reporting

/// The loss-against-epoch chart every training section draws: one colour per model, solid for
/// training and dashed for validation.
enum LossCurves {
    /// A chart of `curves` (name, training loss, validation loss), one colour per name.
    static func chart(
        title: String, yLabel: String, curves: [(name: String, training: [Double], validation: [Double])],
        logarithmic: Bool = false
    ) -> LineChart {
        var series: [LineChart.Series] = []
        for (index, curve) in curves.enumerated() {
            let color = Palette.color(at: index)
            series.append(.init(name: curve.name + " train", values: curve.training, color: color, group: curve.name))
            if !curve.validation.isEmpty {
                series.append(.init(name: curve.name + " validation", values: curve.validation, color: color,
                                    style: .dashed, group: curve.name))
            }
        }
        return LineChart(
            title: title, xLabel: "Epoch", yLabel: yLabel, series: series,
            yScale: logarithmic ? .logarithmic : .linear, width: 900, height: 480,
            styleLabels: [(.solid, "train"), (.dashed, "validation")])
    }
}
