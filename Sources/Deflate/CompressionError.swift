/// Errors reading compressed data.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Compressed data ended before its end-of-stream marker.
    case truncated
    /// Compressed data is not valid gzip/zlib data; `detail` is zlib's message.
    case corrupt(detail: String)
    /// The decompressed data would exceed the size the caller accepts (a gzip bomb, or a file
    /// longer than its header promises).
    case exceedsLimit(Int)

    public var description: String {
        switch self {
        case .truncated:
            return "compressed data is truncated (the stream ends before its end marker)"
        case .corrupt(let detail):
            return "compressed data is corrupt: \(detail)"
        case .exceedsLimit(let limit):
            return "the data inflates to more than the \(limit) bytes expected"
        }
    }
}
