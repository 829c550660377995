import Synchronization

/// A request that training stop at the next batch boundary, from another thread or a signal
/// handler (`mlp train` raises it on SIGINT and SIGTERM).
///
/// Set a model's ``NeuralNetworkModel/stopSignal`` before `fit`. After every batch the run checks
/// the signal (with several processes, every rank learns whether any rank's was raised, in the
/// exchange of that batch's loss sums, so they all stop after the same batch); when it is raised,
/// the run writes a checkpoint if ``NeuralNetworkModel/checkpointing`` names a path, and `fit`
/// returns with ``StopReason/interrupted``. The model then holds the weights of that moment, and
/// a model made from the checkpoint resumes exactly where the run stopped.
public final class StopSignal: Sendable {
    private let requests = Atomic<Int>(0)

    public init() {}

    /// Asks the run to stop after its current batch; returns how many requests came before this
    /// one (a caller may stop at once on a second request). Lock-free: safe in a signal handler.
    @discardableResult
    public func raise() -> Int {
        requests.add(1, ordering: .sequentiallyConsistent).oldValue
    }

    /// Whether a stop has been requested.
    public var isRaised: Bool { requests.load(ordering: .sequentiallyConsistent) > 0 }
}

/// Where and how often a run writes checkpoints (see ``TrainingCheckpoint``).
public struct Checkpointing: Sendable, Hashable {
    /// The checkpoint file; each save replaces it atomically.
    public var path: String
    /// A checkpoint after every `every` epochs, after the last epoch, and when a ``StopSignal``
    /// stops the run; with 0, only when a stop signal stops it.
    public var every: Int

    public init(path: String, every: Int = 1) {
        precondition(every >= 0, "checkpoints every \(every) epochs")
        self.path = path
        self.every = every
    }
}
