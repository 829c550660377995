import Dispatch
import Foundation

/// Runs one body on several new threads that start together, for measurements that need every
/// core busy at once.
///
/// `DispatchQueue.concurrentPerform` may run its iterations one after another on fewer threads than
/// asked (it did so here: two FMA loops shared one core, and a 2-thread peak read as one core's).
/// A team instead starts a `Thread` per member, waits until every member is running, and only then
/// releases them, so the kernel sees all of them runnable at the same moment.
public enum ThreadTeam {
    /// Runs `body(0)`, …, `body(threads − 1)`, each on its own new thread, and returns their
    /// results in member order once all have returned.
    ///
    /// The members are released together (a semaphore each) after all have started. What the
    /// caller wrote before the call is visible to every member, and what the members wrote is
    /// visible to the caller afterwards.
    public static func run<Result: Sendable>(
        threads: Int, name: String = "team", _ body: @escaping @Sendable (Int) -> Result
    ) -> [Result] {
        precondition(threads >= 1, "a thread team needs at least one member, got \(threads)")
        let rendezvous = Rendezvous<Result>(members: threads)
        for member in 0..<threads {
            let thread = Thread {
                rendezvous.ready.signal()
                rendezvous.start[member].wait()
                rendezvous.results[member] = body(member)
                rendezvous.finished.signal()
            }
            thread.name = "\(name) \(member)"
            thread.start()
        }
        for _ in 0..<threads { rendezvous.ready.wait() }
        for semaphore in rendezvous.start { semaphore.signal() }
        for _ in 0..<threads { rendezvous.finished.wait() }
        return rendezvous.results.map { result in
            guard let result else { preconditionFailure("a team member returned no result") }
            return result
        }
    }
}

/// The semaphores and result slots one ``ThreadTeam/run(threads:name:_:)`` shares with its members.
/// Each member writes only its own slot (raw memory, so that no two members touch one array), and
/// the caller reads the slots after every member has signalled `finished`, so they need no lock.
private final class Rendezvous<Result: Sendable>: @unchecked Sendable {
    let ready = DispatchSemaphore(value: 0)
    let start: [DispatchSemaphore]
    let finished = DispatchSemaphore(value: 0)
    let results: UnsafeMutableBufferPointer<Result?>

    init(members: Int) {
        start = (0..<members).map { _ in DispatchSemaphore(value: 0) }
        results = .allocate(capacity: members)
        results.initialize(repeating: nil)
    }

    deinit {
        results.deinitialize()
        results.deallocate()
    }
}
