import ArgumentParser
import Datasets
import Experiments
import Foundation
import NeuralNetwork
import Reporting

/// Options every experiment subcommand shares.
struct ExperimentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output directory (default: runs/<command>-<timestamp>).", valueName: "dir"))
    var out: String?

    @Option(parsing: .unconditional, help: "The seed of every random choice, 0 to 2⁶⁴ − 1. (default: \(Self.defaultSeed))",
            transform: parseSeed)
    var seed: UInt64 = Self.defaultSeed
    static let defaultSeed: UInt64 = 42

    @Flag(help: "Few epochs on small subsets, for smoke tests.")
    var quick = false

    @Option(parsing: .unconditional, help: "Threads per training run (0: every core).")
    var threads: Int = 0

    @Option(help: ArgumentHelp("The directory holding the dataset's four IDX files.", valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        try OptionCheck.threads(threads)
    }

    /// The library's context; `dataset` says which dataset `--data-dir` refers to. Only rank 0 of
    /// a distributed run shows progress and status lines.
    func context(
        dataset: NamedDataset = .fashionMNIST, communicator: any Communicator = SingleProcessCommunicator.shared
    ) -> ExperimentContext {
        var context = ExperimentContext(
            seed: seed, quick: quick, threads: threads,
            fashionDirectory: dataset == .fashionMNIST ? dataDir : nil,
            mnistDirectory: dataset == .mnist ? dataDir : nil)
        context.communicator = communicator
        if !communicator.isLeader {
            context.showsProgress = false
            context.log = { _ in }
        }
        return context
    }

    /// Prints `result`, writes its files into the output directory and says where.
    func finish(_ result: SectionResult, command: String) throws {
        print(result.terminalText())
        var directory = try RunDirectory(path: out ?? defaultRunDirectory(command))
        try result.write(to: &directory, command: "mlp " + command + (quick ? " --quick" : ""))
        print("Wrote \(directory.writtenFiles.map(\.name).joined(separator: ", ")) to \(directory.path)")
    }
}

/// `mlp reproduce`: every section in order, with report.html and report.md; `--resume` continues
/// an interrupted run.
struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run sections A, B and C1–C5 in order and write report.html and report.md.",
        discussion: """
            MNIST (section B) is found through --mnist-dir or MNIST_DIR; when it is missing, section B says how to \
            get it and the rest still runs. Fashion-MNIST is found through --data-dir, FASHION_MNIST_DIR or \
            /usr/share/datasets/fashion-mnist.

            Each section is saved in <out>/sections/ as it finishes. When a run is interrupted (Ctrl-C, kill, a \
            lost machine), mlp reproduce --resume <dir> continues it: the sections saved in <dir> are reused, with \
            their durations, the others run, and the report is written into <dir> as the uninterrupted run would \
            have written it (but for the total time and the date). Sections that were skipped for missing data run \
            again. --out may be left out or must name <dir>. The run must be resumed with the same --seed, --quick \
            and --threads, the same number of processes (--distributed), the same mlp version and the same BLAS; \
            the data directories may differ. A directory without a saved run, different options or a corrupt saved \
            file are refused with one line.
            """)

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var distribution: DistributionOptions

    @Option(help: ArgumentHelp("The directory holding MNIST's four IDX files (default: MNIST_DIR).", valueName: "dir"))
    var mnistDir: String?

    @Option(help: ArgumentHelp(
        "Continue the interrupted run in <dir>: reuse its finished sections, run the others, write the report there.",
        valueName: "dir"))
    var resume: String?

    func validate() throws {
        guard let resume else { return }
        if resume.isEmpty { throw ValidationError("--resume needs the directory of the run to continue") }
        if let out = options.out, Self.standardized(out) != Self.standardized(resume) {
            throw ValidationError("--resume \(resume) writes into \(resume); leave out --out \(out) or give --out \(resume)")
        }
    }

    func run() async throws {
        let communicator = try distribution.communicator()
        var context = options.context(communicator: communicator)
        context.mnistDirectory = mnistDir
        let path = resume ?? options.out ?? defaultRunDirectory("reproduce")
        let reproduction = Reproduction(context: context, toolVersion: toolVersion,
                                        commandLine: "mlp " + CommandLine.arguments.dropFirst().joined(separator: " "))
        // Written unbuffered, so each section's tables appear as it ends even when stdout is a file.
        func write(_ text: String) {
            if communicator.isLeader { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
        }
        if resume == nil {
            write("Each section is saved in \(path)/sections/ as it finishes; "
                  + "should the run stop, mlp reproduce --resume \(path) with the same options continues it.")
        }
        let outcome = try await communicator.collectively {
            try reproduction.run(outputDirectory: communicator.isLeader ? path : nil, resume: resume != nil) { section in
                write(section.terminalText())
            } sectionReused: { section, file in
                write("Reusing \(section.shortTitle) (finished earlier, \(NumberFormat.duration(seconds: section.duration))) from \(file)")
            }
        }
        guard communicator.isLeader else { return }
        print("")
        print("Goals: \(outcome.goals.filter(\.met).count) of \(outcome.goals.count) met")
        for goal in outcome.goals where !goal.met { print("  " + goal.line) }
        print("Total \(NumberFormat.duration(seconds: outcome.totalSeconds)). Wrote report.html, report.md, results.json, "
              + "results.md and \(outcome.fileCount - 4) figures to \(path)")
    }

    /// `path` made absolute and without `.`, `..` or a final `/`, to compare two spellings of a directory.
    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
