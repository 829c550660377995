import Testing
@testable import LinearAlgebra
import MLPCore

@Suite("Element-wise kernels and reductions")
struct ElementwiseTests {
    let matrix = Matrix([[1, -2, 3], [4, 5, -6]])

    @Test func mapAndZip() {
        #expect(matrix.map { $0 * 2 } == Matrix([[2, -4, 6], [8, 10, -12]]))
        #expect(Matrix.zip(matrix, matrix, *) == Matrix([[1, 4, 9], [16, 25, 36]]))
        #expect(matrix + matrix == 2 * matrix)
        #expect((matrix - matrix).elements.allSatisfy { $0 == 0 })
        var copy = matrix
        copy.apply { max(0, $0) }
        #expect(copy == Matrix([[1, 0, 3], [4, 5, 0]]))
    }

    @Test func rowBroadcastAndColumnSums() {
        var copy = matrix
        copy.addRowVector([10, 20, 30])
        #expect(copy == Matrix([[11, 18, 33], [14, 25, 24]]))
        #expect(matrix.columnSums() == [5, 3, -3])
        #expect(matrix.columnMeans() == [2.5, 1.5, -1.5])
        #expect(matrix.rowSums() == [2, 3])
    }

    @Test func argmaxSumsAndMeans() {
        #expect(matrix.rowArgmax() == [2, 1])
        #expect(Matrix([[3, 3, 1]]).rowArgmax() == [0])
        #expect(matrix.sum() == 5)
        #expect(abs(matrix.mean() - 5.0 / 6.0) < 1e-7)
    }

    @Test func transposeAndGather() {
        let transposed = matrix.transposed()
        #expect(transposed == Matrix([[1, 4], [-2, 5], [3, -6]]))
        var generator = SeededGenerator(seed: 5)
        let large = Matrix.random(rows: 45, columns: 77, using: &generator)
        let twice = large.transposed().transposed()
        #expect(twice == large)
        let back = large.transposed()
        for i in [0, 13, 44] { for j in [0, 32, 76] { #expect(back[j, i] == large[i, j]) } }

        #expect(matrix.gatherRows([1, 0, 1]) == Matrix([[4, 5, -6], [1, -2, 3], [4, 5, -6]]))
    }

    @Test func featureSourceCopiesRows() {
        var destination = [Float](repeating: 0, count: 6)
        let indices = [1, 0]
        indices.withUnsafeBufferPointer { indexBuffer in
            destination.withUnsafeMutableBufferPointer { out in
                matrix.copyFeatures(of: indexBuffer, into: out.baseAddress!)
            }
        }
        #expect(destination == [4, 5, -6, 1, -2, 3])
        #expect(matrix.sampleCount == 2 && matrix.featureCount == 3)
    }
}
