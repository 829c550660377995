import Foundation
import Testing
@testable import Reporting

@Suite("Reports")
struct ReportTests {
    static func sample() -> Report {
        var table = Table(title: "Accuracy", headers: ["Model", "Accuracy"], alignments: [.left, .right])
        table.addRow(["relu", "97.3%"])
        table.addRow(["tanh <fast>", "96.1%"])
        let chart = LineChart(title: "Loss", xLabel: "Epoch", yLabel: "Loss",
                              series: [.init(name: "train", values: [2, 1, 0.5]), .init(name: "val", values: [2.1, 1.2, 0.7])])
        let heatmap = Heatmap.confusionMatrix([[5, 1], [2, 7]], classNames: ["cat", "dog"])
        var grid = ImageGrid(rows: 2, columns: 2, tileWidth: 3, tileHeight: 3, padding: 1, scale: 2)
        grid.setTile(row: 0, column: 0, pixels: [UInt8](repeating: 0, count: 9))

        var report = Report(
            title: "Experiments & <results>", subtitle: "mlp run --seed 42",
            configuration: [("Epochs", "50"), ("Learning rate", "0.001"), ("Note", "a \"quoted\" <value>")])
        var first = Report.Section(title: "Activation functions", duration: 83.25)
        first.add(.paragraph("ReLU converges fastest. <script>alert(1)</script>"))
        first.add(.table(table))
        first.add(.figure(.init(svg: chart.svg(), fileName: "loss.svg", caption: "Loss per epoch")))
        first.add(.figure(.init(svg: heatmap.svg(), fileName: "confusion matrix.svg", caption: "Confusion matrix")))
        report.sections.append(first)
        var second = Report.Section(title: "Samples", duration: 2.5)
        second.add(.heading("Grid"))
        second.add(.figure(.init(png: grid.image(), fileName: "figures/grid.png", caption: "Samples")))
        second.add(.list(["one", "two & three"]))
        second.add(.keyValues([("Bottleneck", "32")]))
        second.add(.preformatted(table.plainText()))
        report.sections.append(second)
        report.sections.append(Report.Section(title: "Activation functions"))
        return report
    }

    @Test("HTML is well-formed XML with every section, a table of contents and numbered captions")
    func htmlStructure() throws {
        let html = Self.sample().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let tree = try XMLTree(html)
        #expect(tree.root?.name == "html")
        #expect(tree.elements(named: "title").first?.text == "Experiments & <results>")
        #expect(tree.elements(named: "h1").first?.text == "Experiments & <results>")

        let headings = tree.elements(named: "h2").filter { $0.attributes["id"] != nil }
        #expect(headings.count == 4)  // configuration + three sections
        let ids = headings.compactMap { $0.attributes["id"] }
        #expect(ids == ["configuration", "activation-functions", "samples", "activation-functions-1"])
        let links = tree.elements(named: "a").compactMap { $0.attributes["href"] }
        #expect(links == ids.map { "#" + $0 })

        let sectionTitles = tree.elements(named: "span").filter { $0.ancestors.last == "h2" && $0.classes.isEmpty }
            .map(\.text)
        #expect(sectionTitles == ["Activation functions", "Samples", "Activation functions"])
        let durations = tree.elements(named: "span", className: "duration").map(\.text)
        #expect(durations == ["1 min 23 s", "2.50 s", "1 min 23 s", "2.50 s"])
        #expect(tree.elements(named: "p", className: "summary").first?.text == "3 sections · total time 1 min 26 s")

        #expect(tree.elements(named: "figure").count == 3)
        #expect(tree.elements(named: "svg").filter { $0.ancestors.contains("figure") }.count >= 2)
        let figureLabels = tree.elements(named: "span", className: "label").map(\.text)
        #expect(figureLabels == ["Table 1.", "Figure 1.", "Figure 2.", "Figure 3."])
        #expect(tree.elements(named: "h3").first?.text == "Grid")
        #expect(tree.elements(named: "li").filter { $0.ancestors.contains("ul") }.map(\.text) == ["one", "two & three"])
        #expect(tree.elements(named: "pre").count == 1)
        let configurationCells = tree.elements(named: "td").filter { _ in true }.map(\.text)
        #expect(configurationCells.contains("a \"quoted\" <value>"))
    }

    @Test("HTML is self-contained and escapes text")
    func htmlSelfContained() throws {
        let html = Self.sample().html()
        let tree = try XMLTree(html)
        #expect(tree.elements(named: "script").isEmpty)
        #expect(tree.elements(named: "link").isEmpty)
        #expect(tree.elements(named: "style").count == 1)
        #expect(html.contains("&lt;script&gt;"))
        for element in tree.elements {
            for attribute in ["src", "href", "xlink:href"] {
                guard let value = element.attributes[attribute] else { continue }
                #expect(value.hasPrefix("#") || value.hasPrefix("data:"), "\(element.name) \(attribute)=\(value.prefix(40))")
            }
        }
        let image = try #require(tree.elements(named: "img").first)
        #expect(image.attributes["src"]?.hasPrefix("data:image/png;base64,") == true)
        #expect(image.attributes["alt"] == "Samples")
        #expect(Self.sample().html() == html)
    }

    @Test("Markdown has the same content with figures linked by file name")
    func markdown() {
        let text = Self.sample().markdown()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# Experiments & \\<results\\>")
        #expect(lines.filter { $0.hasPrefix("## ") } ==
            ["## Contents", "## Configuration", "## Activation functions", "## Samples", "## Activation functions"])
        #expect(lines.contains("2. [Activation functions](#activation-functions) — 1 min 23 s"))
        #expect(lines.contains("4. [Activation functions](#activation-functions-1)"))
        #expect(lines.contains("![Loss per epoch](loss.svg)"))
        #expect(lines.contains("![Confusion matrix](confusion%20matrix.svg)"))
        #expect(lines.contains("![Samples](figures/grid.png)"))
        #expect(lines.contains("*Figure 3.* Samples"))
        #expect(lines.contains("**Table 1.** Accuracy"))
        #expect(lines.contains("*Duration: 2.50 s*"))
        #expect(lines.contains("### Grid"))
        #expect(lines.contains("- two & three"))
        #expect(text.contains("ReLU converges fastest. \\<script\\>alert(1)\\</script\\>"))
        #expect(lines.contains("| relu          |    97.3% |"))
        #expect(text.contains("```text\nAccuracy\n┌"))
        #expect(text.hasSuffix("## Activation functions\n"))
    }

    @Test("an SVG with an XML declaration is inlined without it")
    func xmlDeclaration() throws {
        var section = Report.Section(title: "Figure")
        section.add(.figure(.init(svg: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                                  fileName: "external.svg")))
        let tree = try XMLTree(Report(title: "External", sections: [section]).html())
        #expect(tree.elements(named: "svg").count == 1)
    }

    @Test("an empty report still renders")
    func emptyReport() throws {
        let report = Report(title: "Nothing")
        let tree = try XMLTree(report.html())
        #expect(tree.elements(named: "section").isEmpty)
        #expect(tree.elements(named: "nav").isEmpty)
        #expect(report.markdown() == "# Nothing\n\n*0 sections*\n")
        #expect(report.totalDuration == nil)
    }
}
