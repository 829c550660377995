import Testing
@testable import LinearAlgebra
@testable import Performance

@Suite("Benchmark plumbing")
struct GemmBenchmarkTests {
    @Test("a tiny run fills every column, and the table has one row per shape")
    func tinyRun() {
        let shapes = [GemmBenchmark.Shape(m: 8, n: 8, k: 8), GemmBenchmark.Shape(m: 4, n: 6, k: 10)]
        let result = GemmBenchmark(shapes: shapes, secondsPerMeasurement: 0.01, peakIterations: 10_000).run()
        #expect(result.rows.count == 2)
        #expect(result.rows.allSatisfy { ($0.naive ?? 0) > 0 && $0.tuned > 0 && $0.blasOneThread > 0 })
        #expect(result.peakOneThread > 0 && result.peakTwoThreads > 0)
        #expect(result.table.rows.count == 2)
        #expect(result.table.rows[1][0] == "4×6×10")
        #expect(result.table.rows[0][0] == "8³")
    }

    @Test("flop count and median follow their definitions")
    func definitions() {
        #expect(GemmBenchmark.Shape(m: 2, n: 3, k: 4).flops == 48)
        #expect(Stopwatch.median([3, 1, 2]) == 2)
        #expect(Stopwatch.median([4, 1, 2, 3]) == 2.5)
    }
}
