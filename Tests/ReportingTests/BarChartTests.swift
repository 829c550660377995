import Testing
@testable import Reporting

@Suite("Bar chart")
struct BarChartTests {
    @Test("one bar per category and series, with values and legend")
    func groupedBars() throws {
        let chart = BarChart(
            title: "Accuracy by model", categories: ["relu", "sigmoid", "tanh"],
            series: [.init(name: "Train", values: [0.99, 0.97, 0.98]), .init(name: "Test", values: [0.97, 0.95, 0.96])],
            yLabel: "Accuracy", valueFormat: .percent(decimals: 1))
        let svg = chart.svg()
        let tree = try XMLTree(svg)
        #expect(tree.elements(named: "rect", className: "bar").count == 6)
        #expect(tree.elements(named: "g", className: "series").count == 2)
        #expect(tree.texts(inside: "legend") == ["Train", "Test"])
        #expect(tree.texts(inside: "category-labels") == ["relu", "sigmoid", "tanh"])
        #expect(tree.elements(withClass: "value").map(\.text).contains("99.0%"))
        #expect(chart.svg() == svg)
    }

    @Test("NaN leaves a gap, negative bars hang below the baseline, one series has no legend")
    func edgeCases() throws {
        let chart = BarChart(title: "", categories: ["a", "b", "c"], series: [.init(name: "only", values: [1, .nan, -0.5])])
        let tree = try XMLTree(chart.svg())
        let bars = tree.elements(named: "rect", className: "bar")
        #expect(bars.count == 2)
        #expect(tree.elements(withClass: "legend").isEmpty)
        let positive = try #require(bars.first)
        let negative = try #require(bars.last)
        let positiveBottom = (Double(positive.attributes["y"] ?? "") ?? 0) + (Double(positive.attributes["height"] ?? "") ?? 0)
        let negativeTop = Double(negative.attributes["y"] ?? "") ?? -1
        #expect(abs(positiveBottom - negativeTop) < 0.02)
    }

    @Test("long category names are rotated, and the chart still parses")
    func longNames() throws {
        let names = (0..<12).map { "activation \($0) with a long name" }
        let chart = BarChart(title: "Twelve", categories: names,
                             series: [.init(name: "Test", values: (0..<12).map { 0.9 + Double($0) / 200 })])
        let tree = try XMLTree(chart.svg())
        let labels = tree.elements(named: "text").filter { $0.ancestorClasses.contains("category-labels") }
        #expect(labels.count == 12)
        #expect(labels.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-45") == true })
    }
}
