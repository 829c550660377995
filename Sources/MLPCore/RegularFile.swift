#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read.
public enum FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing is at the path.
    case missing
    /// Something other than a regular file is there: `kind` says what ("a directory", "a FIFO").
    case notARegularFile(kind: String)
    /// The file is larger than the caller accepts.
    case tooLarge(size: Int, limit: Int)
    /// The system refused (permission denied, an I/O error).
    case system(String)

    public var description: String {
        switch self {
        case .missing: return "no such file"
        case .notARegularFile(let kind): return "is \(kind), not a regular file"
        case .tooLarge(let size, let limit): return "is \(size) bytes, more than the \(limit) accepted"
        case .system(let reason): return reason
        }
    }
}

/// Whole reads of regular files that never block and never trust a size they have not checked:
/// the path is opened without blocking (a FIFO would otherwise wait for a writer forever), its
/// type is checked before a byte is read, and its size is checked against a limit before the
/// buffer is allocated.
public enum RegularFile {
    /// What `mode` (a `stat` mode) describes, with its article: "a directory", "a FIFO", …
    public static func kindDescription(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a file"
        }
    }

    /// Opens the regular file at `path` (following symbolic links) for reading, without blocking,
    /// having checked its type before opening and again on what was opened; returns the
    /// descriptor, which the caller closes, and the size.
    static func openRegularFile(_ path: String) throws(FileReadError) -> (descriptor: Int32, size: Int) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw errno == ENOENT ? .missing : .system(String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(kind: kindDescription(status.st_mode)) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            throw errno == ENOENT ? .missing : .system(String(cString: strerror(errno)))
        }
        // The path may have been replaced between stat and open: check what was opened.
        guard fstat(descriptor, &status) == 0 else {
            let failure = errno
            close(descriptor)
            throw .system(String(cString: strerror(failure)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notARegularFile(kind: kindDescription(status.st_mode))
        }
        return (descriptor, Int(status.st_size))
    }

    /// The bytes of the regular file at `path` (following symbolic links), at most `limit` bytes.
    public static func read(_ path: String, limit: Int = Int.max) throws(FileReadError) -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path)
        defer { close(descriptor) }
        guard size <= limit else { throw .tooLarge(size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < size {
                let result = Glibc.read(descriptor, base + filled, size - filled)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if result == 0 { return }  // The file shrank while it was read.
                filled += result
            }
        }
        if failure != 0 { throw .system(String(cString: strerror(failure))) }
        if filled < size { bytes.removeSubrange(filled...) }
        return bytes
    }
}

/// A regular file mapped read-only into memory: its bytes are read by the kernel as they are
/// touched, so a multi-gigabyte array is used in place rather than copied first. Opened like
/// ``RegularFile/read(_:limit:)`` (without blocking, its type checked on what was opened); the
/// mapping lives as long as this object.
public final class MappedRegularFile: @unchecked Sendable {
    /// The first byte (valid for ``count`` bytes; never written).
    public let bytes: UnsafeRawPointer
    /// The file's size in bytes.
    public let count: Int

    /// Maps the regular file at `path`.
    /// - Throws: ``FileReadError`` when nothing is there, it is not a regular file, it is empty,
    ///   or the system refuses.
    public init(path: String) throws(FileReadError) {
        let (descriptor, size) = try RegularFile.openRegularFile(path)
        defer { close(descriptor) }
        guard size > 0 else { throw .system("the file is empty") }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .system(String(cString: strerror(errno)))
        }
        bytes = UnsafeRawPointer(address)
        count = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes), count)
    }
}
