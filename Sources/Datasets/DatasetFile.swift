import Deflate
import LinearAlgebra
import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with typed errors that name the file.
public enum DatasetFile {
    /// What is at a path.
    public enum Kind: Sendable, Equatable {
        /// Nothing.
        case missing
        /// A regular file (or a link to one).
        case file
        /// A directory, or anything else that is not a regular file.
        case other
    }

    /// What is at `path`, following symbolic links.
    public static func kind(of path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        return (status.st_mode & S_IFMT) == S_IFREG ? .file : .other
    }

    /// The size in bytes of the file at `path`, or nil when there is none.
    public static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// The bytes of the file at `path`, exactly as stored.
    /// - Throws: ``DatasetError/fileNotFound(path:)``, ``DatasetError/notAFile(path:)`` or
    ///   ``DatasetError/unreadableFile(path:reason:)``.
    public static func read(at path: String) throws(DatasetError) -> [UInt8] {
        do {
            return try RegularFile.read(path)
        } catch {
            switch error {
            case .missing: throw .fileNotFound(path: path)
            case .notARegularFile(let kind): throw .notAFile(path: path, kind: kind)
            case .tooLarge, .system: throw .unreadableFile(path: path, reason: error.description)
            }
        }
    }

    /// The content of the file at `path`: decompressed when it starts with the gzip magic bytes
    /// `1f 8b`, as stored otherwise.
    /// - Throws: the errors of ``read(at:)``, ``DatasetError/truncatedCompressedFile(path:)`` and
    ///   ``DatasetError/corruptCompressedFile(path:detail:)``.
    public static func readContent(at path: String) throws(DatasetError) -> [UInt8] {
        let stored = try read(at: path)
        return try decompressedIfGzip(stored, source: path)
    }

    /// `bytes` decompressed when they start with the gzip magic bytes, unchanged otherwise;
    /// `source` names them in errors.
    ///
    /// Decompression stops at `maximumSize` bytes: a gzip bomb is refused, not inflated.
    public static func decompressedIfGzip(
        _ bytes: [UInt8], source: String, maximumSize: Int = defaultMaximumSize
    ) throws(DatasetError) -> [UInt8] {
        guard Zlib.isGzip(bytes) else { return bytes }
        do {
            return try Zlib.decompress(bytes, maximumSize: maximumSize)
        } catch {
            switch error {
            case .truncated: throw .truncatedCompressedFile(path: source)
            case .corrupt(let detail): throw .corruptCompressedFile(path: source, detail: detail)
            case .exceedsLimit: throw .corruptCompressedFile(path: source, detail: error.description)
            }
        }
    }

    /// The largest decompressed size accepted without a better bound (such as an IDX header's):
    /// what this process can allocate, at most 16 GiB.
    public static var defaultMaximumSize: Int { Swift.min(SystemMemory.availableBytes() ?? (1 << 34), 1 << 34) }

    /// Writes `bytes` to `path` atomically (see `AtomicFile`), creating missing directories.
    public static func write(_ bytes: [UInt8], to path: String) throws(DatasetError) {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    static func message(for code: Int32) -> String { String(cString: strerror(code)) }
}

/// `read(2)`, named apart from ``DatasetFile/read(at:)``.
