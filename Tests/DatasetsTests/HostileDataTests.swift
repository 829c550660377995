import Deflate
import Foundation
import Testing
@testable import Datasets
import MLPCore
import TestSupport

/// Data files and servers that claim or send more than they should: every one ends in an error
/// within a bounded allocation, never a crash, a hang or a runaway buffer.
@Suite("hostile data")
struct HostileDataTests {
    @Test("a gzip bomb stops at the size its IDX header promises")
    func gzipBombStopsAtTheHeadersPromise() throws {
        // A header promising 2 images of 2×2 pixels, then 64 MB of zeros.
        let header = IDXFile(images: [UInt8](repeating: 0, count: 8), count: 2, height: 2, width: 2).encoded().prefix(16)
        let bomb = Zlib.gzip(Array(header) + [UInt8](repeating: 0, count: 64 << 20), level: 9)
        #expect(bomb.count < 200_000)
        try withTemporaryDirectory("bomb") { directory in
            let path = directory + "/bomb-images-idx3-ubyte.gz"
            try writeBytes(bomb, to: path)
            let error = #expect(throws: DatasetError.self) { try IDXFile.read(at: path, expecting: .images) }
            #expect(error?.description.contains("inflates to more than the 25 bytes") == true, "\(String(describing: error))")
        }
        // Without a header's promise, decompression stops at the caller's limit.
        #expect(throws: CompressionError.exceedsLimit(1 << 20)) { try Zlib.decompress(bomb, maximumSize: 1 << 20) }
    }

    @Test("a CSV of newlines allocates no more than its own size")
    func csvOfNewlines() throws {
        let bytes = [UInt8](repeating: 10, count: 2_000_000)
        let error = #expect(throws: DatasetError.self) {
            try CSVDatasetReader().parse(bytes, source: "newlines.csv")
        }
        #expect(error != nil)
    }

    @Test("a FIFO is refused by its type, without waiting for a writer")
    func fifoIsRefused() throws {
        try withTemporaryDirectory("fifo") { directory in
            let path = directory + "/data.fifo"
            #expect(mkfifo(path, 0o600) == 0)
            #expect(throws: DatasetError.notAFile(path: path, kind: "a FIFO")) { try DatasetFile.read(at: path) }
            #expect(throws: DatasetError.notAFile(path: "/dev/zero", kind: "a character device")) { try DatasetFile.read(at: "/dev/zero") }
        }
    }

    @Test("a server that sends an endless body is cut off at the file's maximum size, and nothing is left on disk")
    func endlessDownload() async throws {
        let server = try LocalHTTPServer(routes: ["/m/endless-images-idx3-ubyte.gz": .endless])
        defer { server.stop() }
        try await withTemporaryDirectory("endless") { directory in
            let file = ExpectedFile(name: "endless-images-idx3-ubyte", sha256: String(repeating: "0", count: 64))
            let fetcher = DatasetFetcher(baseURL: server.baseURL + "m", files: [file], timeout: 10)
            await #expect(throws: DatasetError.self) { _ = try await fetcher.fetch(into: directory) }
            #expect(fileNames(in: directory).isEmpty, "\(fileNames(in: directory))")
        }
    }
}

/// Regressions found by the fuzzers (Fuzz/Regressions).
@Suite("fuzzer regressions: data")
struct DataFuzzRegressions {
    @Test("an image file of 0 items of 2147483903 × 4294967040 pixels is refused, not multiplied out")
    func hugeImageSides() throws {
        var header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 0]
        header += [0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00]
        #expect(throws: DatasetError.self) { try IDXFile.parse(header, expecting: .images, source: "fuzz") }
    }
}
