import Foundation

/// Why `mlp reproduce --resume` cannot continue the run in a directory. Each is one line that
/// names the directory or file and says what to do.
public enum ResumeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The directory holds no saved reproduction: `sections/run.json` is missing.
    case notARunDirectory(path: String)
    /// The options that change the results differ from those the run was started with;
    /// `started` and `given` are the differing options, e.g. "--seed 42 --quick" and "--seed 7".
    case optionsDiffer(path: String, started: String, given: String)
    /// A saved file cannot be read or decoded; `remedy` says what to do, e.g. "delete it to run
    /// C2 again".
    case corruptFile(path: String, reason: String, remedy: String)

    public var description: String {
        switch self {
        case .notARunDirectory(let path):
            return "\(path) holds no reproduction to resume (\(SavedSections.recordPath(in: path)) is missing); "
                + "start one with mlp reproduce --out \(path)"
        case .optionsDiffer(let path, let started, let given):
            return "\(path) was started with \(started), not \(given); resume it with the same options"
        case .corruptFile(let path, let reason, let remedy):
            return "\(path) is corrupt (\(reason)): \(remedy)"
        }
    }

    /// `error`, an error of reading or decoding a saved file, as a short reason: the decoder's
    /// message and where in the file it happened.
    static func reason(_ error: any Error) -> String {
        func location(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "" }
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return " at " + (text.hasPrefix(".") ? String(text.dropFirst()) : text)
        }
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            return context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                + underlying + location(context.codingPath)
        case .keyNotFound(let key, let context):
            return "no \"\(key.stringValue)\"" + location(context.codingPath)
        case .typeMismatch(let type, let context):
            return "expected \(type)" + location(context.codingPath)
        case .valueNotFound(let type, let context):
            return "\(type) missing" + location(context.codingPath)
        @unknown default:
            return "\(decoding)"
        }
    }
}
