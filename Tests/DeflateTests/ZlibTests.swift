import Deflate
import MLPCore
import Testing

@Suite("zlib")
struct ZlibTests {
    @Test("gzip and zlib round trips, and concatenated gzip members")
    func compressionRoundTrip() throws {
        var generator = SeededGenerator(seed: 9)
        let payload = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.nextIndex(below: 16)) }
        let gz = Zlib.gzip(payload)
        #expect(Zlib.isGzip(gz))
        #expect(try Zlib.decompress(gz) == payload)
        #expect(try Zlib.decompress(Zlib.compress(payload)) == payload)
        #expect(try Zlib.decompress(Zlib.gzip([1, 2, 3]) + Zlib.gzip([4, 5])) == [1, 2, 3, 4, 5])
    }

    @Test("truncated and corrupt streams are typed errors")
    func compressionErrors() {
        let gz = Zlib.gzip(Array(repeating: 7, count: 5_000) + Array(0...255))
        #expect(throws: CompressionError.truncated) {
            try Zlib.decompress(Array(gz.prefix(gz.count / 2)))
        }
        var corrupt = gz
        corrupt[3] = 0xff  // reserved flag bits make the gzip header invalid
        #expect {
            try Zlib.decompress(corrupt)
        } throws: { error in
            if case .corrupt = error as? CompressionError { return true }
            return false
        }
    }

    @Test("CRC-32 of the standard check string")
    func crc() {
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
