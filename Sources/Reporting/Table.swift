/// A table of text cells with a title, column headers and per-column alignment, rendered as
/// GitHub Markdown (``markdown()``), as box-drawn plain text for the terminal (``plainText()``)
/// or as HTML (``html()``).
///
///     var table = Table(title: "Test accuracy", headers: ["Model", "Accuracy"], alignments: [.left, .right])
///     table.addRow(["relu (64)", NumberFormat.percent(0.9731)])
///     print(table.plainText())
public struct Table: Sendable, Equatable {
    /// How a column's cells are aligned.
    public enum Alignment: String, Sendable, Equatable, Codable {
        case left, center, right
    }

    /// A column: its header and alignment.
    public struct Column: Sendable, Equatable, Codable {
        /// The header text.
        public var header: String
        /// How the header and cells are aligned.
        public var alignment: Alignment

        /// A column titled `header`.
        public init(_ header: String, alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    /// The title, shown above the table; empty for none.
    public var title: String
    /// The columns, left to right.
    public let columns: [Column]
    /// The rows; each has exactly one cell per column.
    public private(set) var rows: [[String]]

    /// A table with `columns` and `rows`; short rows are padded with empty cells.
    public init(title: String = "", columns: [Column], rows: [[String]] = []) {
        self.title = title
        self.columns = columns
        self.rows = []
        for row in rows { addRow(row) }
    }

    /// A table whose columns are `headers`, aligned by `alignments` (left for missing ones).
    public init(title: String = "", headers: [String], alignments: [Alignment] = [], rows: [[String]] = []) {
        let columns = headers.enumerated().map { index, header in
            Column(header, alignment: index < alignments.count ? alignments[index] : .left)
        }
        self.init(title: title, columns: columns, rows: rows)
    }

    /// Appends a row. A row with fewer cells than columns is padded with empty cells; one with
    /// more is a programming error.
    public mutating func addRow(_ cells: [String]) {
        precondition(
            cells.count <= columns.count,
            "a row of \(cells.count) cells does not fit a table of \(columns.count) columns")
        rows.append(cells + Array(repeating: "", count: columns.count - cells.count))
    }

    /// The headers, left to right.
    public var headers: [String] { columns.map(\.header) }

    /// The display width of each column: the longest of its header and cells, in characters.
    func columnWidths(_ text: (String) -> String = { $0 }) -> [Int] {
        columns.indices.map { column in
            ([text(columns[column].header)] + rows.map { text($0[column]) }).map(Self.displayWidth).max() ?? 0
        }
    }

    /// The number of terminal columns `text` occupies (one per character; line breaks count as spaces).
    static func displayWidth(_ text: String) -> Int { text.count }

    /// `text` padded with spaces to `width` characters according to `alignment`.
    static func pad(_ text: String, to width: Int, alignment: Alignment) -> String {
        let missing = max(0, width - displayWidth(text))
        switch alignment {
        case .left: return text + String(repeating: " ", count: missing)
        case .right: return String(repeating: " ", count: missing) + text
        case .center:
            let before = missing / 2
            return String(repeating: " ", count: before) + text + String(repeating: " ", count: missing - before)
        }
    }

    /// `text` with line breaks folded into spaces, so it stays on one row.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
