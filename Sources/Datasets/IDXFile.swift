import LinearAlgebra
import Deflate

/// An IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST: images (magic 2051) or
/// labels (magic 2049).
///
/// The header is big-endian: a 4-byte magic number `00 00 08 ndims` (type 8 is unsigned byte), then
/// one 4-byte size per dimension; the data follow, row-major. Image files have three dimensions
/// (count, height, width) and label files one (count). A file is read whole, either raw or
/// gzip-compressed (told apart by the magic bytes `1f 8b`), and is accepted only when its data
/// are exactly `count × height × width` (or `count`) bytes long.
public struct IDXFile: Sendable, Equatable {
    /// The two kinds of IDX file in the MNIST family; the raw value is the magic number.
    public enum Kind: UInt32, Sendable, CaseIterable {
        /// `count × height × width` pixels, magic 2051 (`0x00000803`).
        case images = 2051
        /// `count` labels, magic 2049 (`0x00000801`).
        case labels = 2049

        /// The number of dimensions in the header.
        public var dimensionCount: Int { self == .images ? 3 : 1 }
        /// The header's length in bytes: the magic number and one size per dimension.
        public var headerByteCount: Int { 4 &+ 4 &* dimensionCount }
        /// "images" or "labels", for messages.
        public var noun: String { self == .images ? "images" : "labels" }
    }

    /// Whether this file holds images or labels.
    public let kind: Kind
    /// The sizes from the header: `[count, height, width]` for images, `[count]` for labels.
    public let dimensions: [Int]
    /// The data after the header, row-major: `count × height × width` pixels or `count` labels.
    public let data: [UInt8]

    /// The number of items (images or labels): the first dimension.
    public var itemCount: Int { dimensions[0] }

    /// An image file of `count` images of `height × width` pixels, row-major.
    public init(images pixels: [UInt8], count: Int, height: Int, width: Int) {
        precondition(count >= 0 && height > 0 && width > 0, "invalid image shape \(count)×\(height)×\(width)")
        precondition(pixels.count == count * height * width,
                     "\(pixels.count) pixels cannot fill \(count) images of \(height)×\(width)")
        kind = .images
        dimensions = [count, height, width]
        data = pixels
    }

    /// A label file holding `labels`.
    public init(labels: [UInt8]) {
        kind = .labels
        dimensions = [labels.count]
        data = labels
    }

    /// Reads the IDX file at `path`, raw or gzip-compressed, and checks that it is of `kind`.
    /// - Throws: the file errors of ``DatasetFile/readContent(at:)`` and the header errors of
    ///   ``parse(_:expecting:source:)``.
    ///
    /// A compressed file inflates to at most what its header promises (header and data): a gzip
    /// bomb stops there instead of filling memory.
    public static func read(at path: String, expecting kind: Kind) throws(DatasetError) -> IDXFile {
        let stored = try DatasetFile.read(at: path)
        return try parse(decompressed(stored, expecting: kind, source: path), expecting: kind, source: path)
    }

    /// `stored` decompressed when it is gzip data, to at most the size its IDX header promises
    /// (one byte more, so that trailing bytes are still reported as such).
    public static func decompressed(_ stored: [UInt8], expecting kind: Kind, source: String) throws(DatasetError) -> [UInt8] {
        guard Zlib.isGzip(stored) else { return stored }
        let header: [UInt8]
        do {
            header = try Zlib.decompress(stored, maximumSize: kind.headerByteCount, stopAtLimit: true)
        } catch {
            return try DatasetFile.decompressedIfGzip(stored, source: source)
        }
        guard header.count >= kind.headerByteCount, bigEndianWord(header, at: 0) == kind.rawValue else {
            return try DatasetFile.decompressedIfGzip(stored, source: source, maximumSize: Swift.max(header.count, 16))
        }
        let dimensions = (0..<kind.dimensionCount).map { Int(bigEndianWord(header, at: 4 &+ 4 &* $0)) }
        var dataBytes = 1
        for dimension in dimensions {
            let (product, overflow) = dataBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow, product < Int.max / 2 else { throw .invalidDimensions(path: source, dimensions: dimensions) }
            dataBytes = product
        }
        let promised = Swift.min(kind.headerByteCount &+ dataBytes, DatasetFile.defaultMaximumSize)
        return try DatasetFile.decompressedIfGzip(stored, source: source, maximumSize: promised &+ 1)
    }

    /// Parses decompressed IDX bytes; `source` names them in errors.
    /// - Throws: ``DatasetError/truncatedHeader(path:byteCount:expected:)``,
    ///   ``DatasetError/wrongMagicNumber(path:found:expected:)``,
    ///   ``DatasetError/invalidDimensions(path:dimensions:)``,
    ///   ``DatasetError/truncatedData(path:itemCount:expectedBytes:foundBytes:)`` or
    ///   ``DatasetError/trailingBytes(path:expectedBytes:foundBytes:)``.
    public static func parse(
        _ bytes: consuming [UInt8], expecting kind: Kind, source: String
    ) throws(DatasetError) -> IDXFile {
        guard bytes.count >= 4 else {
            throw .truncatedHeader(path: source, byteCount: bytes.count, expected: kind.headerByteCount)
        }
        let magic = bigEndianWord(bytes, at: 0)
        guard magic == kind.rawValue else {
            throw .wrongMagicNumber(path: source, found: magic, expected: kind.rawValue)
        }
        guard bytes.count >= kind.headerByteCount else {
            throw .truncatedHeader(path: source, byteCount: bytes.count, expected: kind.headerByteCount)
        }
        let dimensions = (0..<kind.dimensionCount).map { Int(bigEndianWord(bytes, at: 4 &+ 4 &* $0)) }
        var expectedBytes = 1
        for dimension in dimensions {
            let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .invalidDimensions(path: source, dimensions: dimensions) }
            expectedBytes = product
        }
        // An image has at least one pixel and at most 2²⁴ (4096 × 4096): its size is a claim,
        // and a product of two 32-bit sides would overflow where images are counted.
        if kind == .images && (dimensions[1] == 0 || dimensions[2] == 0 || dimensions[1] > 1 << 24 || dimensions[2] > 1 << 24
                               || dimensions[1] * dimensions[2] > 1 << 24) {
            throw .invalidDimensions(path: source, dimensions: dimensions)
        }
        let foundBytes = bytes.count &- kind.headerByteCount
        if foundBytes < expectedBytes {
            throw .truncatedData(path: source, itemCount: dimensions[0], expectedBytes: expectedBytes, foundBytes: foundBytes)
        }
        if foundBytes > expectedBytes {
            throw .trailingBytes(path: source, expectedBytes: expectedBytes, foundBytes: foundBytes)
        }
        // In place: the buffer is ours, so dropping the header moves the data and copies nothing.
        bytes.removeSubrange(0..<kind.headerByteCount)
        return IDXFile(kind: kind, dimensions: dimensions, data: bytes)
    }

    private init(kind: Kind, dimensions: [Int], data: [UInt8]) {
        self.kind = kind
        self.dimensions = dimensions
        self.data = data
    }

    /// The file's bytes, uncompressed: header, then data.
    public func encoded() -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(kind.headerByteCount &+ data.count)
        appendBigEndian(kind.rawValue, to: &bytes)
        for dimension in dimensions { appendBigEndian(UInt32(dimension), to: &bytes) }
        bytes.append(contentsOf: data)
        return bytes
    }

    /// Writes the file to `path` atomically, gzip-compressed when `compressed` is true.
    public func write(to path: String, compressed: Bool) throws(DatasetError) {
        let bytes = encoded()
        try DatasetFile.write(compressed ? Zlib.gzip(bytes) : bytes, to: path)
    }

    private static func bigEndianWord(_ bytes: borrowing [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset &+ 1]) << 16
            | UInt32(bytes[offset &+ 2]) << 8 | UInt32(bytes[offset &+ 3])
    }

    private func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
