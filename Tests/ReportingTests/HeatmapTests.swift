import Testing
@testable import Reporting

@Suite("Heatmap")
struct HeatmapTests {
    static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                             "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    static func confusionCounts() -> [[Int]] {
        (0..<10).map { row in (0..<10).map { column in row == column ? 900 + row : (row + column) % 7 } }
    }

    @Test("a 10×10 confusion matrix has 100 cells, values and both sets of class names")
    func confusionMatrix() throws {
        let heatmap = Heatmap.confusionMatrix(Self.confusionCounts(), classNames: Self.classNames)
        let svg = heatmap.svg()
        let tree = try XMLTree(svg)
        #expect(tree.elements(named: "rect", className: "cell").count == 100)
        #expect(tree.texts(inside: "values").count == 100)
        #expect(tree.texts(inside: "values").first == "900")
        #expect(tree.texts(inside: "row-labels") == Self.classNames)
        #expect(tree.texts(inside: "column-labels") == Self.classNames)
        #expect(tree.elements(withClass: "row-axis-title").first?.text == "True label")
        #expect(tree.elements(withClass: "column-axis-title").first?.text == "Predicted label")
        #expect(tree.elements(withClass: "title").first?.text == "Confusion matrix")
        #expect(!tree.texts(inside: "color-bar-ticks").isEmpty)
        #expect(heatmap.svg() == svg)
    }

    @Test("cell text contrasts with its cell")
    func contrast() throws {
        let heatmap = Heatmap.confusionMatrix(Self.confusionCounts(), classNames: Self.classNames)
        let tree = try XMLTree(heatmap.svg())
        let cells = tree.elements(named: "rect", className: "cell")
        let texts = tree.elements(named: "text").filter { $0.ancestorClasses.contains("values") }
        for (cell, text) in zip(cells, texts) {
            let background = try #require(cell.attributes["fill"].flatMap(Self.color))
            let foreground = try #require(text.attributes["fill"].flatMap(Self.color))
            #expect(background.contrastRatio(with: foreground) >= 3, "\(cell.attributes) vs \(text.attributes)")
        }
        // The diagonal is dark, so its text is white.
        #expect(texts.first?.attributes["fill"] == "#ffffff")
    }

    @Test("rectangular grids, NaN cells and formats")
    func general() throws {
        let heatmap = Heatmap(
            title: "Grid search", values: [[0.91, 0.935, 0.95], [0.92, .nan, 0.97]],
            rowLabels: ["lr 0.01", "lr 0.1"], columnLabels: ["16", "64", "256"],
            rowAxisTitle: "Learning rate", columnAxisTitle: "Hidden units", valueFormat: .percent(decimals: 1))
        let tree = try XMLTree(heatmap.svg())
        #expect(tree.elements(named: "rect", className: "cell").count == 6)
        #expect(tree.texts(inside: "values") == ["91.0%", "93.5%", "95.0%", "92.0%", "97.0%"])
        #expect(tree.texts(inside: "row-labels") == ["lr 0.01", "lr 0.1"])
    }

    @Test("colours run from the first stop to near the last")
    func colors() {
        let heatmap = Heatmap(title: "", values: [[0, 10]], rowLabels: ["a"], columnLabels: ["x", "y"])
        #expect(heatmap.color(for: 0) == Palette.blues[0])
        #expect(heatmap.color(for: 10) == Palette.blues[8])
        #expect(heatmap.color(for: 0).relativeLuminance > heatmap.color(for: 5).relativeLuminance)
    }

    /// Parses `#rrggbb`.
    static func color(_ text: String) -> Color? {
        guard text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) else { return nil }
        return Color(hex: value)
    }
}
