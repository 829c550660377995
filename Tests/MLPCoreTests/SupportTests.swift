import Foundation
@testable import MLPCore
import Testing
import TestSupport

@Suite("atomic files and the seeded generator")
struct SupportTests {
    @Test("atomic writes leave exactly the final file")
    func atomicWrite() throws {
        let directory = try makeTemporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/nested/out.txt"
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/nested") == ["out.txt"])
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: path + "/below-a-file") }
    }

    @Test("the generator is reproducible and its draws have the right range and moments")
    func generator() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        var other = SeededGenerator(seed: 43)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in second.next() })
        #expect(a != (0..<8).map { _ in other.next() })

        var generator = SeededGenerator(seed: 1)
        let draws = 200_000
        var sum = 0.0, sumOfSquares = 0.0
        for _ in 0..<draws {
            let value = Double(generator.nextStandardNormal())
            sum += value
            sumOfSquares += value * value
        }
        let mean = sum / Double(draws)
        #expect(abs(mean) < 0.01)
        #expect(abs(sumOfSquares / Double(draws) - mean * mean - 1) < 0.02)
        for _ in 0..<1000 {
            let u = generator.nextUnitFloat()
            #expect(u >= 0 && u < 1)
            #expect((0..<7).contains(generator.nextIndex(below: 7)))
        }
        var shuffled = Array(0..<50)
        seededShuffle(&shuffled, using: &generator)
        #expect(shuffled.sorted() == Array(0..<50))
        #expect(shuffled != Array(0..<50))
    }
}
