import Datasets
import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting

/// What every section of the assignment shares: the seed, the `--quick` switch, the thread count,
/// where the datasets are, and how progress is shown.
///
///     let context = ExperimentContext(seed: 42, quick: true)
///     let theory = TheorySection.run(context)
public struct ExperimentContext: Sendable {
    /// The seed of every random choice (initialisations, splits, shuffles, folds).
    public var seed: UInt64
    /// Few epochs on small subsets, for smoke tests.
    public var quick: Bool
    /// Threads per training run (the engine's `threads`); 0 means every core.
    public var threads: Int
    /// An explicit Fashion-MNIST directory (`--data-dir`); nil asks the locator.
    public var fashionDirectory: String?
    /// An explicit MNIST directory; nil asks the locator (which reads `MNIST_DIR`).
    public var mnistDirectory: String?
    /// Where named datasets are looked for.
    public var locator: DatasetLocator
    /// Whether progress bars draw: nil draws only when stderr is a terminal.
    public var showsProgress: Bool?
    /// Receives one-line status messages (by default written to stderr when it is a terminal).
    public var log: @Sendable (String) -> Void
    /// The processes that share the sections' independent fits (grid search, section B); one by
    /// default. With several, every rank runs the same sections and gets the same results.
    public var communicator: any Communicator = SingleProcessCommunicator.shared

    /// A context with the given settings.
    public init(
        seed: UInt64 = 42, quick: Bool = false, threads: Int = 0, fashionDirectory: String? = nil,
        mnistDirectory: String? = nil, locator: DatasetLocator = .current, showsProgress: Bool? = nil,
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.seed = seed
        self.quick = quick
        self.threads = threads
        self.fashionDirectory = fashionDirectory
        self.mnistDirectory = mnistDirectory
        self.locator = locator
        self.showsProgress = showsProgress
        self.log = log ?? ExperimentContext.standardErrorLog
    }

    /// The number of threads a training run uses: ``threads``, or every active core when 0.
    public var resolvedThreads: Int {
        threads > 0 ? threads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// A progress bar for one training run of `total` epochs.
    public func progressBar(label: String, total: Int) -> ProgressBar {
        ProgressBar(label: label, total: total, enabled: showsProgress)
    }

    /// Writes a status line to stderr when stderr is a terminal.
    public static let standardErrorLog: @Sendable (String) -> Void = { message in
        guard ProgressBar.standardErrorIsTerminal else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The configuration rows every section records: seed, quick, threads, BLAS.
    var commonConfiguration: [(key: String, value: String)] {
        [("Seed", String(seed)), ("Quick", quick ? "yes" : "no"),
         ("Threads per run", "\(resolvedThreads)" + (threads == 0 ? " (every core)" : ""))]
    }
}
