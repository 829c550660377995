/// Everything that can go wrong when reading, locating, splitting or downloading a dataset.
///
/// These are a user's mistakes or a broken environment, never a programmer's: each case names
/// the file (or URL) involved, and ``description`` is one line that the command-line tool prints
/// as it is.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Files

    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// `path` exists but is a directory (or another non-regular file) where a file should be.
    /// Something other than a regular file (`kind`: "a directory", "a FIFO", …).
    case notAFile(path: String, kind: String)
    /// The file exists but could not be read; `reason` is the system's message.
    case unreadableFile(path: String, reason: String)
    /// A gzip file ends before its end-of-stream marker.
    case truncatedCompressedFile(path: String)
    /// A gzip file holds invalid compressed data; `detail` is zlib's message.
    case corruptCompressedFile(path: String, detail: String)
    /// A file could not be written; `reason` is the system's message.
    case writeFailed(path: String, reason: String)

    // MARK: IDX

    /// The file is shorter than its IDX header (`byteCount` bytes where `expected` are needed).
    case truncatedHeader(path: String, byteCount: Int, expected: Int)
    /// The IDX magic number is not the one for the kind of file that was asked for.
    case wrongMagicNumber(path: String, found: UInt32, expected: UInt32)
    /// The header's sizes are unusable (a zero image side, or a product that overflows).
    case invalidDimensions(path: String, dimensions: [Int])
    /// The header promises `itemCount` items of `expectedBytes` in all, but only `foundBytes` follow it.
    case truncatedData(path: String, itemCount: Int, expectedBytes: Int, foundBytes: Int)
    /// More bytes follow the header than its sizes account for.
    case trailingBytes(path: String, expectedBytes: Int, foundBytes: Int)

    // MARK: Datasets

    /// The images and the labels describe different numbers of samples.
    case countMismatch(imagesSource: String, imageCount: Int, labelsSource: String, labelCount: Int)
    /// A label is not below the number of classes.
    case labelOutOfRange(source: String, sampleIndex: Int, label: Int, classCount: Int)

    // MARK: CSV

    /// The CSV file holds no data rows.
    case csvEmpty(path: String)
    /// A CSV cell is not a non-negative integer. `line` and `column` count from 1.
    case csvInvalidNumber(path: String, line: Int, column: Int, text: String)
    /// A CSV row has `columnCount` cells where `expected` are needed (with a label column first,
    /// unless `labelled` is false).
    case csvWrongWidth(path: String, line: Int, columnCount: Int, expected: Int, labelled: Bool = true)
    /// A CSV label is not in `0..<classCount`.
    case csvLabelOutOfRange(path: String, line: Int, column: Int, value: Int, classCount: Int)
    /// A CSV pixel is not in `0...255`.
    case csvPixelOutOfRange(path: String, line: Int, column: Int, value: Int)

    // MARK: Locating and fetching

    /// A named dataset was found in none of the places searched.
    case datasetNotFound(dataset: String, searched: [String], remedies: [String])
    /// A download failed before a complete response arrived.
    case downloadFailed(url: String, reason: String)
    /// The server answered with an HTTP status other than 200.
    case httpStatus(url: String, status: Int)
    /// A file's decompressed content does not have the published SHA-256.
    case checksumMismatch(file: String, url: String, expected: String, actual: String)

    // MARK: Tables (CSV with a header row, NPY)

    /// A `.npy` file whose header or size is not one that is read.
    case invalidNPY(path: String, problem: String)
    /// A table cell that is empty or not a finite number (`line` counts from 1, the header being 1).
    case csvInvalidCell(path: String, line: Int, column: Int, name: String, text: String)
    /// A column named in an option that the header does not have.
    case unknownColumn(path: String, name: String, available: [String])
    /// A header row that cannot name the columns (empty, or a name twice).
    case invalidHeader(path: String, problem: String)
    /// A feature that is NaN or infinite (an NPY array's; a CSV table's cells are checked as read).
    case nonFiniteFeature(source: String, row: Int, column: Int)
    /// Parts of one dataset that do not fit together (rows, columns, a test set's features).
    case tableMismatch(String)

    // MARK: Splits

    /// The requested split or folds cannot be made from the samples available.
    case invalidSplit(reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .notAFile(let path, let kind):
            return "\(path): is \(kind), not a regular file"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .truncatedCompressedFile(let path):
            return "\(path): gzip data is truncated (the stream ends before its end marker)"
        case .corruptCompressedFile(let path, let detail):
            return "\(path): gzip data is corrupt: \(detail)"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .truncatedHeader(let path, let byteCount, let expected):
            return "\(path): too short for an IDX header (\(byteCount) bytes, need at least \(expected))"
        case .wrongMagicNumber(let path, let found, let expected):
            return "\(path): wrong IDX magic number \(found) (\(hex(found))), expected \(expected) (\(hex(expected)))"
                + (IDXFile.Kind(rawValue: found).map { " (the file holds \($0.noun))" } ?? "")
        case .invalidDimensions(let path, let dimensions):
            return "\(path): unusable IDX dimensions \(dimensions.map(String.init).joined(separator: "×"))"
        case .truncatedData(let path, let itemCount, let expectedBytes, let foundBytes):
            return "\(path): the header promises \(itemCount) items (\(expectedBytes) bytes) "
                + "but the file holds only \(foundBytes) bytes of data"
        case .trailingBytes(let path, let expectedBytes, let foundBytes):
            return "\(path): \(foundBytes - expectedBytes) unexpected bytes after the \(expectedBytes) bytes of data "
                + "that the header describes"
        case .countMismatch(let imagesSource, let imageCount, let labelsSource, let labelCount):
            return "\(imagesSource) holds \(imageCount) images but \(labelsSource) holds \(labelCount) labels"
        case .labelOutOfRange(let source, let sampleIndex, let label, let classCount):
            return "\(source): label \(label) of sample \(sampleIndex) is outside 0..<\(classCount)"
        case .csvEmpty(let path):
            return "\(path): no data rows"
        case .csvInvalidNumber(let path, let line, let column, let text):
            return "\(path):\(line): column \(column): \"\(text)\" is not a whole number"
        case .csvWrongWidth(let path, let line, let columnCount, let expected, let labelled):
            let layout = labelled ? "a label and \(expected - 1) pixels" : "\(expected) pixels, no label, as in the first row"
            return "\(path):\(line): the row has \(columnCount) columns, expected \(expected) (\(layout))"
        case .csvLabelOutOfRange(let path, let line, let column, let value, let classCount):
            return "\(path):\(line): column \(column): label \(value) is outside 0..<\(classCount)"
        case .csvPixelOutOfRange(let path, let line, let column, let value):
            return "\(path):\(line): column \(column): pixel \(value) is outside 0...255"
        case .datasetNotFound(let dataset, let searched, let remedies):
            return "\(dataset) not found; looked in: " + searched.joined(separator: "; ")
                + ". To get it: " + remedies.joined(separator: ", or ")
        case .downloadFailed(let url, let reason):
            return "download of \(url) failed: \(reason)"
        case .httpStatus(let url, let status):
            return "download of \(url) failed: HTTP status \(status)"
        case .checksumMismatch(let file, let url, let expected, let actual):
            return "\(file) from \(url) has SHA-256 \(actual) once decompressed, expected \(expected); nothing was written"
        case .invalidNPY(let path, let problem):
            return oneLine("\(path): \(problem)")
        case .csvInvalidCell(let path, let line, let column, let name, let text):
            return oneLine("\(path):\(line): column \(column) (\(name.prefix(60))): "
                + (text.isEmpty ? "the cell is empty" : "\"\(text.prefix(40))\" is not a finite number"))
        case .unknownColumn(let path, let name, let available):
            let shown = available.prefix(12).map { $0.prefix(60) }.joined(separator: ", ") + (available.count > 12 ? ", …" : "")
            return oneLine("\(path): no column named \"\(name.prefix(60))\" (the header has: \(shown))")
        case .invalidHeader(let path, let problem):
            return oneLine("\(path):1: \(problem)")
        case .nonFiniteFeature(let source, let row, let column):
            return "\(oneLine(source)): feature \(column) of row \(row) is not a finite number"
        case .tableMismatch(let detail):
            return oneLine(detail)
        case .invalidSplit(let reason):
            return "invalid split: \(reason)"
        }
    }
}

/// `text` on one line: control characters (a newline in a quoted CSV cell or a column name) are
/// written as escapes (`\n`, `\u{1B}`).
private func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        guard isControl(scalar) else { result.unicodeScalars.append(scalar); continue }
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
    return result
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
