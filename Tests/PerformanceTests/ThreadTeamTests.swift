import LinearAlgebra
import MLPCore
import Foundation
import Testing
@testable import Performance

@Suite("Thread teams and the FMA peak")
struct ThreadTeamTests {
    @Test("each member runs on its own new thread, and the results come back in member order")
    func membersAndOrder() {
        let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let results = ThreadTeam.run(threads: 3) { member in
            (member: member * 10, thread: UInt(bitPattern: Int(bitPattern: pthread_self())))
        }
        #expect(results.map(\.member) == [0, 10, 20])
        #expect(Set(results.map(\.thread)).count == 3)
        #expect(!results.contains { $0.thread == caller })
    }

    @Test("the peak counts 10 chains × one register's lanes × 2 flops an iteration on every thread")
    func peak() {
        let lanes: [KernelPath: Int] = [.baseline: 4, .avx2: 8, .avx512: 16]
        #expect(PeakThroughput.flopsPerIteration == 10 * lanes[Kernels.activePath]! * 2)
        #expect(PeakThroughput.measure(threads: 1, iterations: 10_000, rounds: 1) > 0)
        #expect(PeakThroughput.measure(threads: 2, iterations: 10_000, rounds: 2) > 0)
        #expect(PeakThroughput.calibratedIterations(seconds: 0.01) >= 1)
    }

    struct Planted: Error, Equatable {}

    @Test("a benchmark's peak is the higher of a measurement before and one after its timed work, which runs once between them")
    func peakAroundTimedWork() throws {
        for (first, second, expected) in [(5.0, 7.0, 7.0), (9.0, 3.0, 9.0), (Double.nan, 4.0, 4.0), (6.0, .nan, 6.0)] {
            var events: [String] = []
            var readings = [first, second]
            let (outcome, peak) = PeakThroughput.higher(of: { events.append("measure"); return readings.removeFirst() }) {
                events.append("body")
                return 42
            }
            #expect(outcome == 42)
            #expect(peak == expected)
            #expect(events == ["measure", "body", "measure"])
        }
        var measured = 0
        #expect(throws: Planted()) {
            _ = try PeakThroughput.higher(of: { measured += 1; return 1 }) { () throws(Planted) -> Int in throw Planted() }
        }
        #expect(measured == 1)
        let (_, real) = PeakThroughput.measureAround(threads: 1, iterations: 10_000) { 0 }
        #expect(real > 0)
    }
}
