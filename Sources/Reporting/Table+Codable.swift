/// A table as JSON: its title, its columns (header and alignment) and its rows of cells.
///
///     {"title": "Test accuracy", "columns": [{"header": "Model", "alignment": "left"},
///      {"header": "Accuracy", "alignment": "right"}], "rows": [["relu (64)", "97.31%"]]}
///
/// Decoding checks what ``addRow(_:)`` guarantees: every row has one cell per column.
extension Table: Codable {
    private enum CodingKeys: String, CodingKey {
        case title, columns, rows
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let columns = try container.decode([Column].self, forKey: .columns)
        let rows = try container.decode([[String]].self, forKey: .rows)
        if let row = rows.firstIndex(where: { $0.count != columns.count }) {
            throw DecodingError.dataCorruptedError(
                forKey: .rows, in: container,
                debugDescription: "row \(row + 1) has \(rows[row].count) cells, not one for each of the \(columns.count) columns")
        }
        self.init(title: try container.decode(String.self, forKey: .title), columns: columns, rows: rows)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
    }
}
