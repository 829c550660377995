import Foundation
import Testing
@testable import Reporting

@Suite("Line chart")
struct LineChartTests {
    static let epochs = 30

    static func curve(_ rate: Double) -> [Double] {
        (0..<epochs).map { 2.3 * exp(-rate * Double($0)) + 0.05 }
    }

    @Test("one line per series, a legend entry per series, title and labels")
    func basicChart() throws {
        let chart = LineChart(
            title: "Loss", xLabel: "Epoch", yLabel: "Cross-entropy",
            series: [
                .init(name: "relu", values: Self.curve(0.1)),
                .init(name: "sigmoid", values: Self.curve(0.05)),
                .init(name: "tanh", values: Self.curve(0.07), style: .dashed),
            ])
        let svg = chart.svg()
        let tree = try XMLTree(svg)
        #expect(tree.root?.name == "svg")
        #expect(tree.root?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(tree.elements(named: "g", className: "series").count == 3)
        #expect(tree.elements(named: "path").filter { $0.ancestorClasses.contains("series") }.count == 3)
        #expect(tree.elements(named: "g", className: "legend-entry").count == 3)
        #expect(tree.texts(inside: "legend") == ["relu", "sigmoid", "tanh"])
        #expect(tree.elements(named: "title").first?.text == "Loss")
        #expect(tree.elements(withClass: "x-label").first?.text == "Epoch")
        #expect(tree.elements(withClass: "y-label").first?.text == "Cross-entropy")
        let dashed = tree.elements(named: "path").filter { $0.ancestorClasses.contains("series") }
            .compactMap { $0.attributes["stroke-dasharray"] }
        #expect(dashed.count == 1)
        // Three distinct palette colours.
        let strokes = Set(tree.elements(named: "path").filter { $0.ancestorClasses.contains("series") }
            .compactMap { $0.attributes["stroke"] })
        #expect(strokes.count == 3)
        // Deterministic output.
        #expect(chart.svg() == svg)
    }

    @Test("every drawn point lies inside the plot")
    func pointsInsidePlot() throws {
        let chart = LineChart(title: "", series: [.init(name: "a", values: Self.curve(0.2))], width: 600, height: 400)
        let tree = try XMLTree(chart.svg())
        let data = try #require(tree.elements(named: "path").first { $0.ancestorClasses.contains("series") }?
            .attributes["d"])
        let numbers = data.split(whereSeparator: { $0 == " " || $0 == "M" || $0 == "L" }).compactMap { Double($0) }
        #expect(numbers.count == 2 * Self.epochs)
        for (index, value) in numbers.enumerated() {
            let limit = index % 2 == 0 ? 600.0 : 400.0
            #expect(value >= 0 && value <= limit)
        }
    }

    @Test("edge cases: single point, constant, NaN and infinity, empty series")
    func edgeCases() throws {
        let chart = LineChart(
            title: "Edge <cases> & \"quotes\"", xLabel: "x", yLabel: "y",
            series: [
                .init(name: "single", points: [(x: 3, y: 0.5)]),
                .init(name: "constant", values: [0.7, 0.7, 0.7]),
                .init(name: "gaps", values: [0.1, 0.2, .nan, 0.4, 0.5, .infinity, 0.3]),
                .init(name: "empty", points: []),
                .init(name: "T-shirt/top <&>", values: [0.2, 0.3]),
            ])
        let tree = try XMLTree(chart.svg())
        let series = tree.elements(named: "g", className: "series")
        #expect(series.map { $0.attributes["data-label"] ?? "" } == ["single", "constant", "gaps", "T-shirt/top <&>"])
        // The single point is a dot, not a path.
        let markers = tree.elements(named: "circle", className: "marker")
        #expect(markers.count == 2)  // "single", and the isolated 0.3 after the infinity in "gaps"
        let paths = tree.elements(named: "path").filter { $0.ancestorClasses.contains("series") }
        #expect(paths.count == 3)
        // NaN splits the line into separate runs.
        let gapData = try #require(paths.dropFirst().first?.attributes["d"])
        #expect(gapData.filter { $0 == "M" }.count == 2)
        #expect(!gapData.contains("NaN") && !gapData.contains("inf"))
        // Every series, even the empty one, has a legend entry; text comes back unescaped.
        #expect(tree.texts(inside: "legend").count == 5)
        #expect(tree.texts(inside: "legend").last == "T-shirt/top <&>")
        #expect(tree.elements(named: "title").first?.text == "Edge <cases> & \"quotes\"")
    }

    @Test("a chart without data shows empty axes and a note")
    func noData() throws {
        for series in [[LineChart.Series](), [.init(name: "empty", points: [])],
                       [.init(name: "nan", values: [.nan, .nan])]] {
            let tree = try XMLTree(LineChart(title: "Nothing", series: series).svg())
            #expect(tree.elements(withClass: "no-data").first?.text == "No data")
            #expect(tree.elements(named: "g", className: "series").isEmpty)
        }
    }

    @Test("a constant series gets a widened axis")
    func constantSeries() throws {
        let tree = try XMLTree(LineChart(title: "", series: [.init(name: "flat", values: [0.9, 0.9, 0.9])]).svg())
        let labels = tree.texts(inside: "ticks")
        #expect(labels.contains("0.90"))
        // Epochs 1, 2, 3 get whole-number ticks only.
        #expect(labels.contains("2") && !labels.contains("1.5"))
        #expect(tree.elements(named: "g", className: "series").count == 1)
    }

    @Test("logarithmic y skips values that are not positive")
    func logarithmicScale() throws {
        let chart = LineChart(
            title: "Log", series: [.init(name: "loss", values: [2.3, 1.0, 0, -1, 0.1, 0.01])], yScale: .logarithmic)
        let tree = try XMLTree(chart.svg())
        let data = try #require(tree.elements(named: "path").first { $0.ancestorClasses.contains("series") }?
            .attributes["d"])
        #expect(data.filter { $0 == "M" }.count == 2)
        #expect(data.filter { $0 == "L" }.count == 2)
        let labels = tree.texts(inside: "ticks")
        #expect(labels.contains("0.01") && labels.contains("0.1") && labels.contains("1"))
    }

    @Test("grouped legend: one entry per colour group, then the style key")
    func groupedLegend() throws {
        var series = [LineChart.Series]()
        for (index, model) in ["relu", "tanh"].enumerated() {
            series.append(.init(name: "\(model) train", values: Self.curve(0.1), color: Palette.color(at: index),
                                group: model))
            series.append(.init(name: "\(model) validation", values: Self.curve(0.08), color: Palette.color(at: index),
                                style: .dashed, group: model))
        }
        let chart = LineChart(title: "", series: series, styleLabels: [(.solid, "train"), (.dashed, "validation")])
        let tree = try XMLTree(chart.svg())
        #expect(tree.texts(inside: "legend") == ["relu", "tanh", "train", "validation"])
        #expect(tree.elements(named: "g", className: "series").count == 4)
    }

    @Test("twenty-four series fit in a one-column legend to the right of the plot")
    func manySeries() throws {
        let series = (0..<24).map { LineChart.Series(name: "model \($0)", values: Self.curve(0.01 * Double($0 + 1))) }
        let svg = LineChart(title: "Many", series: series).svg()
        let tree = try XMLTree(svg)
        #expect(tree.elements(named: "g", className: "legend-entry").count == 24)
        let legendX = tree.elements(named: "text").filter { $0.ancestorClasses.contains("legend") }
            .compactMap { $0.attributes["x"].flatMap(Double.init) }
        #expect(Set(legendX).count == 1)
        let axisRight = tree.elements(named: "line").filter { $0.ancestorClasses.contains("axes") }
            .compactMap { $0.attributes["x2"].flatMap(Double.init) }.max() ?? 0
        #expect((legendX.first ?? 0) > axisRight)
    }

    @Test("long series are thinned to a few points per pixel column")
    func thinning() throws {
        let values = (0..<100_000).map { sin(Double($0) / 500) }
        let chart = LineChart(title: "", series: [.init(name: "batch loss", values: values)], width: 700, height: 400)
        let tree = try XMLTree(chart.svg())
        let data = try #require(tree.elements(named: "path").first { $0.ancestorClasses.contains("series") }?
            .attributes["d"])
        let points = data.filter { $0 == "L" }.count + 1
        #expect(points < 4 * 700)
        #expect(points > 100)
    }
}
