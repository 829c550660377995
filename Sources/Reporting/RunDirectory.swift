import Foundation
import MLPCore

/// An output directory for one run: writes named files into it atomically (through
/// `AtomicFile.write`, so a reader never sees half a file) and records what it wrote, in order,
/// for the report and for tests.
///
/// File names are relative paths such as `"loss.svg"` or `"figures/grid.png"`; missing
/// subdirectories are created. Writing a name again replaces the file and its record.
///
///     var directory = try RunDirectory(path: "runs/activations")
///     try directory.write(chart.svg(), to: "loss.svg")
///     try directory.writeJSON(history, to: "history.json")
///     print(directory.writtenFiles.map(\.name))   // ["loss.svg", "history.json"]
public struct RunDirectory: Sendable {
    /// One file written into the directory.
    public struct WrittenFile: Sendable, Equatable {
        /// The name relative to the directory.
        public let name: String
        /// The file's size in bytes.
        public let byteCount: Int
    }

    /// The directory's path.
    public let path: String
    /// The files written so far, in the order first written.
    public private(set) var writtenFiles: [WrittenFile] = []

    /// Opens `path` as the output directory, creating it (and its parents) when missing.
    /// - Throws: ``ReportingError/writeFailed(path:reason:)`` when the path is empty or the
    ///   directory cannot be created.
    public init(path: String) throws(ReportingError) {
        if path.isEmpty { throw .writeFailed(path: path, reason: "the output directory's path is empty") }
        do {
            try AtomicFile.createDirectories(path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
        self.path = path
    }

    /// The full path of the file `name` inside the directory.
    public func path(for name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// Writes `bytes` to the file `name`.
    /// - Throws: ``ReportingError/invalidFileName(name:reason:)`` for a name that is empty,
    ///   absolute, or contains `.`/`..` components, empty components or NUL;
    ///   ``ReportingError/writeFailed(path:reason:)`` when the system refuses.
    public mutating func write(_ bytes: [UInt8], to name: String) throws(ReportingError) {
        try Self.validate(name)
        let target = path(for: name)
        do {
            try AtomicFile.write(bytes, to: target)
        } catch {
            throw .writeFailed(path: target, reason: error.reason)
        }
        let record = WrittenFile(name: name, byteCount: bytes.count)
        if let index = writtenFiles.firstIndex(where: { $0.name == name }) {
            writtenFiles[index] = record
        } else {
            writtenFiles.append(record)
        }
    }

    /// Writes `text` as UTF-8 to the file `name`.
    public mutating func write(_ text: String, to name: String) throws(ReportingError) {
        try write(Array(text.utf8), to: name)
    }

    /// Writes `image` as a PNG file `name`.
    public mutating func write(_ image: PNGImage, to name: String) throws(ReportingError) {
        try write(image.encoded(), to: name)
    }

    /// Writes `value` as pretty-printed JSON with sorted keys (so the file is reproducible) and a
    /// final newline. NaN and infinities, which JSON lacks, are written as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"`.
    public mutating func writeJSON(_ value: some Encodable, to name: String) throws(ReportingError) {
        try write(Self.json(value, name: name), to: name)
    }

    /// The JSON bytes of `value`, as ``writeJSON(_:to:)`` writes them.
    public static func json(_ value: some Encodable, name: String = "value") throws(ReportingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return Array(try encoder.encode(value)) + [0x0A]
        } catch {
            throw .encodingFailed(name: name, reason: String(describing: error))
        }
    }

    /// Checks that `name` is a plain relative path that stays inside the directory.
    static func validate(_ name: String) throws(ReportingError) {
        if name.isEmpty { throw .invalidFileName(name: name, reason: "the name is empty") }
        if name.hasPrefix("/") { throw .invalidFileName(name: name, reason: "the name must be relative") }
        if name.contains("\0") { throw .invalidFileName(name: name, reason: "the name contains a NUL character") }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty {
                throw .invalidFileName(name: name, reason: "the name has an empty path component")
            }
            if component == "." || component == ".." {
                throw .invalidFileName(name: name, reason: "the name may not contain \"\(component)\"")
            }
        }
    }
}
