import Testing
@testable import Reporting

@Suite("Tables")
struct TableTests {
    static func sample() -> Table {
        var table = Table(title: "Test accuracy", headers: ["Model", "Layers", "Accuracy"],
                          alignments: [.left, .center, .right])
        table.addRow(["relu", "(64,)", "97.31%"])
        table.addRow(["sigmoid | logistic", "(128, 64)", "96.02%"])
        table.addRow(["tanh"])
        return table
    }

    @Test("short rows are padded")
    func padding() {
        let table = Self.sample()
        #expect(table.rows.count == 3)
        #expect(table.rows.allSatisfy { $0.count == 3 })
        #expect(table.rows[2] == ["tanh", "", ""])
    }

    @Test("Markdown: a header, an alignment row and one line per row, each with every column")
    func markdown() {
        let text = Self.sample().markdown()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "**Test accuracy**")
        let tableLines = lines.filter { $0.hasPrefix("|") }
        #expect(tableLines.count == 2 + 3)
        for line in tableLines {
            // Count the pipes that are not escaped.
            var pipes = 0
            var previous: Character = " "
            for character in line {
                if character == "|" && previous != "\\" { pipes += 1 }
                previous = character
            }
            #expect(pipes == 4, "\(line)")
        }
        let delimiter = tableLines[1].split(separator: "|").map { $0.filter { $0 != " " } }
        #expect(delimiter[0].hasPrefix(":") && !delimiter[0].hasSuffix(":"))
        #expect(delimiter[1].hasPrefix(":") && delimiter[1].hasSuffix(":"))
        #expect(!delimiter[2].hasPrefix(":") && delimiter[2].hasSuffix(":"))
        #expect(text.contains("sigmoid \\| logistic"))
        // Columns line up in the source too.
        #expect(Set(tableLines.map(\.count)).count == 1)
    }

    @Test("plain text: a box with equal-width lines and one line per row")
    func plainText() {
        let text = Self.sample().plainText()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Test accuracy")
        let box = Array(lines.dropFirst())
        #expect(box.count == 3 + 1 + 3)  // top rule, header, rule, rows, bottom rule
        #expect(Set(box.map(\.count)).count == 1)
        #expect(box[0].hasPrefix("┌") && box.last?.hasPrefix("└") == true)
        #expect(box[1].contains("Model") && box[1].hasPrefix("│"))
        #expect(box[3].contains("  97.31% │"))  // right-aligned
        #expect(box.filter { $0.hasPrefix("│") }.allSatisfy { $0.filter { $0 == "│" }.count == 4 })
    }

    @Test("HTML: caption, header cells and body cells, escaped, well-formed")
    func html() throws {
        var table = Self.sample()
        table.addRow(["<b>bold</b> & co", "x", "y"])
        let tree = try XMLTree(table.html())
        #expect(tree.elements(named: "caption").first?.text == "Test accuracy")
        #expect(tree.elements(named: "th").count == 3)
        #expect(tree.elements(named: "tr").count == 1 + 4)
        #expect(tree.elements(named: "td").count == 4 * 3)
        #expect(tree.elements(named: "td").last?.attributes["class"] == "align-right")
        #expect(tree.elements(named: "td")[9].text == "<b>bold</b> & co")
        #expect(tree.elements(named: "b").isEmpty)
    }

    @Test("a table without rows still renders its header")
    func emptyTable() throws {
        let table = Table(headers: ["A", "B"])
        #expect(table.markdown().split(separator: "\n").count == 2)
        #expect(table.plainText().split(separator: "\n").count == 4)
        #expect(try XMLTree(table.html()).elements(named: "td").isEmpty)
    }
}
