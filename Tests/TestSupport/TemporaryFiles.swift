import Foundation

/// A fresh, empty directory under the system's temporary directory, named after `label`; the
/// caller removes it.
public func makeTemporaryDirectory(_ label: String = "test") throws -> String {
    let path = NSTemporaryDirectory() + "mlp-\(label)-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `body` with a fresh directory (``makeTemporaryDirectory(_:)``) and removes the directory afterwards.
public func withTemporaryDirectory<Result>(_ label: String = "test", _ body: (String) throws -> Result) throws -> Result {
    let directory = try makeTemporaryDirectory(label)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

/// The async form of ``withTemporaryDirectory(_:_:)``.
public func withTemporaryDirectory<Result>(
    _ label: String = "test", _ body: (String) async throws -> Result
) async throws -> Result {
    let directory = try makeTemporaryDirectory(label)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// A path for a file named `name` in a fresh directory of its own (the file is not created).
public func temporaryFilePath(_ name: String) throws -> String {
    try makeTemporaryDirectory("file") + "/" + name
}

/// The names of the files in `directory`, sorted.
public func fileNames(in directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}

/// Writes raw bytes (no atomic rename: tests also write deliberately bad files).
public func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
