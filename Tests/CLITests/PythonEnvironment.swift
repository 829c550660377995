import Foundation

/// A Python virtual environment with packages from PyPI, made (once per build folder) by
/// `scripts/python-venv.sh` for the tests that compare with a Python reference.
enum PythonEnvironment {
    /// The repository's root (three levels above this file).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The python of the environment `name` holding `packages` (pinned `name==version`), made
    /// under `.build/venv-NAME` on first use.
    /// - Throws: when the environment cannot be made (no network, no python); the error holds the
    ///   script's output.
    static func python(_ name: String, packages: [String]) throws -> String {
        let directory = repository + "/.build/venv-" + name
        let outcome = try CommandLine.run(program: "/bin/bash", [repository + "/scripts/python-venv.sh", directory] + packages)
        guard outcome.status == 0 else {
            throw PythonEnvironmentError(description: "python-venv.sh \(name) failed: \(outcome.standardError.suffix(2000))")
        }
        return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `script` with the environment's `python`, with `arguments`; returns its output.
    static func run(_ python: String, script: String, _ arguments: [String] = [], directory: String? = nil) throws -> String {
        let outcome = try CommandLine.run(program: python, ["-c", script] + arguments, directory: directory)
        guard outcome.status == 0 else {
            throw PythonEnvironmentError(description: "python failed (\(outcome.status)): \(outcome.standardError.suffix(3000))")
        }
        return outcome.standardOutput
    }
}

struct PythonEnvironmentError: Error, CustomStringConvertible {
    let description: String
}
