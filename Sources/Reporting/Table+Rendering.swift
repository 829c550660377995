extension Table {
    /// The table as GitHub-flavoured Markdown: an optional bold title line, then a pipe table
    /// whose delimiter row encodes the alignment (`:--`, `:-:`, `--:`). Cells are escaped with
    /// ``Markup/escapeMarkdown(_:)`` and padded so the source lines up too.
    public func markdown() -> String {
        guard !columns.isEmpty else { return title.isEmpty ? "" : "**\(Markup.escapeMarkdown(title))**\n" }
        let escape = { (text: String) in Markup.escapeMarkdown(Self.singleLine(text)) }
        let widths = columnWidths(escape).map { max($0, 3) }
        var lines = [String]()
        if !title.isEmpty {
            lines.append("**\(escape(title))**")
            lines.append("")
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { index, cell in
                Self.pad(escape(cell), to: widths[index], alignment: columns[index].alignment)
            }.joined(separator: " | ") + " |"
        }
        lines.append(line(headers))
        lines.append("| " + columns.enumerated().map { index, column in
            let dashes = String(repeating: "-", count: widths[index] - 1)
            switch column.alignment {
            case .left: return ":" + dashes
            case .right: return dashes + ":"
            case .center: return ":" + String(repeating: "-", count: widths[index] - 2) + ":"
            }
        }.joined(separator: " | ") + " |")
        for row in rows { lines.append(line(row)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table for a terminal, drawn with box-drawing characters:
    ///
    ///     Test accuracy
    ///     ┌───────────┬──────────┐
    ///     │ Model     │ Accuracy │
    ///     ├───────────┼──────────┤
    ///     │ relu (64) │   97.31% │
    ///     └───────────┴──────────┘
    public func plainText() -> String {
        guard !columns.isEmpty else { return title.isEmpty ? "" : title + "\n" }
        let widths = columnWidths(Self.singleLine)
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
        }
        func line(_ cells: [String], alignments: [Alignment]) -> String {
            "│ " + cells.enumerated().map { index, cell in
                Self.pad(Self.singleLine(cell), to: widths[index], alignment: alignments[index])
            }.joined(separator: " │ ") + " │"
        }
        var lines = [String]()
        if !title.isEmpty { lines.append(Self.singleLine(title)) }
        lines.append(rule("┌", "┬", "┐"))
        lines.append(line(headers, alignments: columns.map(\.alignment)))
        lines.append(rule("├", "┼", "┤"))
        for row in rows { lines.append(line(row, alignments: columns.map(\.alignment))) }
        lines.append(rule("└", "┴", "┘"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as an HTML `<table>` (well-formed XML too): the title as `<caption>`, headers in
    /// `<thead>`, cells in `<tbody>`, alignment as a `class` (`align-left`, `align-center`,
    /// `align-right`) and an inline `text-align` so it holds without the report's style sheet.
    public func html() -> String {
        html(captionMarkup: Markup.escape(title))
    }

    /// The HTML table with `captionMarkup` (already escaped markup) as its caption.
    func html(captionMarkup: String) -> String {
        var text = "<table>\n"
        if !captionMarkup.isEmpty { text += "<caption>\(captionMarkup)</caption>\n" }
        func attributes(_ alignment: Alignment) -> String {
            " class=\"align-\(alignment.rawValue)\" style=\"text-align: \(alignment.rawValue)\""
        }
        text += "<thead><tr>"
        for column in columns {
            text += "<th scope=\"col\"\(attributes(column.alignment))>\(Markup.escape(column.header))</th>"
        }
        text += "</tr></thead>\n<tbody>\n"
        for row in rows {
            text += "<tr>"
            for (index, cell) in row.enumerated() {
                text += "<td\(attributes(columns[index].alignment))>\(Markup.escape(cell))</td>"
            }
            text += "</tr>\n"
        }
        text += "</tbody>\n</table>\n"
        return text
    }
}
