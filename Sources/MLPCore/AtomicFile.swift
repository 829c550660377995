#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The temporary file of the write in progress, for a signal handler to remove before it ends
/// the process (see ``AtomicFile/removeTemporaryFileInProgress()``): a fixed buffer and a flag,
/// which async-signal-safe code can read.
private nonisolated(unsafe) let temporaryPathInProgress = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 64)
private let temporaryPathState = Atomic<Int>(0) // 0: none, 1: being set, 2: set

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
    ///
    /// The temporary file is `<path>.tmp-<pid>-<random>`. Before writing, temporary files of
    /// `path` left by processes that no longer run (killed while saving) are removed; this
    /// process's own is removed on every failure, and by a signal handler that calls
    /// ``removeTemporaryFileInProgress()``.
    ///
    /// What is at `path` decides how it is written:
    /// - nothing, or a regular file: atomically, as above; a replaced file keeps its permissions;
    /// - a symbolic link to a regular file (or a chain of them): the link's target is replaced
    ///   atomically and the link stays;
    /// - a character device, FIFO or socket (`/dev/stdout`, `/dev/null`, a pipe): written
    ///   through, never replaced; a FIFO without a reader is refused instead of waiting;
    /// - a directory, a block device or a dangling link: refused.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws(FileWriteError) {
        var linkStatus = stat(), status = stat()
        guard lstat(path, &linkStatus) == 0 else {
            guard errno == ENOENT else { throw FileWriteError(path: path, reason: systemMessage()) }
            return try replace(path, with: bytes, mode: nil)
        }
        guard stat(path, &status) == 0 else {
            throw FileWriteError(path: path, reason: "is a symbolic link to a missing file")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            var target = path
            if (linkStatus.st_mode & S_IFMT) == S_IFLNK {
                guard let resolved = realpath(path, nil) else { throw FileWriteError(path: path, reason: systemMessage()) }
                target = String(cString: resolved)
                free(resolved)
            }
            try replace(target, with: bytes, mode: status.st_mode & 0o7777, reportedAs: path)
        case S_IFCHR, S_IFIFO, S_IFSOCK:
            try writeThrough(path, bytes)
        default:
            throw FileWriteError(path: path, reason: "is \(RegularFile.kindDescription(status.st_mode)); outputs go to files, "
                                 + "character devices or FIFOs")
        }
    }

    /// Writes `bytes` to the device, FIFO or socket at `path` as they are, without replacing it.
    private static func writeThrough(_ path: String, _ bytes: some Collection<UInt8>) throws(FileWriteError) {
        let descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw FileWriteError(path: path, reason: errno == ENXIO ? "is a FIFO that no process reads" : systemMessage())
        }
        defer { close(descriptor) }
        // Blocking writes from here on: a slow reader is waited for, not an error.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        if let failure = writeAll(Array(bytes), to: descriptor) { throw FileWriteError(path: path, reason: failure) }
    }

    /// Writes all of `bytes` to `descriptor`; returns the system's message on failure.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var written = 0
        return bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return systemMessage()
                }
                written += result
            }
            return nil
        }
    }

    /// Replaces the regular file (or nothing) at `path` atomically, with permissions `mode`
    /// (nil: 0644 less the umask); errors name `reportedAs`.
    private static func replace(
        _ path: String, with bytes: some Collection<UInt8>, mode: mode_t?, reportedAs shownPath: String? = nil
    ) throws(FileWriteError) {
        let shown = shownPath ?? path
        let directory = parentDirectory(of: path)
        if !directory.isEmpty { try createDirectories(directory) }
        removeStaleTemporaryFiles(of: path)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let registered = register(temporary)
        defer { if registered { temporaryPathState.store(0, ordering: .sequentiallyConsistent) } }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: shown, reason: systemMessage()) }
        var failure = writeAll(Array(bytes), to: descriptor)
        if failure == nil, let mode, fchmod(descriptor, mode) != 0 { failure = systemMessage() }
        if failure == nil, fsync(descriptor) != 0 { failure = systemMessage() }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: shown, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let message = systemMessage()
            unlink(temporary)
            throw FileWriteError(path: shown, reason: message)
        }
    }

    /// Records `temporary` as the write in progress, unless another write (on another thread)
    /// holds the record; returns whether it was recorded.
    private static func register(_ temporary: String) -> Bool {
        let bytes = Array(temporary.utf8CString)
        guard bytes.count <= Int(PATH_MAX) + 64,
              temporaryPathState.compareExchange(expected: 0, desired: 1, ordering: .sequentiallyConsistent).exchanged else {
            return false
        }
        bytes.withUnsafeBufferPointer { temporaryPathInProgress.update(from: $0.baseAddress!, count: bytes.count) }
        temporaryPathState.store(2, ordering: .sequentiallyConsistent)
        return true
    }

    /// Initialises the record of the write in progress, so that a signal handler installed
    /// afterwards reads only initialised memory.
    public static func prepareForSignalHandlers() {
        _ = temporaryPathState.load(ordering: .sequentiallyConsistent)
        _ = temporaryPathInProgress
    }

    /// Removes the temporary file of the write in progress, if there is one. Async-signal-safe:
    /// a signal handler that ends the process at once calls it, so that no temporary file stays.
    public static func removeTemporaryFileInProgress() {
        if temporaryPathState.load(ordering: .sequentiallyConsistent) == 2 { unlink(temporaryPathInProgress) }
    }

    /// Removes `path`'s temporary files (`<path>.tmp-<pid>-<random>`) whose process no longer
    /// runs: what a process killed while saving left behind.
    public static func removeStaleTemporaryFiles(of path: String) {
        let directory = parentDirectory(of: path)
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        guard let stream = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(stream) }
        let prefix = name + ".tmp-"
        let ownProcess = getpid()
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix) else { continue }
            let parts = entryName.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let process = pid_t(parts[0]), process > 0, process != ownProcess,
                  UInt32(parts[1]) != nil else { continue }
            if kill(process, 0) != 0 && errno == ESRCH {
                unlink(directory.isEmpty ? entryName : directory + "/" + entryName)
            }
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
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFCHR, S_IFIFO, S_IFSOCK:
                return
            case S_IFREG:
                break
            default:
                throw FileWriteError(path: path, reason: "is \(RegularFile.kindDescription(status.st_mode))")
            }
        } else if lstat(path, &status) == 0 {
            throw FileWriteError(path: path, reason: "is a symbolic link to a missing file")
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
