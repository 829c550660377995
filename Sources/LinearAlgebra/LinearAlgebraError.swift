/// Errors thrown by the linear-algebra target's C boundary (LAPACK and zlib).
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A LAPACK routine returned a non-zero `info`: negative means argument `-info` was illegal,
    /// positive means the algorithm failed to converge.
    case lapackFailure(routine: String, info: Int)
    /// Compressed data ended before its end-of-stream marker.
    case truncatedCompressedData
    /// Compressed data is not valid gzip/zlib data; `detail` is zlib's message.
    case corruptCompressedData(detail: String)

    public var description: String {
        switch self {
        case .lapackFailure(let routine, let info) where info < 0:
            return "LAPACK \(routine) rejected argument \(-info) (info = \(info))"
        case .lapackFailure(let routine, let info):
            return "LAPACK \(routine) did not converge (info = \(info))"
        case .truncatedCompressedData:
            return "compressed data is truncated (the stream ends before its end marker)"
        case .corruptCompressedData(let detail):
            return "compressed data is corrupt: \(detail)"
        }
    }
}
