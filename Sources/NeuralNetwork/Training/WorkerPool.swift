import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A fixed set of threads, created once per training run, that run one task in parallel on
/// request: `run()` wakes the helpers, runs `task(0)` on the calling thread and returns when
/// `task(1)`, …, `task(threadCount − 1)` have finished.
///
/// A batch runs two short jobs, about a thousand per MNIST epoch, so waking a sleeping thread
/// (a futex call and, in a virtual machine, an inter-processor interrupt: tens of microseconds)
/// would cost a noticeable share of the epoch. Helpers therefore spin on a generation counter
/// for a while after each job and only then sleep on a semaphore; the caller spins until they
/// are done. Unlike `DispatchQueue.concurrentPerform`, whose Swift overlay boxes its closure on
/// every call, a run allocates nothing: the task is fixed at creation and reads what to do from
/// its owner.
///
/// Memory order: the generation's release/acquire makes what the caller wrote before `run()`
/// visible to the helpers, and the finished count's release/acquire makes what they wrote
/// visible after it.
final class WorkerPool: @unchecked Sendable {
    let threadCount: Int
    private let task: @Sendable (Int) -> Void
    private let state: any PoolState

    /// Starts `threadCount − 1` helper threads.
    init(threadCount: Int, task: @escaping @Sendable (Int) -> Void) {
        precondition(threadCount >= 1, "a worker pool needs at least one thread, got \(threadCount)")
        self.threadCount = threadCount
        self.task = task
        if #available(macOS 15, *) {
            state = SpinningPoolState(helpers: threadCount - 1)
        } else {
            state = SleepingPoolState(helpers: threadCount - 1)
        }
        for helper in 1..<threadCount {
            let thread = Thread { [self] in self.state.serve(helper, task: self.task) }
            thread.name = "NeuralNetwork worker \(helper)"
            thread.start()
        }
    }

    /// Runs the task on every thread and waits for all of them.
    func run() {
        state.run(task: task)
    }

    /// Lets the helper threads exit; the pool must not be run afterwards.
    func shutdown() {
        state.shutdown()
    }
}

/// How the pool's threads wait for work and for each other.
private protocol PoolState: AnyObject, Sendable {
    /// Helper `index`'s loop: wait for a run, do `task(index)`, report, until shutdown.
    func serve(_ index: Int, task: (Int) -> Void)
    /// Starts a run, does `task(0)` and waits for the helpers.
    func run(task: (Int) -> Void)
    func shutdown()
}

/// Spin, then sleep: see ``WorkerPool``.
@available(macOS 15, *)
private final class SpinningPoolState: PoolState, @unchecked Sendable {
    /// Polls of the generation before a helper goes to sleep (tens of microseconds), or almost
    /// none when there are more threads than cores (a spinning helper would hold a core that a
    /// working one needs).
    private let spinsBeforeSleeping: Int
    /// Polls of the finished count between yields of the caller's core.
    static let spinsBeforeYield = 20_000

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Per helper: whether it is asleep (or about to be) on its semaphore.
    private let asleep: [SleepFlag]
    private let wake: [DispatchSemaphore]

    final class SleepFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    init(helpers: Int) {
        asleep = (0..<helpers).map { _ in SleepFlag() }
        wake = (0..<helpers).map { _ in DispatchSemaphore(value: 0) }
        spinsBeforeSleeping = helpers + 1 <= ProcessInfo.processInfo.activeProcessorCount ? 50_000 : 100
    }

    func serve(_ index: Int, task: (Int) -> Void) {
        let flag = asleep[index - 1]
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins &+= 1
                if spins < spinsBeforeSleeping { continue }
                spins = 0
                flag.value.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    // Work arrived meanwhile: withdraw the flag, or take the signal already sent.
                    if !flag.value.exchange(false, ordering: .sequentiallyConsistent) { wake[index - 1].wait() }
                } else {
                    wake[index - 1].wait()
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            task(index)
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }

    func run(task: (Int) -> Void) {
        finished.store(0, ordering: .relaxed)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
        task(0)
        var spins = 0
        while finished.load(ordering: .acquiring) < asleep.count {
            spins &+= 1
            if spins >= SpinningPoolState.spinsBeforeYield {
                spins = 0
                sched_yield()
            }
        }
    }

    func shutdown() {
        stopping.store(true, ordering: .releasing)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    private func wakeSleepers() {
        for (index, flag) in asleep.enumerated() where flag.value.exchange(false, ordering: .sequentiallyConsistent) {
            wake[index].signal()
        }
    }
}

/// Semaphores only (platforms without `Synchronization.Atomic`).
private final class SleepingPoolState: PoolState, @unchecked Sendable {
    private let wake: [DispatchSemaphore]
    private let finished = DispatchSemaphore(value: 0)
    private var stopping = false

    init(helpers: Int) {
        wake = (0..<helpers).map { _ in DispatchSemaphore(value: 0) }
    }

    func serve(_ index: Int, task: (Int) -> Void) {
        while true {
            wake[index - 1].wait()
            if stopping { return }
            task(index)
            finished.signal()
        }
    }

    func run(task: (Int) -> Void) {
        for semaphore in wake { semaphore.signal() }
        task(0)
        for _ in wake { finished.wait() }
    }

    func shutdown() {
        stopping = true
        for semaphore in wake { semaphore.signal() }
    }
}
