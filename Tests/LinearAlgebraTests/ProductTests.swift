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

    @Test("a worker's product in small blocks: how many, and the same values as the naive product")
    func smallBlocks() {
        func count(_ a: Transpose, _ b: Transpose, _ m: Int, _ n: Int, _ k: Int, kernels: Bool = true, threads: Int = 1) -> Int {
            BLAS.smallBlockCount(a, b, m: m, n: n, k: k, hasSmallMatrixKernels: kernels, threadCount: threads)
        }
        // The section-B network's 256→128 layer at 64 rows per worker (2,097,152 multiply-adds):
        // C's 128 columns in 4 blocks of 32 (524,288 each), the gradient's 256 rows in 4 of 64.
        #expect(count(.none, .none, 64, 128, 256) == 4)
        #expect(count(.transposed, .none, 256, 128, 64) == 4)
        // At 128 rows (4,194,304): 8 blocks, 16 columns or 32 rows each; at 192 rows (6,291,456)
        // 8; its 128→64 layer at 128 rows (1,048,576): 2.
        #expect(count(.none, .none, 128, 128, 256) == 8)
        #expect(count(.transposed, .none, 256, 128, 128) == 8)
        #expect(count(.none, .none, 192, 128, 256) == 8)
        #expect(count(.none, .none, 128, 64, 128) == 2)
        // Uneven: 100 columns of 64 × 200 → 1,280,000; 2 blocks of 50 (640,000).
        #expect(count(.none, .none, 64, 100, 200) == 2)
        // One call: within the limit, past four times it, with Bᵀ, without small-matrix kernels,
        // with OpenBLAS's own threads, and when no block of the split side gets within the limit.
        #expect(count(.none, .none, 100, 100, 100) == 1)
        #expect(count(.none, .none, 256, 128, 256) == 1)  // 8,388,608
        #expect(count(.none, .transposed, 64, 256, 128) == 1)
        #expect(count(.none, .none, 64, 128, 256, kernels: false) == 1)
        #expect(count(.none, .none, 64, 128, 256, threads: 2) == 1)
        #expect(count(.transposed, .none, 1, 4_000, 1_000) == 1)
        #expect(count(.none, .none, 4_000, 2, 1_000) == 1)
        #expect(count(.none, .none, Int.max, 2, 2) == 1)

        // Values, in one call and in blocks, with OpenBLAS clearing C for beta = 0 or clearing it
        // first, against the naive product, with views (leading dimensions wider than the
        // operands), alpha, beta 0.5, and beta 0 over NaN (which must not reach the result);
        // also the public entry, as this machine's core arranges it.
        var generator = SeededGenerator(seed: 77)
        for (transposeA, transposeB, m, n, k, expectedBlocks) in [
            (Transpose.none, Transpose.none, 64, 128, 256, 4), (.transposed, .none, 256, 128, 64, 4), (.none, .none, 64, 100, 200, 2),
            (.transposed, .none, 200, 100, 64, 2), (.none, .transposed, 64, 100, 50, 1),
        ] {
            let a = transposeA == .none ? Matrix.random(rows: m, columns: k + 3, using: &generator)
                : Matrix.random(rows: k, columns: m + 3, using: &generator)
            let b = transposeB == .none ? Matrix.random(rows: k, columns: n + 5, using: &generator)
                : Matrix.random(rows: n, columns: k + 5, using: &generator)
            let start = Matrix.random(rows: m, columns: n + 7, using: &generator)
            let blocks = BLAS.smallBlockCount(transposeA, transposeB, m: m, n: n, k: k, hasSmallMatrixKernels: true, threadCount: 1)
            #expect(blocks == expectedBlocks, "\(m)×\(n)×\(k): \(blocks) blocks")
            for (beta, blockCount, clears) in [(Float(0.5), 1, false), (0.5, blocks, false), (0.5, blocks, true), (0, 1, false),
                                               (0, blocks, false), (0, 1, true), (0, blocks, true), (0, 0, false), (0.5, 0, false)] {
                var initial = start
                if beta == 0 { for row in 0..<m { for column in 0..<n { initial[row, column] = .nan } } }
                var result = initial
                BLAS.withThreadCount(1) {
                    result.elements.withUnsafeMutableBufferPointer { c in
                        if blockCount == 0 {
                            BLAS.gemmTunedForCore(transposeA, transposeB, m: m, n: n, k: k, alpha: 1.5, a: a.elements, lda: a.columns,
                                                  b: b.elements, ldb: b.columns, beta: beta, c: c.baseAddress!, ldc: start.columns)
                        } else {
                            BLAS.gemmTunedForCore(transposeA, transposeB, m: m, n: n, k: k, alpha: 1.5, a: a.elements, lda: a.columns,
                                                  b: b.elements, ldb: b.columns, beta: beta, c: c.baseAddress!, ldc: start.columns,
                                                  blocks: blockCount, clearsOutput: clears)
                        }
                    }
                }
                var worst: Double = 0
                for row in 0..<m {
                    for column in 0..<(n + 7) {
                        guard column < n else {
                            #expect(result[row, column] == start[row, column], "column \(column) past n was written")
                            continue
                        }
                        var sum: Double = 0
                        for inner in 0..<k {
                            let left = transposeA == .none ? a[row, inner] : a[inner, row]
                            let right = transposeB == .none ? b[inner, column] : b[column, inner]
                            sum += Double(left) * Double(right)
                        }
                        let expected = 1.5 * sum + (beta == 0 ? 0 : Double(beta) * Double(start[row, column]))
                        worst = max(worst, abs(Double(result[row, column]) - expected) / max(1, abs(sum)))
                    }
                }
                #expect(worst < 1e-5, "\(transposeA)\(transposeB) \(m)×\(n)×\(k), beta \(beta), \(blockCount) blocks, clearing \(clears): \(worst)")
            }
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
