import MLPCore

/// A NumPy `.npy` array of one or two dimensions, memory-mapped: its elements stay in the file
/// and are converted to `Float` a row at a time, so a multi-gigabyte array is not copied before
/// training.
///
/// The header is validated before anything else is believed: the magic string, format version 1,
/// 2 or 3, a little-endian (or single-byte) `descr` of `f4`, `f8`, `i1`, `i2`, `i4`, `i8`, `u1`,
/// `u2`, `u4`, `u8` or `b1`, `fortran_order` false (C order), and a shape whose element count
/// times the item size equals, without overflow, the bytes after the header.
public struct NPYArray: Sendable {
    /// The element types read.
    public enum ElementType: String, Sendable, CaseIterable {
        case float32 = "f4", float64 = "f8"
        case int8 = "i1", int16 = "i2", int32 = "i4", int64 = "i8"
        case uint8 = "u1", uint16 = "u2", uint32 = "u4", uint64 = "u8"
        case bool = "b1"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .int8, .uint8, .bool: return 1
            case .int16, .uint16: return 2
            case .float32, .int32, .uint32: return 4
            case .float64, .int64, .uint64: return 8
            }
        }

        /// Whether the values are whole numbers.
        public var isInteger: Bool { self != .float32 && self != .float64 }
    }

    /// The file, for messages.
    public let path: String
    /// The element type.
    public let elementType: ElementType
    /// The number of rows (the first dimension).
    public let rowCount: Int
    /// The number of columns: the second dimension, or 1 for a one-dimensional array.
    public let columnCount: Int
    /// The number of dimensions (1 or 2).
    public let dimensionCount: Int
    /// The whole file's bytes.
    private let storage: NPYBytes
    /// Where the data starts (after the header).
    private let dataOffset: Int

    /// The largest header read (NumPy's own headers are a few hundred bytes).
    public static let maximumHeaderLength = 65_536

    /// Maps and validates the `.npy` file at `path`.
    /// - Throws: ``DatasetError`` naming the file and what is wrong.
    public init(path: String) throws(DatasetError) {
        let file: MappedRegularFile
        do {
            file = try MappedRegularFile(path: path)
        } catch .missing {
            throw .fileNotFound(path: path)
        } catch .notARegularFile(let kind) {
            throw .notAFile(path: path, kind: kind)
        } catch {
            throw .unreadableFile(path: path, reason: error.description)
        }
        try self.init(storage: NPYBytes(file: file), path: path)
    }

    /// Validates the `.npy` file held in `bytes` (a copy is kept); `path` names it in messages.
    /// ``init(path:)`` reads a file the same way, in place.
    /// - Throws: ``DatasetError/invalidNPY(path:problem:)`` naming `path` and what is wrong.
    public init(bytes: [UInt8], path: String) throws(DatasetError) {
        try self.init(storage: NPYBytes(copying: bytes), path: path)
    }

    /// Validates the header of the file in `storage`.
    private init(storage: NPYBytes, path: String) throws(DatasetError) {
        let bytes = UnsafeRawBufferPointer(start: storage.start, count: storage.count)
        func invalid(_ problem: String) -> DatasetError { .invalidNPY(path: path, problem: problem) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 6, bytes.prefix(6).elementsEqual(magic) else {
            throw invalid("not a NumPy .npy file (no \\x93NUMPY magic string)")
        }
        guard bytes.count >= 10 else { throw invalid("the file ends inside its header length") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw invalid("the file ends inside its header length") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw invalid("format version \(major).\(bytes[7]) is not 1, 2 or 3")
        }
        guard headerLength <= NPYArray.maximumHeaderLength else {
            throw invalid("a header of \(headerLength) bytes is longer than \(NPYArray.maximumHeaderLength)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw invalid("the header claims \(headerLength) bytes but the file has \(bytes.count - headerStart) after its start")
        }
        guard let header = String(validating: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self) else {
            throw invalid("the header is not text")
        }
        let fields = try NPYArray.parseHeader(header, invalid: invalid)
        elementType = fields.type
        dimensionCount = fields.shape.count
        rowCount = fields.shape[0]
        columnCount = fields.shape.count == 2 ? fields.shape[1] : 1
        let (elements, overflow1) = rowCount.multipliedReportingOverflow(by: columnCount)
        let (dataBytes, overflow2) = elements.multipliedReportingOverflow(by: elementType.size)
        let available = bytes.count - headerStart - headerLength
        guard !overflow1 && !overflow2 && dataBytes == available else {
            throw invalid("the shape (\(fields.shape.map(String.init).joined(separator: ", "))) of \(elementType.rawValue) "
                          + "needs \(overflow1 || overflow2 ? "more than Int.max" : String(dataBytes)) bytes of data, the file holds \(available)")
        }
        guard rowCount > 0, columnCount > 0 else { throw invalid("the array is empty") }
        self.path = path
        self.storage = storage
        dataOffset = headerStart + headerLength
    }

    /// Reads `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`: the type, and a shape
    /// of one or two non-negative dimensions.
    private static func parseHeader(
        _ header: String, invalid: (String) -> DatasetError
    ) throws(DatasetError) -> (type: ElementType, shape: [Int]) {
        let text = header.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw invalid("the header is not a Python dictionary") }
        func value(of key: String) -> Substring? {
            guard let keyRange = text.range(of: "'\(key)'") ?? text.range(of: "\"\(key)\"") else { return nil }
            var rest = text[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard let descrText = value(of: "descr"), let quote = descrText.first, quote == "'" || quote == "\"",
              let close = descrText.dropFirst().firstIndex(of: quote) else {
            throw invalid("the header has no 'descr'")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        guard descr.count == 3, let order = descr.first else { throw invalid("dtype '\(descr)' is not supported") }
        guard let type = ElementType(rawValue: String(descr.dropFirst())) else {
            throw invalid("dtype '\(descr)' is not supported (use float32, float64, an integer type or uint8)")
        }
        guard order == "<" || order == "|" || order == "=" || type.size == 1 else {
            throw invalid("dtype '\(descr)' is big-endian; save a little-endian array (astype('<\(type.rawValue)'))")
        }
        guard let fortran = value(of: "fortran_order") else { throw invalid("the header has no 'fortran_order'") }
        if fortran.hasPrefix("True") {
            throw invalid("the array is in Fortran order; save np.ascontiguousarray(array) instead")
        }
        guard fortran.hasPrefix("False") else { throw invalid("'fortran_order' is neither True nor False") }
        guard let shapeText = value(of: "shape"), shapeText.first == "(", let shapeEnd = shapeText.firstIndex(of: ")") else {
            throw invalid("the header has no 'shape'")
        }
        let parts = shapeText[shapeText.index(after: shapeText.startIndex)..<shapeEnd]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var shape = [Int]()
        for part in parts {
            guard part.count <= 19, let dimension = Int(part), dimension >= 0 else {
                throw invalid("shape dimension '\(part.prefix(40))' is not a whole number")
            }
            shape.append(dimension)
        }
        guard (1...2).contains(shape.count) else {
            throw invalid("the array has \(shape.count) dimensions; one (samples) or two (samples × columns) are read")
        }
        return (type, shape)
    }

    /// Converts row `row`'s `columnCount` elements to `Float` into `destination` (a `bool` is 0 or 1,
    /// whatever non-zero byte stands for true).
    public func copyRow(_ row: Int, into destination: UnsafeMutablePointer<Float>) {
        let start = rowStart(row)
        let count = columnCount
        switch elementType {
        case .float32:
            // A copy of bytes: the data need not be 4-byte aligned after a hostile header.
            UnsafeMutableRawPointer(destination).copyMemory(from: start, byteCount: count &* 4)
        case .float64: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 8, as: Double.self)) }
        case .int8: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column, as: Int8.self)) }
        case .int16: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 2, as: Int16.self)) }
        case .int32: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 4, as: Int32.self)) }
        case .int64: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 8, as: Int64.self)) }
        case .uint8: for column in 0..<count { destination[column] = Float(start.load(fromByteOffset: column, as: UInt8.self)) }
        case .bool: for column in 0..<count { destination[column] = start.load(fromByteOffset: column, as: UInt8.self) == 0 ? 0 : 1 }
        case .uint16: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 2, as: UInt16.self)) }
        case .uint32: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 4, as: UInt32.self)) }
        case .uint64: for column in 0..<count { destination[column] = Float(start.loadUnaligned(fromByteOffset: column &* 8, as: UInt64.self)) }
        }
    }

    /// The element at `row`, `column` as a `Double` (exact for every type but the largest 64-bit integers).
    public func value(row: Int, column: Int) -> Double {
        precondition(column >= 0 && column < columnCount, "column \(column) of an array of \(columnCount) columns")
        let start = rowStart(row)
        switch elementType {
        case .float32: return Double(start.loadUnaligned(fromByteOffset: column &* 4, as: Float.self))
        case .float64: return start.loadUnaligned(fromByteOffset: column &* 8, as: Double.self)
        case .int8: return Double(start.loadUnaligned(fromByteOffset: column, as: Int8.self))
        case .int16: return Double(start.loadUnaligned(fromByteOffset: column &* 2, as: Int16.self))
        case .int32: return Double(start.loadUnaligned(fromByteOffset: column &* 4, as: Int32.self))
        case .int64: return Double(start.loadUnaligned(fromByteOffset: column &* 8, as: Int64.self))
        case .uint8: return Double(start.load(fromByteOffset: column, as: UInt8.self))
        case .bool: return start.load(fromByteOffset: column, as: UInt8.self) == 0 ? 0 : 1
        case .uint16: return Double(start.loadUnaligned(fromByteOffset: column &* 2, as: UInt16.self))
        case .uint32: return Double(start.loadUnaligned(fromByteOffset: column &* 4, as: UInt32.self))
        case .uint64: return Double(start.loadUnaligned(fromByteOffset: column &* 8, as: UInt64.self))
        }
    }

    private func rowStart(_ row: Int) -> UnsafeRawPointer {
        precondition(row >= 0 && row < rowCount, "row \(row) of an array of \(rowCount) rows")
        return storage.start + (dataOffset &+ row &* columnCount &* elementType.size)
    }

    /// The first element, in row order, that is not a finite `Float` (NaN, infinite, or a
    /// `float64` beyond `Float`'s range), as (row, column), or `nil`.
    public func firstNonFinite() -> (row: Int, column: Int)? {
        guard elementType == .float32 || elementType == .float64 else { return nil }
        var buffer = [Float](repeating: 0, count: columnCount)
        return buffer.withUnsafeMutableBufferPointer { row -> (row: Int, column: Int)? in
            for index in 0..<rowCount {
                copyRow(index, into: row.baseAddress!)
                if let column = row.firstIndex(where: { !$0.isFinite }) { return (index, column) }
            }
            return nil
        }
    }
}

/// The bytes of a `.npy` file: a read-only mapping of the file, or a copy of bytes given in memory.
private final class NPYBytes: @unchecked Sendable {
    /// The first byte (valid for ``count`` bytes; never written after `init`).
    let start: UnsafeRawPointer
    let count: Int
    /// The mapping, kept alive; `nil` for a copy, which `deinit` frees.
    private let file: MappedRegularFile?

    init(file: MappedRegularFile) {
        start = file.bytes
        count = file.count
        self.file = file
    }

    init(copying bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 16)
        buffer.copyBytes(from: bytes)
        start = UnsafeRawPointer(buffer.baseAddress!)
        count = bytes.count
        file = nil
    }

    deinit {
        if file == nil { UnsafeMutableRawPointer(mutating: start).deallocate() }
    }
}
