#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMLP

/// The files the C API reads and writes (models and checkpoints) are regular files. A FIFO, a
/// device, a socket or a directory is refused with `MLP_ERROR_IO` before any byte moves: reading a
/// FIFO would block the caller's thread until a writer comes, reading `/dev/zero` would never
/// end, and an atomic save would rename its temporary file over a device node.
enum FileAccess {
    /// The bytes of the regular file at `path`, read without blocking: its type is checked with
    /// `stat` before it is opened (a device is never opened), then opened with `O_NONBLOCK` (so
    /// that a FIFO put in its place meanwhile returns at once) and checked again with `fstat` on
    /// that descriptor; at most its size is read, after checking that size against the memory
    /// budget (`copies` times: the bytes and what is decoded from them).
    static func readRegularFile(_ path: String, kind: String, copies: Int = 3) throws(CAPIError) -> [UInt8] {
        func failure(_ reason: String) -> CAPIError {
            CAPIError(status: MLP_ERROR_IO, message: "\(kind) \(path): cannot read: \(reason)")
        }
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            throw failure("is \(typeName(status.st_mode)), not a regular file")
        }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            throw failure(code == ENOENT ? "no such file" : code == EACCES ? "permission denied" : String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { throw failure(String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw failure("is \(typeName(status.st_mode)), not a regular file")
        }
        let size = Int(status.st_size)
        let (total, overflow) = size.multipliedReportingOverflow(by: copies)
        try Allocation.check(overflow ? nil : total, for: "reading the \(size)-byte \(kind)")
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        let readFailure: String? = bytes.withUnsafeMutableBytes { buffer in
            while filled < size {
                let result = read(descriptor, buffer.baseAddress! + filled, size - filled)
                if result < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if result == 0 { break }
                filled += result
            }
            return nil
        }
        if let readFailure { throw failure(readFailure) }
        // A file that shrank while it was read is decoded as it was found: truncated.
        if filled < size { bytes.removeLast(size - filled) }
        return bytes
    }

    /// Fails with `MLP_ERROR_IO` when `path` exists (after following symbolic links) and is not a
    /// regular file. A missing file is fine: the library creates it.
    static func checkWritableTarget(_ path: String, kind: String) throws(CAPIError) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CAPIError(status: MLP_ERROR_IO,
                            message: "\(kind) \(path): cannot write: is \(typeName(status.st_mode)), not a regular file")
        }
    }

    /// "a directory", "a FIFO", … for a `st_mode`.
    static func typeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        case S_IFREG: return "a regular file"
        default: return "a special file"
        }
    }
}
