import Foundation
import Testing
@testable import Reporting

@Suite("Labelled image grid")
struct LabeledImageGridTests {
    @Test("the SVG embeds the grid as PNG and labels its rows and columns")
    func labelledGrid() throws {
        var grid = ImageGrid(rows: 3, columns: 4, tileWidth: 5, tileHeight: 5, padding: 1, scale: 3)
        for row in 0..<3 {
            for column in 0..<4 {
                grid.setTile(row: row, column: column, intensities: [Float](repeating: Float(row + column) / 6, count: 25))
            }
        }
        let labels = ["original", "relu <autoencoder>", "identity & co"]
        let svg = LabeledImageGrid(grid: grid, title: "Reconstructions", rowLabels: labels,
                                   columnLabels: ["1", "2", "3", "4"]).svg()
        let tree = try XMLTree(svg)
        #expect(tree.texts(inside: "row-labels") == labels)
        #expect(tree.texts(inside: "column-labels") == ["1", "2", "3", "4"])
        let image = try #require(tree.elements(named: "image").first)
        #expect(image.attributes["width"] == String(grid.pixelWidth))
        #expect(image.attributes["height"] == String(grid.pixelHeight))
        let href = try #require(image.attributes["href"])
        #expect(image.attributes["xlink:href"] == href)
        let prefix = "data:image/png;base64,"
        #expect(href.hasPrefix(prefix))
        let png = try #require(Data(base64Encoded: String(href.dropFirst(prefix.count))))
        #expect(Array(png) == grid.image().encoded())
        // Row labels sit at the vertical centres of the tile rows.
        let rowY = tree.elements(named: "text").filter { $0.ancestorClasses.contains("row-labels") }
            .compactMap { $0.attributes["y"].flatMap(Double.init) }
        #expect(rowY.count == 3)
        #expect(abs((rowY[1] - rowY[0]) - Double(5 * 3 + 1)) < 0.02)
    }
}
