import MLPCore

/// Reads a table from CSV with a header row that names the columns: the target columns chosen by
/// name, the features by name or all the other columns, and optionally a column of sample weights.
///
/// Cells are separated by commas and may be double-quoted (`""` inside quotes is a quote);
/// surrounding spaces, blank lines, a UTF-8 byte-order mark and CRLF line ends are accepted, and
/// the file may be gzip-compressed. Feature, weight and numeric target cells must be finite
/// numbers: an empty or non-numeric cell is refused with its line and column (lines count from 1,
/// the header being line 1). Class labels may be any text.
public struct TabularCSVReader: Sendable {
    /// The target columns, by name (none for an autoencoder's data or for inputs to predict).
    public var targetColumns: [String]
    /// How the targets are read: labels (any text, one column) or numbers.
    public var targetKind: TabularData.TargetKind
    /// The feature columns, by name; `nil` takes every column that is not a target or the weight.
    public var featureColumns: [String]?
    /// A column of per-row sample weights, by name.
    public var weightColumn: String?
    /// Columns left out of the features when ``featureColumns`` is `nil`, if the header has them
    /// (a model's targets, in a file it predicts from).
    public var ignoredColumns: [String] = []

    public init(targetColumns: [String] = [], targetKind: TabularData.TargetKind = .labels,
                featureColumns: [String]? = nil, weightColumn: String? = nil) {
        self.targetColumns = targetColumns
        self.targetKind = targetKind
        self.featureColumns = featureColumns
        self.weightColumn = weightColumn
    }

    /// The table in the CSV file at `path` (raw or gzip-compressed), with its sample weights when
    /// ``weightColumn`` names one.
    public func read(at path: String) throws(DatasetError) -> TabularData {
        try parse(DatasetFile.readContent(at: path), source: path)
    }

    /// Parses CSV bytes; `source` names them in errors.
    public func parse(_ bytes: [UInt8], source: String) throws(DatasetError) -> TabularData {
        var lines = CSVLines(bytes: bytes)
        guard let (_, headerCells) = lines.next() else {
            if let failure = lines.failure { throw .tableMismatch("\(source):\(failure.line): \(failure.problem)") }
            throw .csvEmpty(path: source)
        }
        let header = headerCells.map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = header.firstIndex(of: "") {
            throw .invalidHeader(path: source, problem: "column \(empty + 1) of the header has no name")
        }
        var position = [String: Int]()
        for (index, name) in header.enumerated() {
            if position[name] != nil { throw .invalidHeader(path: source, problem: "the header names \"\(name)\" twice") }
            position[name] = index
        }
        func column(_ name: String) throws(DatasetError) -> Int {
            guard let index = position[name] else { throw .unknownColumn(path: source, name: name, available: header) }
            return index
        }
        var targetIndices = [Int]()
        for name in targetColumns {
            let index = try column(name)
            if targetIndices.contains(index) { throw .tableMismatch("\(source): the target column \"\(name)\" is named twice") }
            targetIndices.append(index)
        }
        if targetKind == .labels && targetIndices.count > 1 {
            throw .tableMismatch("\(source): a classifier takes one label column, got \(targetColumns.count)")
        }
        let weightIndex: Int? = try weightColumn.map { (name) throws(DatasetError) in try column(name) }
        if let weightIndex, targetIndices.contains(weightIndex) {
            throw .tableMismatch("\(source): column \"\(header[weightIndex])\" cannot be both a target and the weight")
        }
        var featureIndices = [Int]()
        if let featureColumns {
            for name in featureColumns {
                let index = try column(name)
                if targetIndices.contains(index) || index == weightIndex {
                    throw .tableMismatch("\(source): column \"\(name)\" cannot be both a feature and a target or the weight")
                }
                if featureIndices.contains(index) { throw .tableMismatch("\(source): the feature column \"\(name)\" is named twice") }
                featureIndices.append(index)
            }
        } else {
            let ignored = Set(ignoredColumns.compactMap { position[$0] })
            featureIndices = header.indices.filter { !targetIndices.contains($0) && $0 != weightIndex && !ignored.contains($0) }
        }
        guard !featureIndices.isEmpty else { throw .tableMismatch("\(source): no feature columns are left") }

        var features = [Float](), targetValues = [Float](), labels = [String](), weights = [Float]()
        func number(_ cells: [String], _ index: Int, line: Int) throws(DatasetError) -> Float {
            let text = cells[index].trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value.isFinite, Float(value).isFinite else {
                throw .csvInvalidCell(path: source, line: line, column: index + 1, name: header[index], text: text)
            }
            return Float(value)
        }
        while let (line, cells) = lines.next() {
            guard cells.count == header.count else {
                let detail = cells.count < header.count ? "no cell for column \(cells.count + 1) (\(header[cells.count]))"
                    : "a cell past the last column (\(header[header.count - 1]))"
                throw .tableMismatch("\(source):\(line): the row has \(cells.count) cells, the header \(header.count): \(detail)")
            }
            for index in featureIndices { features.append(try number(cells, index, line: line)) }
            if let weightIndex { weights.append(try number(cells, weightIndex, line: line)) }
            switch targetKind {
            case .values:
                for index in targetIndices { targetValues.append(try number(cells, index, line: line)) }
            case .labels:
                if let index = targetIndices.first {
                    let label = cells[index].trimmingCharacters(in: .whitespaces)
                    guard !label.isEmpty else {
                        throw .csvInvalidCell(path: source, line: line, column: index + 1, name: header[index], text: "")
                    }
                    labels.append(label)
                }
            }
        }
        if let failure = lines.failure { throw .tableMismatch("\(source):\(failure.line): \(failure.problem)") }
        guard !features.isEmpty else { throw .csvEmpty(path: source) }
        let targets: TabularData.Targets = targetIndices.isEmpty ? .none : targetKind == .labels ? .labels(labels) : .values(targetValues)
        let table = TabularData(name: source, featureNames: featureIndices.map { header[$0] }, features: features,
                          targetNames: targetIndices.map { header[$0] }, targets: targets)
        return weightIndex == nil ? table : table.weighted(weights)
    }
}

/// The records of CSV text, one array of cells per non-blank line, with the line number it starts on.
struct CSVLines {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    /// A quoted cell left open at the end of the text.
    var failure: (line: Int, problem: String)?

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func next() -> (line: Int, cells: [String])? {
        while index < bytes.count {
            let start = line
            var cells = [String](), cell = [UInt8](), quoted = false, blank = true
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                            cell.append(byte)
                            index += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        cell.append(byte)
                    }
                    continue
                }
                if byte == UInt8(ascii: "\n") { line += 1; break }
                if byte == UInt8(ascii: "\r") { continue }
                blank = blank && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t"))
                if byte == UInt8(ascii: ",") {
                    cells.append(String(decoding: cell, as: UTF8.self))
                    cell.removeAll(keepingCapacity: true)
                } else if byte == UInt8(ascii: "\"") && cell.allSatisfy({ $0 == UInt8(ascii: " ") }) {
                    quoted = true
                    cell.removeAll(keepingCapacity: true)
                    blank = false
                } else {
                    cell.append(byte)
                }
            }
            if quoted {
                failure = (start, "a quoted cell is never closed")
                index = bytes.count
                return nil
            }
            if blank && cells.isEmpty { continue }
            cells.append(String(decoding: cell, as: UTF8.self))
            return (start, cells)
        }
        return nil
    }
}
