import Foundation
import LinearAlgebra
import Testing
@testable import Datasets
import Deflate
import TestSupport

@Suite("Dataset fetcher")
struct DatasetFetcherTests {
    /// Two small IDX files, their gzip forms and the expected-file table with correct checksums.
    let images = IDXFile(images: (0..<(4 * 9)).map { UInt8($0 * 5) }, count: 4, height: 3, width: 3).encoded()
    let labels = IDXFile(labels: [0, 1, 2, 1]).encoded()
    var expected: [ExpectedFile] {
        [ExpectedFile(name: "small-images-idx3-ubyte", sha256: Checksum.sha256(images)),
         ExpectedFile(name: "small-labels-idx1-ubyte", sha256: Checksum.sha256(labels))]
    }

    @Test("downloads, verifies and writes every file, then finds them in place")
    func success() async throws {
        let compressedImages = Zlib.gzip(images)
        let server = try LocalHTTPServer(routes: [
            "/mirror/small-images-idx3-ubyte.gz": .body(compressedImages),
            "/mirror/small-labels-idx1-ubyte.gz": .body(Zlib.gzip(labels)),
        ])
        defer { server.stop() }
        try await withTemporaryDirectory { root in
            let directory = root + "/new/dir"
            let fetcher = DatasetFetcher(baseURL: server.baseURL + "mirror", files: expected, timeout: 30)
            let fetched = try await fetcher.fetch(into: directory)
            #expect(fetched.map(\.outcome) == [.downloaded, .downloaded])
            #expect(fetched[0].path == directory + "/small-images-idx3-ubyte.gz")
            #expect(fetched[0].byteCount == compressedImages.count)
            #expect(fileNames(in: directory) == ["small-images-idx3-ubyte.gz", "small-labels-idx1-ubyte.gz"])
            #expect(try DatasetFile.read(at: directory + "/small-images-idx3-ubyte.gz") == compressedImages)
            #expect(try IDXFile.read(at: directory + "/small-labels-idx1-ubyte.gz", expecting: .labels).data == [0, 1, 2, 1])

            // A second fetch finds both files verified in place and downloads nothing.
            let again = try await fetcher.fetch(into: directory)
            #expect(again.map(\.outcome) == [.alreadyPresent, .alreadyPresent])
            #expect(server.requestedPaths == ["/mirror/small-images-idx3-ubyte.gz", "/mirror/small-labels-idx1-ubyte.gz"])
        }
    }

    @Test("a file served uncompressed is verified and written without .gz; a stale copy is replaced")
    func uncompressedAndStale() async throws {
        let server = try LocalHTTPServer(routes: ["/small-labels-idx1-ubyte.gz": .body(labels)])
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            try writeBytes(Zlib.gzip([1, 2, 3]), to: directory + "/small-labels-idx1-ubyte.gz")
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: [expected[1]], timeout: 30)
            let fetched = try await fetcher.fetch(into: directory)
            #expect(fetched.first?.path == directory + "/small-labels-idx1-ubyte")
            #expect(fileNames(in: directory) == ["small-labels-idx1-ubyte"])
            #expect(try DatasetFile.read(at: directory + "/small-labels-idx1-ubyte") == labels)
        }
    }

    @Test("a wrong checksum writes nothing")
    func wrongChecksum() async throws {
        var tampered = labels
        tampered[tampered.count - 1] = 9
        let server = try LocalHTTPServer(routes: ["/small-labels-idx1-ubyte.gz": .body(Zlib.gzip(tampered))])
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: [expected[1]], timeout: 30)
            let error = await datasetError { _ = try await fetcher.fetch(into: directory) }
            #expect(error == .checksumMismatch(
                file: "small-labels-idx1-ubyte", url: server.baseURL + "small-labels-idx1-ubyte.gz",
                expected: expected[1].sha256, actual: Checksum.sha256(tampered)))
            #expect(fileNames(in: directory).isEmpty)
        }
    }

    @Test("a dropped connection fails cleanly and leaves no partial or temporary file")
    func droppedConnection() async throws {
        let compressed = Zlib.gzip(images)
        let server = try LocalHTTPServer(routes: [
            "/small-images-idx3-ubyte.gz": .dropped(declaredLength: compressed.count + 1000, sent: compressed),
        ])
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: [expected[0]], timeout: 30)
            let error = await datasetError { _ = try await fetcher.fetch(into: directory) }
            guard case .downloadFailed(let url, let reason) = error else {
                Issue.record("expected downloadFailed, got \(String(describing: error))")
                return
            }
            #expect(url == server.baseURL + "small-images-idx3-ubyte.gz")
            #expect(!reason.isEmpty)
            #expect(fileNames(in: directory).isEmpty)
        }
    }

    @Test("truncated gzip data with a complete response is reported as truncated")
    func truncatedGzip() async throws {
        let compressed = Zlib.gzip(images)
        let url = "small-images-idx3-ubyte.gz"
        let server = try LocalHTTPServer(routes: ["/" + url: .body(Array(compressed.prefix(20)))])
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: [expected[0]], timeout: 30)
            #expect(await datasetError { _ = try await fetcher.fetch(into: directory) }
                    == .truncatedCompressedFile(path: server.baseURL + url))
            #expect(fileNames(in: directory).isEmpty)
        }
    }

    @Test("an HTTP 404 is a typed error")
    func notFound() async throws {
        let server = try LocalHTTPServer(routes: [:])
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: expected, timeout: 30)
            let error = await datasetError { _ = try await fetcher.fetch(into: directory) }
            #expect(error == .httpStatus(url: server.baseURL + "small-images-idx3-ubyte.gz", status: 404))
            #expect(error?.description == "download of \(server.baseURL)small-images-idx3-ubyte.gz failed: HTTP status 404")
            #expect(fileNames(in: directory).isEmpty)
        }
    }

    @Test("a refused connection and a malformed URL are typed errors")
    func unreachable() async throws {
        let server = try LocalHTTPServer(routes: [:], maximumConnections: 0)
        server.stop()  // The port is now closed.
        try await withTemporaryDirectory { directory in
            let fetcher = DatasetFetcher(baseURL: server.baseURL, files: expected, timeout: 30)
            let error = await datasetError { _ = try await fetcher.fetch(into: directory) }
            if case .downloadFailed = error {} else { Issue.record("expected downloadFailed, got \(String(describing: error))") }
            let malformed = DatasetFetcher(baseURL: "ftp://example.invalid/", files: expected, timeout: 30)
            #expect(await datasetError { _ = try await malformed.fetch(into: directory) }
                    == .downloadFailed(url: "ftp://example.invalid/small-images-idx3-ubyte.gz", reason: "not an http:// or https:// URL"))
            #expect(fileNames(in: directory).isEmpty)
        }
    }

    @Test("the named datasets' fetchers use the default mirrors and the published checksums")
    func namedFetchers() {
        let mnist = DatasetFetcher(dataset: .mnist)
        #expect(mnist.url(of: mnist.files[0]) == "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz")
        let fashion = DatasetFetcher(dataset: .fashionMNIST, baseURL: "http://mirror.example/fashion")
        #expect(fashion.url(of: fashion.files[3]) == "http://mirror.example/fashion/t10k-labels-idx1-ubyte.gz")
        #expect(fashion.files == NamedDataset.fashionMNIST.files)
    }
}
