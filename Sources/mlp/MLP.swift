import ArgumentParser
import Foundation
import LinearAlgebra
import MessagePassing
import NeuralNetwork
#if canImport(Glibc)
import Glibc
#endif

/// The `mlp` command: a thin layer that maps options to library calls and prints.
struct MLP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Train, evaluate and study multilayer perceptrons on OpenBLAS.",
        version: toolVersion,
        subcommands: [
            DataCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            PredictCommand.self,
            InspectCommand.self,
            ExportCommand.self,
            BenchCommand.self,
            TheoryCommand.self,
            ScratchCommand.self,
            VisualizeCommand.self,
            ActivationsCommand.self,
            GridSearchCommand.self,
            AutoencoderCommand.self,
            FeaturesCommand.self,
            ReproduceCommand.self,
        ])
}

extension MLP {
    /// Whether `command` is one of the tool's commands, rather than the one ArgumentParser
    /// returns for a help request.
    static func isOwnCommand(_ command: any ParsableCommand.Type, under root: any ParsableCommand.Type = MLP.self) -> Bool {
        ObjectIdentifier(command) == ObjectIdentifier(root)
            || root.configuration.subcommands.contains { isOwnCommand(command, under: $0) }
    }
}

/// The tool's version, printed by `--version` and written into every report.
let toolVersion = "0.1.0"

@main
enum Entry {
    static func main() async {
        Interruption.install()
        do {
            var command = try MLP.parseAsRoot(joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
            // A wrong MLP_KERNELS is reported before the command runs (the kernels are chosen
            // once); help, version and usage errors come out whatever it says.
            if MLP.isOwnCommand(type(of: command)), let problem = Kernels.selectionError {
                printErrorLine(problem.description)
                exit(1)
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            MPICommunicator.finalize()
        } catch {
            // An exit code chosen by a command (130 after SIGINT, say) ends without a message.
            if let exitCode = error as? ExitCode, exitCode != .success, exitCode != .validationFailure {
                MPICommunicator.finalize()
                exit(exitCode.rawValue)
            }
            // Help, version and clean exits keep ArgumentParser's own output.
            let code = MLP.exitCode(for: error)
            if code == .success {
                MPICommunicator.finalize()
                MLP.exit(withError: error)
            }
            // The line goes out before MPI's finalize, which every rank of a job reaches together:
            // a rank that exits first with an error makes mpirun stop the others, which must have
            // printed their own line by then.
            printErrorLine(MLP.message(for: error))
            MPICommunicator.finalize()
            exit(code == .validationFailure ? 64 : 1)
        }
    }
}

/// The arguments with every `--option -1` (a negative number after an option) joined as
/// `--option=-1`, so that a negative value reaches the option's own check ("--seed must lie in
/// 0…") instead of being taken for another option ("Missing value").
func joiningNegativeValues(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
           let next = arguments[index + 1].first, next == "-", arguments[index + 1].count > 1,
           Double(arguments[index + 1]) != nil || arguments[index + 1].lowercased() == "-inf" {
            result.append(argument + "=" + arguments[index + 1])
            index += 2
            continue
        }
        result.append(argument)
        index += 1
    }
    return result
}

/// Prints `message` to stderr as one line, prefixed with `mlp: error:`. A list of `- item` lines
/// (ArgumentParser's valid values, when there are six or more) becomes `item, item, …`.
func printErrorLine(_ message: String) {
    var oneLine = ""
    var inList = false
    for line in message.split(whereSeparator: \.isNewline) {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { continue }
        if text.hasPrefix("- ") {
            oneLine += (inList ? ", " : " ") + text.dropFirst(2)
            inList = true
        } else {
            oneLine += (oneLine.isEmpty ? "" : " ") + text
            inList = false
        }
    }
    // One write of the whole line: the ranks of an MPI job share stderr, and separate writes of
    // the text and its newline interleave.
    FileHandle.standardError.write(Data("mlp: error: \(SafeTensorsProblem.excerpt(oneLine, limit: 600))\n".utf8))
}

/// A `TextOutputStream` over stderr.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
