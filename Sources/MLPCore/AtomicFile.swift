#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing a file.
public struct FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path that could not be written.
    public let path: String
    /// The system's reason.
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes files atomically: the bytes go to a temporary file beside the target, which is flushed
/// and then renamed over it. A reader, or an interrupted run, sees the old file or the whole new
/// one, never a partial one.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating missing parent directories.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws(FileWriteError) {
        let directory = parentDirectory(of: path)
        if !directory.isEmpty { try createDirectories(directory) }
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: systemMessage()) }
        let contiguous = Array(bytes)
        var written = 0
        let failure: String? = contiguous.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return systemMessage()
                }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : systemMessage()
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let message = systemMessage()
            unlink(temporary)
            throw FileWriteError(path: path, reason: message)
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Checks, before a long computation, that `path` could be written: it is not a directory,
    /// and its nearest existing ancestor is a directory this process may write into (missing
    /// directories below it would be created). Changes nothing on disk.
    public static func checkWritable(_ path: String) throws(FileWriteError) {
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw FileWriteError(path: path, reason: "is a directory")
        }
        var ancestor = parentDirectory(of: path)
        if ancestor.isEmpty { ancestor = "." }
        while stat(ancestor, &status) != 0 {
            guard errno == ENOENT else { throw FileWriteError(path: path, reason: systemMessage()) }
            let next = parentDirectory(of: ancestor)
            ancestor = next.isEmpty ? "." : next
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw FileWriteError(path: path, reason: "\(ancestor) is not a directory")
        }
        guard access(ancestor, W_OK | X_OK) == 0 else {
            throw FileWriteError(path: path, reason: "\(ancestor) is not writable")
        }
    }

    /// Creates `path` and any missing parents (like `mkdir -p`).
    public static func createDirectories(_ path: String) throws(FileWriteError) {
        var built = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            built += (built.isEmpty || built.hasSuffix("/") ? "" : "/") + component
            var status = stat()
            if stat(built, &status) == 0 {
                if (status.st_mode & S_IFMT) != S_IFDIR {
                    throw FileWriteError(path: path, reason: "\(built) exists and is not a directory")
                }
                continue
            }
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw FileWriteError(path: path, reason: systemMessage())
            }
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func systemMessage() -> String { String(cString: strerror(errno)) }
}
