import Deflate
import LinearAlgebra
import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Downloads a dataset's files, verifies each against the SHA-256 of its decompressed content,
/// and writes it atomically.
///
/// For each expected file `name`, the fetcher GETs `baseURL + name + ".gz"`, decompresses it (a
/// server may also send it uncompressed), compares the SHA-256 of the content with the expected
/// one, and only then writes the bytes as received to `directory/name.gz` (or `directory/name`
/// when they were not compressed) through `AtomicFile.write`. A failed download or a wrong
/// checksum writes nothing, so no partial or temporary file is ever left behind. Files already
/// present with the right content are not downloaded again.
public struct DatasetFetcher: Sendable {
    /// What happened to one file.
    public enum Outcome: Sendable, Equatable {
        /// It was downloaded, verified and written.
        case downloaded
        /// A file with the right content was already there.
        case alreadyPresent
    }

    /// A file that is now in place.
    public struct FetchedFile: Sendable, Equatable {
        /// The expected file.
        public var file: ExpectedFile
        /// Where it is.
        public var path: String
        /// Where it was (or would have been) downloaded from.
        public var url: String
        /// Whether it was downloaded.
        public var outcome: Outcome
        /// Its size on disk, in bytes.
        public var byteCount: Int
    }

    /// What the fetcher is doing, for progress reports.
    public enum Event: Sendable, Equatable {
        /// A download is starting.
        case downloading(file: String, url: String)
        /// A file is in place.
        case finished(FetchedFile)
    }

    /// The URL that file names are appended to; a `/` is added when missing.
    public var baseURL: String
    /// The files to fetch, with their checksums.
    public var files: [ExpectedFile]
    /// The longest wait for data from the server, in seconds.
    public var timeout: Double

    /// A fetcher of `files` from `baseURL`.
    public init(baseURL: String, files: [ExpectedFile], timeout: Double = 60) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.files = files
        self.timeout = timeout
    }

    /// A fetcher of the four files of `dataset`, from `baseURL` or the dataset's default mirror.
    public init(dataset: NamedDataset, baseURL: String? = nil, timeout: Double = 60) {
        self.init(baseURL: baseURL ?? dataset.defaultBaseURL, files: dataset.files, timeout: timeout)
    }

    /// The URL of `file`: `baseURL + name + ".gz"`.
    public func url(of file: ExpectedFile) -> String { baseURL + file.name + ".gz" }

    /// Fetches every file into `directory` (created when missing), in order, reporting progress
    /// to `report`. Files fetched before a failure stay in place (each was verified).
    /// - Throws: ``DatasetError/downloadFailed(url:reason:)``, ``DatasetError/httpStatus(url:status:)``,
    ///   ``DatasetError/truncatedCompressedFile(path:)``, ``DatasetError/corruptCompressedFile(path:detail:)``,
    ///   ``DatasetError/checksumMismatch(file:url:expected:actual:)`` or ``DatasetError/writeFailed(path:reason:)``.
    public func fetch(
        into directory: String, report: @Sendable (Event) -> Void = { _ in }
    ) async throws(DatasetError) -> [FetchedFile] {
        var fetched: [FetchedFile] = []
        for file in files {
            let result = try await fetch(file, into: directory, report: report)
            report(.finished(result))
            fetched.append(result)
        }
        return fetched
    }

    private func fetch(
        _ file: ExpectedFile, into directory: String, report: @Sendable (Event) -> Void
    ) async throws(DatasetError) -> FetchedFile {
        let address = url(of: file)
        let base = directory.hasSuffix("/") ? directory + file.name : directory + "/" + file.name
        let compressedPath = base + ".gz"
        for path in [compressedPath, base] where DatasetFetcher.holdsContent(path, sha256: file.sha256) {
            let size = DatasetFile.size(of: path) ?? 0
            return FetchedFile(file: file, path: path, url: address, outcome: .alreadyPresent, byteCount: size)
        }
        report(.downloading(file: file.name, url: address))
        do { try AtomicFile.createDirectories(directory) } catch { throw .writeFailed(path: directory, reason: error.reason) }
        AtomicFile.removeStaleTemporaryFiles(of: base)
        let partial = "\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(partial) }
        _ = try await HTTPDownloader.download(address, to: partial, maximumBytes: file.maximumSize, timeout: timeout)
        let received = try DatasetFile.read(at: partial)
        let content = try DatasetFile.decompressedIfGzip(received, source: address, maximumSize: file.maximumSize)
        let actual = Checksum.sha256(content)
        guard actual == file.sha256 else {
            throw .checksumMismatch(file: file.name, url: address, expected: file.sha256, actual: actual)
        }
        let path = Zlib.isGzip(received) ? compressedPath : base
        try DatasetFile.write(received, to: path)
        // A stale copy under the other name would shadow or confuse the verified one.
        let other = path == base ? compressedPath : base
        if DatasetFile.kind(of: other) == .file { unlink(other) }
        return FetchedFile(file: file, path: path, url: address, outcome: .downloaded, byteCount: received.count)
    }

    /// Whether `path` is a file whose (decompressed) content has the SHA-256 `sha256`.
    static func holdsContent(_ path: String, sha256: String) -> Bool {
        guard DatasetFile.kind(of: path) == .file,
              let content = try? DatasetFile.readContent(at: path) else { return false }
        return Checksum.sha256(content) == sha256
    }
}
