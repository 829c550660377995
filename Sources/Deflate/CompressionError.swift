/// Errors reading compressed data.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Compressed data ended before its end-of-stream marker.
    case truncated
    /// Compressed data is not valid gzip/zlib data; `detail` is zlib's message.
    case corrupt(detail: String)

    public var description: String {
        switch self {
        case .truncated:
            return "compressed data is truncated (the stream ends before its end marker)"
        case .corrupt(let detail):
            return "compressed data is corrupt: \(detail)"
        }
    }
}
