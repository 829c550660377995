import Testing
@testable import LinearAlgebra
import MLPCore

/// Relative-and-absolute closeness for Float results of length-k dot products.
func expectClose(_ actual: Matrix, _ expected: Matrix, tolerance: Float = 1e-4,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.rows == expected.rows && actual.columns == expected.columns, sourceLocation: sourceLocation)
    let scale = max(1, expected.elements.map(abs).max() ?? 1)
    #expect(actual.maximumAbsoluteDifference(expected) <= tolerance * scale,
            "max difference \(actual.maximumAbsoluteDifference(expected)) exceeds \(tolerance * scale)",
            sourceLocation: sourceLocation)
}

@Suite("Matrix products")
struct ProductTests {
    static let transposeCases: [(Transpose, Transpose)] = [
        (.none, .none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed),
    ]

    @Test("sgemm matches the naive triple loop on random shapes, transposes, alpha and beta",
          arguments: transposeCases.indices)
    func blasMatchesNaive(caseIndex: Int) {
        let (transposeA, transposeB) = Self.transposeCases[caseIndex]
        var generator = SeededGenerator(seed: UInt64(100 + caseIndex))
        for _ in 0..<12 {
            let m = 1 + generator.nextIndex(below: 70)
            let n = 1 + generator.nextIndex(below: 70)
            let k = 1 + generator.nextIndex(below: 90)
            let a = transposeA == .none
                ? Matrix.random(rows: m, columns: k, using: &generator)
                : Matrix.random(rows: k, columns: m, using: &generator)
            let b = transposeB == .none
                ? Matrix.random(rows: k, columns: n, using: &generator)
                : Matrix.random(rows: n, columns: k, using: &generator)
            let start = Matrix.random(rows: m, columns: n, using: &generator)
            let alpha = Float(generator.nextIndex(below: 5)) - 2.5
            let beta: Float = [0, 1, -0.5][generator.nextIndex(below: 3)]

            var viaBLAS = start
            Matrix.multiply(a, transposeA, b, transposeB, into: &viaBLAS, alpha: alpha, beta: beta)
            var viaNaive = start
            Matrix.naiveMultiply(a, transposeA, b, transposeB, into: &viaNaive, alpha: alpha, beta: beta)
            var viaTuned = start
            Matrix.tunedMultiply(a, transposeA, b, transposeB, into: &viaTuned, alpha: alpha, beta: beta)
            expectClose(viaBLAS, viaNaive)
            expectClose(viaTuned, viaNaive)
        }
    }

    @Test("the naive product agrees with a hand-computed 2×3 · 3×2 product")
    func naiveClosedForm() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        var c = Matrix(rows: 2, columns: 2)
        Matrix.naiveMultiply(a, .none, b, .none, into: &c)
        #expect(c == Matrix([[58, 64], [139, 154]]))
        #expect(a * b == Matrix([[58, 64], [139, 154]]))
    }

    @Test("tuned product handles shapes larger than its cache blocks")
    func tunedLargeBlocks() {
        var generator = SeededGenerator(seed: 7)
        let a = Matrix.random(rows: 67, columns: 300, using: &generator)
        let b = Matrix.random(rows: 300, columns: 530, using: &generator)
        var tuned = Matrix(rows: 67, columns: 530)
        Matrix.tunedMultiply(a, .none, b, .none, into: &tuned)
        expectClose(tuned, Matrix.product(a, .none, b, .none))
    }

    @Test("the in-place product reuses the output's storage")
    func inPlaceKeepsStorage() {
        var generator = SeededGenerator(seed: 3)
        let a = Matrix.random(rows: 16, columns: 8, using: &generator)
        let b = Matrix.random(rows: 8, columns: 4, using: &generator)
        var c = Matrix(rows: 16, columns: 4)
        let before = c.withUnsafeBufferPointer { $0.baseAddress }
        for _ in 0..<3 { Matrix.multiply(a, .none, b, .none, into: &c) }
        let after = c.withUnsafeBufferPointer { $0.baseAddress }
        #expect(before == after)
    }

    @Test("gemv, axpy and scal match their definitions")
    func levelOneAndTwo() {
        var generator = SeededGenerator(seed: 11)
        let a = Matrix.random(rows: 9, columns: 5, using: &generator)
        let x = (0..<5).map { _ in generator.nextUnitFloat() - 0.5 }
        var y = (0..<9).map { _ in generator.nextUnitFloat() }
        let y0 = y
        a.multiplyVector(x, into: &y, alpha: 2, beta: 0.5)
        for i in 0..<9 {
            var dot: Float = 0
            for j in 0..<5 { dot += a[i, j] * x[j] }
            #expect(abs(y[i] - (2 * dot + 0.5 * y0[i])) < 1e-5)
        }
        let z = (0..<9).map { _ in generator.nextUnitFloat() }
        var w = [Float](repeating: 0, count: 5)
        a.multiplyVector(z, transpose: .transposed, into: &w)
        for j in 0..<5 {
            var dot: Float = 0
            for i in 0..<9 { dot += a[i, j] * z[i] }
            #expect(abs(w[j] - dot) < 1e-5)
        }

        var sum = a
        sum.add(a, scaledBy: -3)
        expectClose(sum, a.map { -2 * $0 }, tolerance: 1e-6)
        var scaled = a
        scaled.scale(by: 0.25)
        expectClose(scaled, a.map { $0 * 0.25 }, tolerance: 1e-6)
    }

    @Test("BLAS reports its configuration and honours the thread count")
    func blasControl() {
        #expect(BLAS.configuration.contains("OpenBLAS"))
        let original = BLAS.threadCount
        BLAS.setThreadCount(1)
        #expect(BLAS.threadCount == 1)
        BLAS.setThreadCount(max(1, original))
        #expect(BLAS.threadCount == max(1, original))
    }
}
