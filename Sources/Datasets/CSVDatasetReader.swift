import MLPCore

/// Reads images from CSV in the Kaggle layout: one image per line, `label,pixel1,…,pixelN`, with
/// or without a header row; or, for prediction, `pixel1,…,pixelN` without labels.
///
/// The reader parses bytes directly (no `String` per cell), so 60,000 MNIST rows take well under a
/// second in a release build. Cells are whole numbers; surrounding spaces, double quotes and a
/// zero fraction (`"12"`, ` 12 `, `12.0`) are accepted; blank lines, a UTF-8 byte-order mark and
/// CRLF line ends are too. Errors name the file, the line and the column (both counted from 1,
/// the header being line 1 when there is one).
public struct CSVDatasetReader: Sendable {
    /// Whether the first line is a header row.
    public enum HeaderRow: Sendable, Equatable {
        /// A header when the first cell of the first line does not start a number (`label`).
        case automatic
        /// The first line is a header and is skipped.
        case present
        /// Every line is data.
        case absent
    }

    /// Whether each row starts with a label.
    public enum LabelColumn: Sendable, Equatable {
        /// Every row is `label,pixel1,…,pixelN`.
        case present
        /// Every row is `pixel1,…,pixelN`; the dataset's labels are all 0.
        case absent
        /// Decided by the first data row: `N` cells mean no labels, `N + 1` a label column.
        case automatic
    }

    /// The height of each image.
    public var imageHeight: Int
    /// The width of each image; a row holds a label and `imageHeight × imageWidth` pixels.
    public var imageWidth: Int
    /// The class names in label order; labels must be in `0..<classNames.count`.
    public var classNames: [String]
    /// Whether the first line is a header.
    public var headerRow: HeaderRow
    /// Whether rows start with a label (default: they do).
    public var labelColumn: LabelColumn = .present
    /// The normalization given to the datasets read.
    public var normalization: InputScaling

    /// A reader of `label` plus `imageHeight × imageWidth` pixels per row (28×28 and ten numeric
    /// classes by default, as Kaggle's MNIST and Fashion-MNIST CSV files).
    public init(
        imageHeight: Int = 28, imageWidth: Int = 28, classNames: [String] = Dataset.numericClassNames(10),
        headerRow: HeaderRow = .automatic, normalization: InputScaling = .unitInterval
    ) {
        precondition(imageHeight > 0 && imageWidth > 0, "invalid image shape \(imageHeight)×\(imageWidth)")
        precondition((1...256).contains(classNames.count), "\(classNames.count) classes; byte labels allow 1…256")
        self.imageHeight = imageHeight
        self.imageWidth = imageWidth
        self.classNames = classNames
        self.headerRow = headerRow
        self.normalization = normalization
    }

    /// Reads the CSV file at `path` (raw or gzip-compressed).
    /// - Throws: the file errors of ``DatasetFile/readContent(at:)`` and the CSV errors of
    ///   ``parse(_:source:name:)``.
    public func read(at path: String, name: String? = nil) throws(DatasetError) -> Dataset {
        try parse(DatasetFile.readContent(at: path), source: path, name: name ?? path)
    }

    /// Parses CSV bytes; `source` names them in errors.
    /// - Throws: ``DatasetError/csvInvalidNumber(path:line:column:text:)``,
    ///   ``DatasetError/csvWrongWidth(path:line:columnCount:expected:labelled:)``,
    ///   ``DatasetError/csvLabelOutOfRange(path:line:column:value:classCount:)``,
    ///   ``DatasetError/csvPixelOutOfRange(path:line:column:value:)`` or
    ///   ``DatasetError/csvEmpty(path:)``.
    public func parse(_ bytes: [UInt8], source: String, name: String = "CSV") throws(DatasetError) -> Dataset {
        let featureCount = imageHeight * imageWidth
        let result: Result<(pixels: [UInt8], labels: [UInt8]), DatasetError> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(
                buffer: buffer, source: source, featureCount: featureCount, classCount: classNames.count)
            return Result(catching: { () throws(DatasetError) in try scanner.scan(headerRow: headerRow, labelColumn: labelColumn) })
        }
        let (pixels, labels) = try result.get()
        guard !labels.isEmpty else { throw .csvEmpty(path: source) }
        return Dataset(
            uncheckedName: name, pixels: pixels, labels: labels, imageHeight: imageHeight,
            imageWidth: imageWidth, classNames: classNames, normalization: normalization)
    }
}

/// The byte-level CSV parser behind ``CSVDatasetReader``.
private struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    let featureCount: Int
    let classCount: Int
    /// The next byte to read.
    var position = 0
    /// The line of `position`, from 1.
    var line = 1
    /// Whether rows start with a label (decided in ``scan(headerRow:labelColumn:)``).
    var hasLabel = true

    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let quote = UInt8(ascii: "\"")
    private static let zero = UInt8(ascii: "0")
    private static let minus = UInt8(ascii: "-")
    private static let point = UInt8(ascii: ".")

    init(buffer: UnsafeBufferPointer<UInt8>, source: String, featureCount: Int, classCount: Int) {
        self.bytes = buffer
        self.source = source
        self.featureCount = featureCount
        self.classCount = classCount
    }

    mutating func scan(
        headerRow: CSVDatasetReader.HeaderRow, labelColumn: CSVDatasetReader.LabelColumn
    ) throws(DatasetError) -> (pixels: [UInt8], labels: [UInt8]) {
        // A UTF-8 byte-order mark.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipBlankLines()
        let hasHeader: Bool
        switch headerRow {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .automatic: hasHeader = !firstCellStartsANumber()
        }
        if hasHeader { skipLine() }
        switch labelColumn {
        case .present: hasLabel = true
        case .absent: hasLabel = false
        case .automatic:
            skipBlankLines()
            hasLabel = commasLeftOnLine() &+ 1 != featureCount
        }

        // One row per remaining line at most, and no more rows than the remaining bytes can hold
        // (every cell takes a digit and a separator): the buffers are sized once, and never
        // beyond the input's own size, whatever its lines hold.
        let cellsPerRow = featureCount &+ (hasLabel ? 1 : 0)
        let rowCapacity = Swift.min(countNewlines(from: position) &+ 1,
                                    (bytes.count &- position) / Swift.max(2 &* cellsPerRow, 1) &+ 1)
        let width = featureCount
        var pixels = [UInt8](repeating: 0, count: rowCapacity &* width)
        var labels = [UInt8](repeating: 0, count: rowCapacity)
        var rowCount = 0
        try pixels.withUnsafeMutableBufferPointer { (pixelBuffer) throws(DatasetError) in
            guard let pixelBase = pixelBuffer.baseAddress else { return }
            while true {
                skipBlankLines()
                if position >= bytes.count { break }
                let label = try scanRow(into: pixelBase + rowCount &* width)
                labels[rowCount] = label
                rowCount &+= 1
            }
        }
        pixels.removeSubrange((rowCount &* width)...)
        labels.removeSubrange(rowCount...)
        return (pixels, labels)
    }

    /// Parses one row, writing its pixels to `destination`, and returns its label; leaves
    /// `position` at the start of the next line.
    private mutating func scanRow(into destination: UnsafeMutablePointer<UInt8>) throws(DatasetError) -> UInt8 {
        let expectedColumns = featureCount &+ (hasLabel ? 1 : 0)
        let firstPixelColumn = hasLabel ? 1 : 0
        var column = 0
        var label: UInt8 = 0
        let count = bytes.count
        while true {
            // The fast path: up to three plain digits, then a comma or a newline (nearly every cell
            // of a Kaggle file). Anything else is parsed again by the general `scanCell`.
            var value = 0
            var probe = position
            while probe < count && probe &- position < 4 {
                let digit = bytes[probe] &- CSVScanner.zero
                if digit > 9 { break }
                value = value &* 10 &+ Int(digit)
                probe &+= 1
            }
            let digitCount = probe &- position
            if digitCount > 0 && digitCount < 4
                && (probe == count || bytes[probe] == CSVScanner.comma || bytes[probe] == CSVScanner.newline) {
                position = probe
            } else {
                value = try scanCell()
            }
            if column < firstPixelColumn {
                guard value >= 0 && value < classCount else {
                    throw .csvLabelOutOfRange(path: source, line: line, column: 1, value: value, classCount: classCount)
                }
                label = UInt8(truncatingIfNeeded: value)
            } else {
                guard value >= 0 && value <= 255 else {
                    throw .csvPixelOutOfRange(path: source, line: line, column: column &+ 1, value: value)
                }
                destination[column &- firstPixelColumn] = UInt8(truncatingIfNeeded: value)
            }
            column &+= 1
            // After a cell: a comma, or the end of the line.
            if position < bytes.count && bytes[position] == CSVScanner.comma {
                position &+= 1
                if column == expectedColumns {
                    // Too many cells, whatever they hold: count them for the message.
                    throw .csvWrongWidth(path: source, line: line, columnCount: column &+ 1 &+ commasLeftOnLine(),
                                         expected: expectedColumns, labelled: hasLabel)
                }
                continue
            }
            break
        }
        guard column == expectedColumns else {
            throw .csvWrongWidth(path: source, line: line, columnCount: column, expected: expectedColumns, labelled: hasLabel)
        }
        endLine()
        return label
    }

    /// Parses one cell and leaves `position` on the comma or line end after it. Values saturate
    /// far outside the valid range, so an overlong number reads as out of range, not as garbage.
    @inline(never)
    private mutating func scanCell() throws(DatasetError) -> Int {
        let cellStart = position
        let count = bytes.count
        skipSpaces()
        var quoted = false
        if position < count && bytes[position] == CSVScanner.quote {
            quoted = true
            position &+= 1
        }
        var negative = false
        if position < count && bytes[position] == CSVScanner.minus {
            negative = true
            position &+= 1
        }
        var value = 0
        var digitCount = 0
        while position < count {
            let digit = bytes[position] &- CSVScanner.zero
            if digit > 9 { break }
            if value < 1_000_000_000 { value = value &* 10 &+ Int(digit) }
            digitCount &+= 1
            position &+= 1
        }
        if digitCount > 0 && position < count && bytes[position] == CSVScanner.point {
            // A fraction is accepted only when it is zero: "12.0" is 12, "12.5" is not whole.
            position &+= 1
            while position < count && bytes[position] == CSVScanner.zero { position &+= 1 }
        }
        if quoted {
            if position < count && bytes[position] == CSVScanner.quote {
                position &+= 1
            } else {
                digitCount = 0
            }
        }
        skipSpaces()
        let atEnd = position >= count || bytes[position] == CSVScanner.comma
            || bytes[position] == CSVScanner.newline
            || (bytes[position] == CSVScanner.carriageReturn
                && (position &+ 1 >= count || bytes[position &+ 1] == CSVScanner.newline))
        guard digitCount > 0 && atEnd else {
            throw .csvInvalidNumber(path: source, line: line, column: columnNumber(of: cellStart),
                                    text: cellText(from: cellStart))
        }
        return negative ? -value : value
    }

    /// The number of commas between `position` and the end of its line.
    private func commasLeftOnLine() -> Int {
        var probe = position
        var commas = 0
        while probe < bytes.count && bytes[probe] != CSVScanner.newline {
            if bytes[probe] == CSVScanner.comma { commas &+= 1 }
            probe &+= 1
        }
        return commas
    }

    /// The 1-based column of the cell starting at `offset`: one more than the commas before it on its line.
    private func columnNumber(of offset: Int) -> Int {
        var start = offset
        var commas = 0
        while start > 0 && bytes[start &- 1] != CSVScanner.newline {
            start &-= 1
            if bytes[start] == CSVScanner.comma { commas &+= 1 }
        }
        return commas &+ 1
    }

    /// The text of the cell starting at `offset`, up to the next comma or line end (at most 40 bytes).
    private func cellText(from offset: Int) -> String {
        var end = offset
        while end < bytes.count && end &- offset < 40 && bytes[end] != CSVScanner.comma
            && bytes[end] != CSVScanner.newline && bytes[end] != CSVScanner.carriageReturn {
            end &+= 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
    }

    private mutating func skipSpaces() {
        while position < bytes.count && (bytes[position] == CSVScanner.space || bytes[position] == CSVScanner.tab) {
            position &+= 1
        }
    }

    /// Moves past the line end at `position` (`\n` or `\r\n`), if any.
    private mutating func endLine() {
        if position < bytes.count && bytes[position] == CSVScanner.carriageReturn { position &+= 1 }
        if position < bytes.count && bytes[position] == CSVScanner.newline {
            position &+= 1
            line &+= 1
        }
    }

    /// Moves to the start of the next line.
    private mutating func skipLine() {
        while position < bytes.count && bytes[position] != CSVScanner.newline { position &+= 1 }
        if position < bytes.count {
            position &+= 1
            line &+= 1
        }
    }

    /// Moves past lines that hold only spaces, tabs and a line end.
    private mutating func skipBlankLines() {
        while true {
            var probe = position
            while probe < bytes.count && (bytes[probe] == CSVScanner.space || bytes[probe] == CSVScanner.tab
                                          || bytes[probe] == CSVScanner.carriageReturn) {
                probe &+= 1
            }
            if probe >= bytes.count {
                position = probe
                return
            }
            guard bytes[probe] == CSVScanner.newline else { return }
            position = probe &+ 1
            line &+= 1
        }
    }

    /// Whether the first cell at `position` starts a number (after spaces and a quote).
    private func firstCellStartsANumber() -> Bool {
        var probe = position
        while probe < bytes.count && (bytes[probe] == CSVScanner.space || bytes[probe] == CSVScanner.tab
                                      || bytes[probe] == CSVScanner.quote) {
            probe &+= 1
        }
        guard probe < bytes.count else { return true }
        return bytes[probe] &- CSVScanner.zero <= 9 || bytes[probe] == CSVScanner.minus
    }

    private func countNewlines(from start: Int) -> Int {
        var count = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == CSVScanner.newline { count &+= 1 }
            index &+= 1
        }
        return count
    }
}
