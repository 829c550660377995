import Foundation
import Testing
@testable import LinearAlgebra

@Suite("zlib, atomic files and the seeded generator")
struct SupportTests {
    @Test("gzip and zlib round trips, and concatenated gzip members")
    func compressionRoundTrip() throws {
        var generator = SeededGenerator(seed: 9)
        let payload = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.nextIndex(below: 16)) }
        let gz = Zlib.gzip(payload)
        #expect(Zlib.isGzip(gz))
        #expect(try Zlib.decompress(gz) == payload)
        #expect(try Zlib.decompress(Zlib.compress(payload)) == payload)
        #expect(try Zlib.decompress(Zlib.gzip([1, 2, 3]) + Zlib.gzip([4, 5])) == [1, 2, 3, 4, 5])
    }

    @Test("truncated and corrupt streams are typed errors")
    func compressionErrors() {
        let gz = Zlib.gzip(Array(repeating: 7, count: 5_000) + Array(0...255))
        #expect(throws: LinearAlgebraError.truncatedCompressedData) {
            try Zlib.decompress(Array(gz.prefix(gz.count / 2)))
        }
        var corrupt = gz
        corrupt[3] = 0xff  // reserved flag bits make the gzip header invalid
        #expect {
            try Zlib.decompress(corrupt)
        } throws: { error in
            if case .corruptCompressedData = error as? LinearAlgebraError { return true }
            return false
        }
    }

    @Test("CRC-32 of the standard check string")
    func crc() {
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("atomic writes leave exactly the final file")
    func atomicWrite() throws {
        let directory = NSTemporaryDirectory() + "atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
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
