import Foundation
import MLPCore
import Testing
@testable import Reporting
import Deflate

/// A PNG file split into its chunks, for checking the encoder.
struct PNGChunks {
    struct Chunk {
        let type: String
        let data: [UInt8]
        let storedCRC: UInt32
    }

    let chunks: [Chunk]

    init(_ bytes: [UInt8]) throws {
        guard Array(bytes.prefix(8)) == PNGImage.signature else { throw XMLTree.ParseError(description: "no signature") }
        var chunks = [Chunk]()
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw XMLTree.ParseError(description: "truncated chunk") }
            let length = Int(Self.bigEndian(bytes, at: offset))
            guard offset + 12 + length <= bytes.count else { throw XMLTree.ParseError(description: "truncated data") }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let crc = Self.bigEndian(bytes, at: offset + 8 + length)
            chunks.append(Chunk(type: type, data: data, storedCRC: crc))
            offset += 12 + length
        }
        self.chunks = chunks
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { ($0 << 8) | UInt32($1) }
    }
}

@Suite("PNG encoder")
struct PNGImageTests {
    /// Checks every structural property of an encoded image and that IDAT holds `image.pixels`.
    func verify(_ image: PNGImage, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = image.encoded()
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], sourceLocation: sourceLocation)
        let file = try PNGChunks(bytes)
        #expect(file.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"], sourceLocation: sourceLocation)
        for chunk in file.chunks {
            #expect(Zlib.crc32(Array(chunk.type.utf8) + chunk.data) == chunk.storedCRC,
                    "CRC of \(chunk.type)", sourceLocation: sourceLocation)
        }
        let header = file.chunks[0].data
        #expect(header.count == 13, sourceLocation: sourceLocation)
        #expect(Int(PNGChunks.bigEndian(header, at: 0)) == image.width, sourceLocation: sourceLocation)
        #expect(Int(PNGChunks.bigEndian(header, at: 4)) == image.height, sourceLocation: sourceLocation)
        #expect(header[8] == 8, "bit depth", sourceLocation: sourceLocation)
        #expect(header[9] == image.colorType.rawValue, "colour type", sourceLocation: sourceLocation)
        #expect(Array(header[10...12]) == [0, 0, 0], sourceLocation: sourceLocation)
        #expect(file.chunks[2].data.isEmpty, sourceLocation: sourceLocation)

        let scanlines = try Zlib.decompress(file.chunks[1].data)
        let rowBytes = image.width * image.colorType.channels
        #expect(scanlines.count == image.height * (1 + rowBytes), sourceLocation: sourceLocation)
        var pixels = [UInt8]()
        for row in 0..<image.height {
            let start = row * (1 + rowBytes)
            #expect(scanlines[start] == 0, "filter byte of row \(row)", sourceLocation: sourceLocation)
            pixels += scanlines[(start + 1)..<(start + 1 + rowBytes)]
        }
        #expect(pixels == image.pixels, sourceLocation: sourceLocation)
    }

    @Test("8-bit greyscale")
    func greyscale() throws {
        let pixels = (0..<(7 * 5)).map { UInt8(truncatingIfNeeded: $0 * 37) }
        try verify(PNGImage(width: 7, height: 5, colorType: .greyscale, pixels: pixels))
        try verify(PNGImage(width: 1, height: 1, colorType: .greyscale, pixels: [128]))
    }

    @Test("8-bit RGB")
    func rgb() throws {
        let pixels = (0..<(4 * 3 * 3)).map { UInt8(truncatingIfNeeded: $0 * 11 + 3) }
        try verify(PNGImage(width: 4, height: 3, colorType: .rgb, pixels: pixels))
    }

    @Test("a larger image compresses and round-trips")
    func larger() throws {
        var pixels = [UInt8](repeating: 0, count: 300 * 200)
        for index in pixels.indices { pixels[index] = UInt8(truncatingIfNeeded: (index % 300) ^ (index / 300)) }
        let image = PNGImage(width: 300, height: 200, colorType: .greyscale, pixels: pixels)
        try verify(image)
        #expect(image.encoded().count < pixels.count)
    }

    @Test("intensities are clamped to [0, 1] and NaN is black")
    func intensities() {
        let image = PNGImage(width: 6, height: 1, intensities: [Float](arrayLiteral: 0, 0.5, 1, -3, 7, .nan))
        #expect(image.pixels == [0, 128, 255, 0, 255, 0])
    }

    @Test("data URI is base64 of the file")
    func dataURI() throws {
        let image = PNGImage(width: 2, height: 2, colorType: .greyscale, pixels: [0, 85, 170, 255])
        let uri = image.dataURI()
        #expect(uri.hasPrefix("data:image/png;base64,"))
        let decoded = try #require(Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count))))
        #expect(Array(decoded) == image.encoded())
    }
}
