import Foundation

/// A fixed set of threads, created once per training run, that run one task in parallel on
/// request: `run()` wakes the helpers, runs `task(0)` on the calling thread and returns when
/// `task(1)`, …, `task(threadCount − 1)` have finished.
///
/// Unlike `DispatchQueue.concurrentPerform`, whose Swift overlay boxes its closure on every call,
/// a run allocates nothing: the task is fixed at creation and reads what to do from its owner.
/// Semaphores order the memory accesses (what the caller wrote before `run()` is visible to the
/// helpers, and what they wrote is visible after it).
final class WorkerPool: @unchecked Sendable {
    let threadCount: Int
    private let task: @Sendable (Int) -> Void
    private let wake: [DispatchSemaphore]
    private let finished = DispatchSemaphore(value: 0)
    private var stopping = false

    /// Starts `threadCount − 1` helper threads.
    init(threadCount: Int, task: @escaping @Sendable (Int) -> Void) {
        precondition(threadCount >= 1, "a worker pool needs at least one thread, got \(threadCount)")
        self.threadCount = threadCount
        self.task = task
        wake = (1..<Swift.max(threadCount, 1)).map { _ in DispatchSemaphore(value: 0) }
        for helper in 1..<threadCount {
            let thread = Thread { [self] in self.serve(helper) }
            thread.name = "NeuralNetwork worker \(helper)"
            thread.start()
        }
    }

    private func serve(_ index: Int) {
        while true {
            wake[index - 1].wait()
            if stopping { return }
            task(index)
            finished.signal()
        }
    }

    /// Runs the task on every thread and waits for all of them.
    func run() {
        for semaphore in wake { semaphore.signal() }
        task(0)
        for _ in 1..<threadCount { finished.wait() }
    }

    /// Lets the helper threads exit; the pool must not be run afterwards.
    func shutdown() {
        stopping = true
        for semaphore in wake { semaphore.signal() }
    }
}
