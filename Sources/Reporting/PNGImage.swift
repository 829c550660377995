import Foundation
import MLPCore
import Deflate

/// An 8-bit greyscale or RGB raster image that encodes itself as PNG.
///
/// The encoder writes the PNG signature, an `IHDR` chunk (bit depth 8, no interlace), one `IDAT`
/// chunk holding the zlib-compressed scanlines (each prefixed with filter type 0, "None"), and
/// `IEND`. Every chunk ends with the CRC-32 of its type and data.
///
///     let image = PNGImage(width: 28, height: 28, colorType: .greyscale, pixels: digit)
///     try AtomicFile.write(image.encoded(), to: "digit.png")
public struct PNGImage: Sendable, Equatable {
    /// The pixel layout.
    public enum ColorType: UInt8, Sendable {
        /// One byte per pixel: 0 is black, 255 white (PNG colour type 0).
        case greyscale = 0
        /// Three bytes per pixel, red, green, blue (PNG colour type 2).
        case rgb = 2

        /// The bytes per pixel.
        public var channels: Int { self == .greyscale ? 1 : 3 }
    }

    /// The width in pixels.
    public let width: Int
    /// The height in pixels.
    public let height: Int
    /// The pixel layout.
    public let colorType: ColorType
    /// The pixels row after row, top row first, channels interleaved:
    /// `height × width × colorType.channels` bytes.
    public let pixels: [UInt8]

    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// An image over `pixels`, whose count must be `width × height × colorType.channels`.
    public init(width: Int, height: Int, colorType: ColorType, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "a PNG image must be at least 1×1, not \(width)×\(height)")
        precondition(
            pixels.count == width * height * colorType.channels,
            "\(pixels.count) bytes cannot fill a \(width)×\(height) image with \(colorType.channels) channel(s)")
        self.width = width
        self.height = height
        self.colorType = colorType
        self.pixels = pixels
    }

    /// A greyscale image from intensities in [0, 1] (0 black, 1 white); values outside are
    /// clamped and NaN becomes black.
    public init(width: Int, height: Int, intensities: some Collection<Float>) {
        self.init(width: width, height: height, colorType: .greyscale, pixels: intensities.map(Self.byte))
    }

    /// The PNG file's bytes.
    public func encoded(compressionLevel: Int = 9) -> [UInt8] {
        var header = [UInt8]()
        Self.appendBigEndian(UInt32(width), to: &header)
        Self.appendBigEndian(UInt32(height), to: &header)
        header += [8, colorType.rawValue, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace

        let rowBytes = width * colorType.channels
        var scanlines = [UInt8]()
        scanlines.reserveCapacity(height * (rowBytes + 1))
        for row in 0..<height {
            scanlines.append(0)  // filter type None
            scanlines.append(contentsOf: pixels[(row * rowBytes)..<((row + 1) * rowBytes)])
        }

        var file = Self.signature
        Self.appendChunk("IHDR", header, to: &file)
        Self.appendChunk("IDAT", Zlib.compress(scanlines, level: compressionLevel), to: &file)
        Self.appendChunk("IEND", [], to: &file)
        return file
    }

    /// The image as a `data:image/png;base64,…` URI, to embed in HTML or SVG.
    public func dataURI() -> String {
        "data:image/png;base64," + Data(encoded()).base64EncodedString()
    }

    /// The byte for intensity `value`: `round(clamp(value, 0, 1) × 255)`, NaN as 0.
    static func byte(_ value: Float) -> UInt8 {
        guard value.isFinite else { return value == .infinity ? 255 : 0 }
        return UInt8((Swift.min(Swift.max(value, 0), 1) * 255).rounded())
    }

    /// Appends one chunk: length, type, data, CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4, "a PNG chunk type has four letters, not \(type)")
        appendBigEndian(UInt32(data.count), to: &file)
        file += typeBytes
        file += data
        appendBigEndian(Zlib.crc32(typeBytes + data), to: &file)
    }

    static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                  UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
