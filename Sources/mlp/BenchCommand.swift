import ArgumentParser
import Foundation
import LinearAlgebra
import Performance
import Reporting

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure kernels and training speed on this machine.",
        subcommands: [BenchGemmCommand.self, BenchTrainCommand.self, BenchAutoencoderCommand.self])
}

struct BenchGemmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Naive vs tuned Swift vs OpenBLAS (1 and 2 threads) products, as GFLOP/s and % of peak.")

    @Option(parsing: .unconditional, help: "Seconds of timing per kernel and shape.")
    var seconds: Double = 0.3

    @Flag(help: "Only the section-B network's shapes (skips the square sizes).")
    var networkOnly = false

    @Option(help: "Directory for results.md and results.json (default runs/bench-gemm-<timestamp>).")
    var out: String?

    func validate() throws {
        guard seconds > 0 && seconds.isFinite else { throw ValidationError("--seconds must be a positive number, got \(seconds)") }
    }

    func run() async throws {
        let shapes = networkOnly ? GemmBenchmark.networkShapes : GemmBenchmark.squareShapes + GemmBenchmark.networkShapes
        let benchmark = GemmBenchmark(shapes: shapes, secondsPerMeasurement: seconds)
        var standardError = StandardError()
        for line in MachineDescription.current().lines { print(line) }
        let result = benchmark.run { shape in
            print("  timing \(shape.label)…", to: &standardError)
        }
        let table = result.table
        print(table.plainText())
        print(result.peakNote)
        var directory = try RunDirectory(path: out ?? defaultRunDirectory("bench-gemm"))
        try directory.write(
            "# GEMM benchmark\n\n" + result.machine.lines.map { "- \($0)" }.joined(separator: "\n") + "\n\n" + table.markdown() + "\n\n" + result.peakNote + "\n",
            to: "results.md")
        try directory.writeJSON(result, to: "results.json")
        print("Wrote \(directory.path)/results.md and results.json")
    }
}

/// `runs/<command>-<timestamp>`, the default output directory of a command.
func defaultRunDirectory(_ command: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return "runs/\(command)-\(formatter.string(from: Date()))"
}
