/// A user-facing failure while writing report files.
public enum ReportingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file name is not a plain relative path inside the output directory.
    case invalidFileName(name: String, reason: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)
    /// A value could not be encoded as JSON.
    case encodingFailed(name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidFileName(let name, let reason):
            return "invalid output file name \"\(name)\": \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .encodingFailed(let name, let reason):
            return "cannot encode \(name) as JSON: \(reason)"
        }
    }
}
