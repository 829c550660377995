import ArgumentParser
import Datasets
import Experiments
import NeuralNetwork

/// The range checks of numeric options, as usage errors (exit 64) that name the option, what is
/// valid and what was given.
enum OptionCheck {
    /// `value`, when given, is at least `minimum`.
    static func atLeast<Value: Comparable>(_ minimum: Value, _ value: Value?, _ option: String) throws {
        if let value, value < minimum { throw ValidationError("\(option) must be at least \(minimum), got \(value)") }
    }

    /// `value`, when given, is a positive finite number.
    static func positive<Value: BinaryFloatingPoint>(_ value: Value?, _ option: String) throws {
        if let value, !(value > 0 && value.isFinite) {
            throw ValidationError("\(option) must be positive and finite, got \(value)")
        }
    }

    /// `threads` lies in 0...1024 (0 means every core).
    static func threads(_ threads: Int) throws {
        guard (0...1024).contains(threads) else {
            throw ValidationError("--threads must lie in 0...1024 (0: every core), got \(threads)")
        }
    }
}

/// The `--epochs` cap of the sections that train.
struct EpochCap: ParsableArguments {
    @Option(parsing: .unconditional, help: "The most epochs any model trains (early stopping may end sooner).")
    var epochs: Int?

    func validate() throws { try OptionCheck.atLeast(1, epochs, "--epochs") }

    /// Replaces `maxEpochs` when `--epochs` was given.
    func apply(to maxEpochs: inout Int) {
        if let epochs { maxEpochs = epochs }
    }
}

/// A command that runs one section of the assignment, prints it and writes its files.
protocol SectionCommand: AsyncParsableCommand {
    /// The options every section shares.
    var options: ExperimentOptions { get }
    /// The dataset `--data-dir` refers to (Fashion-MNIST unless a section says otherwise).
    static var dataset: NamedDataset { get }
    /// Runs the section in `context` and renders its result.
    func section(in context: ExperimentContext) throws -> SectionResult
    /// The processes that share the section's fits: one, unless the command takes `--distributed`.
    func communicator() throws -> any Communicator
}

extension SectionCommand {
    static var dataset: NamedDataset { .fashionMNIST }

    func communicator() throws -> any Communicator { SingleProcessCommunicator.shared }

    func run() async throws {
        let communicator = try communicator()
        let context = options.context(dataset: Self.dataset, communicator: communicator)
        let result = try await communicator.collectively { try section(in: context) }
        guard communicator.isLeader else { return }
        try options.finish(result, command: Self.configuration.commandName ?? "section")
    }
}
