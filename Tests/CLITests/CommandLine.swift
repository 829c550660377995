import Foundation

/// Runs the `mlp` executable: `MLP_BINARY` when set (CI points it at the release build), else the
/// debug build next to the test bundle.
enum CommandLine {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["MLP_BINARY"], !path.isEmpty { return path }
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [bundle.appendingPathComponent("mlp"),
                          Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("mlp")] {
            if let candidate, FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        return bundle.appendingPathComponent("mlp").path
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Outcome {
        try run(program: binaryPath, arguments, environment: environment, directory: directory)
    }

    /// Runs `program` (for example `mpirun`) with `arguments` to its end.
    static func run(
        program: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData, as: UTF8.self))
    }
}
