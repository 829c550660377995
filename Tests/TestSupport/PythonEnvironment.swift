import Foundation

/// A Python virtual environment with packages from PyPI, made (once per build folder) by
/// `scripts/python-venv.sh` for the tests that compare with a Python reference.
public enum PythonEnvironment {
    /// The repository's root (three levels above this file).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The packages of the ONNX reference: the checker and onnxruntime, pinned.
    public static let onnxPackages = ["onnx==1.19.1", "onnxruntime==1.23.2", "numpy==2.2.6"]

    /// The python of the environment `name` holding `packages` (pinned `name==version`), made
    /// under `.build/venv-NAME` on first use.
    /// - Throws: when the environment cannot be made (no network, no python); the error holds the
    ///   script's output.
    public static func python(_ name: String, packages: [String]) throws -> String {
        let directory = repository + "/.build/venv-" + name
        let outcome = try execute("/bin/bash", [repository + "/scripts/python-venv.sh", directory] + packages)
        guard outcome.status == 0 else {
            throw PythonEnvironmentError(description: "python-venv.sh \(name) failed: \(outcome.standardError.suffix(2000))")
        }
        return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `script` with the environment's `python`, with `arguments`; returns its output.
    public static func run(_ python: String, script: String, _ arguments: [String] = [], directory: String? = nil) throws -> String {
        let outcome = try execute(python, ["-c", script] + arguments, directory: directory)
        guard outcome.status == 0 else {
            throw PythonEnvironmentError(description: "python failed (\(outcome.status)): \(outcome.standardError.suffix(3000))")
        }
        return outcome.standardOutput
    }

    /// Runs `program` with `arguments` to its end; returns its status and outputs.
    private static func execute(
        _ program: String, _ arguments: [String], directory: String? = nil
    ) throws -> (status: Int32, standardOutput: String, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // stderr is drained on another thread, so that neither pipe fills up and blocks the child.
        let errorBox = DataBox()
        let errorReader = Thread { errorBox.data = error.fileHandleForReading.readDataToEndOfFile(); errorBox.done.signal() }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorBox.done.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorBox.data, as: UTF8.self))
    }
}

/// The bytes one reader thread collects.
private final class DataBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

/// A Python environment that could not be made, or a script that failed.
public struct PythonEnvironmentError: Error, CustomStringConvertible {
    public let description: String
}
