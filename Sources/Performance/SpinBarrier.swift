#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A reusable barrier for a fixed number of threads that spins instead of sleeping, so that a
/// wait costs well under a microsecond when every thread is on its own core.
///
/// The last thread to arrive resets the count and advances the generation; the others spin until
/// the generation changes, yielding the core after a while in case the thread they wait for has
/// been descheduled (the machine may be busy). Everything a thread wrote before ``wait()`` is
/// visible to every thread after it (the count's read-modify-write and the generation's release
/// and acquire order the accesses).
@available(macOS 15, *)
final class SpinBarrier: Sendable {
    let threadCount: Int
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    /// Spins before each yield of the core.
    private let spinsBeforeYield = 4_000

    init(threadCount: Int) {
        precondition(threadCount >= 1, "a barrier needs at least one thread, got \(threadCount)")
        self.threadCount = threadCount
    }

    /// Returns once all ``threadCount`` threads have called it (in this generation).
    func wait() {
        guard threadCount > 1 else { return }
        let current = generation.load(ordering: .acquiring)
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == threadCount {
            arrived.store(0, ordering: .relaxed)
            generation.store(current &+ 1, ordering: .releasing)
            return
        }
        var spins = 0
        while generation.load(ordering: .acquiring) == current {
            spins &+= 1
            if spins >= spinsBeforeYield {
                spins = 0
                sched_yield()
            }
        }
    }
}
