import Foundation
@testable import NeuralNetwork
import Testing

/// The spin-then-sleep pool: every run reaches every thread once, including after the helpers
/// have gone to sleep.
@Suite struct WorkerPoolTests {
    final class Counts: @unchecked Sendable {
        let values: UnsafeMutablePointer<Int>
        init(_ count: Int) {
            values = .allocate(capacity: count)
            values.initialize(repeating: 0, count: count)
        }
        deinit { values.deallocate() }
    }

    @Test(arguments: [2, 3, 5])
    func everyRunReachesEveryThreadOnce(threads: Int) {
        let counts = Counts(threads)
        let pool = WorkerPool(threadCount: threads) { index in counts.values[index] += 1 }
        for round in 1...2_000 {
            pool.run()
            if round == 1_000 { Thread.sleep(forTimeInterval: 0.05) }  // longer than the spin budget
        }
        #expect((0..<threads).allSatisfy { counts.values[$0] == 2_000 })
        pool.shutdown()
    }
}
