import CMLP
import LinearAlgebra
import MLPCAPI
import Testing
import MLPCore

@Suite struct MatrixExportTests {
    @Test func createCopySetAndShape() {
        let matrix = makeMatrix(2, 3, [1, 2, 3, 4, 5, 6])
        defer { _ = mlpMatrixFree(matrix) }
        var rows = 0, cols = 0
        #expect(mlpMatrixShape(matrix, &rows, &cols) == MLP_OK)
        #expect(rows == 2 && cols == 3)
        #expect(lastError() == "")
        #expect(elements(matrix) == [1, 2, 3, 4, 5, 6])
        let replacement: [Float] = [6, 5, 4, 3, 2, 1]
        #expect(replacement.withUnsafeBufferPointer { mlpMatrixSetData(matrix, $0.baseAddress, 6) } == MLP_OK)
        #expect(elements(matrix) == replacement)

        let zeros = makeMatrix(3, 2, nil)
        defer { _ = mlpMatrixFree(zeros) }
        #expect(elements(zeros) == [Float](repeating: 0, count: 6))
        let empty = makeMatrix(0, 4, nil)
        #expect(elements(empty) == [])
        #expect(mlpMatrixFree(empty) == MLP_OK)
    }

    /// Every transpose combination, with alpha and beta, against LinearAlgebra's naive product.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func multiplyMatchesNaiveProduct(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 7)
        let (m, n, k) = (5, 4, 3)
        let a = Matrix.random(rows: transposeA ? k : m, columns: transposeA ? m : k, using: &generator)
        let b = Matrix.random(rows: transposeB ? n : k, columns: transposeB ? k : n, using: &generator)
        let c = Matrix.random(rows: m, columns: n, using: &generator)
        let (alpha, beta): (Float, Float) = (0.5, -2)
        let opA = transposeA ? Matrix(rows: m, columns: k) { a[$1, $0] } : a
        let opB = transposeB ? Matrix(rows: k, columns: n) { b[$1, $0] } : b
        let expected = Matrix(rows: m, columns: n) { row, column in
            var sum: Float = 0
            for index in 0..<k { sum += opA[row, index] * opB[index, column] }
            return alpha * sum + beta * c[row, column]
        }

        let aHandle = makeMatrix(a.rows, a.columns, a.elements)
        let bHandle = makeMatrix(b.rows, b.columns, b.elements)
        let cHandle = makeMatrix(c.rows, c.columns, c.elements)
        defer { for handle in [aHandle, bHandle, cHandle] { _ = mlpMatrixFree(handle) } }
        let status = mlpMatrixMultiply(
            aHandle, transposeA ? MLP_TRANSPOSE : MLP_NO_TRANSPOSE,
            bHandle, transposeB ? MLP_TRANSPOSE : MLP_NO_TRANSPOSE, alpha, beta, cHandle)
        #expect(status == MLP_OK, "\(lastError())")
        let result = Matrix(rows: m, columns: n, elements: elements(cHandle))
        #expect(result.maximumAbsoluteDifference(expected) < 1e-5)
    }

    /// C ← A·C with C also an operand: the old C is used, as if copied first.
    @Test func multiplyIntoAnOperand() {
        let a = makeMatrix(2, 2, [0, 1, 1, 0])
        let c = makeMatrix(2, 2, [1, 2, 3, 4])
        defer { _ = mlpMatrixFree(a); _ = mlpMatrixFree(c) }
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, c, MLP_NO_TRANSPOSE, 1, 0, c) == MLP_OK)
        #expect(elements(c) == [3, 4, 1, 2])
        #expect(mlpMatrixMultiply(c, MLP_NO_TRANSPOSE, c, MLP_NO_TRANSPOSE, 1, 1, c) == MLP_OK)
        // [[3, 4], [1, 2]]² + [[3, 4], [1, 2]]
        #expect(elements(c) == [16, 24, 6, 10])
    }

    @Test func emptyInnerDimensionScalesC() {
        let a = makeMatrix(2, 0, nil)
        let b = makeMatrix(0, 3, nil)
        let c = makeMatrix(2, 3, [1, 2, 3, 4, 5, 6])
        defer { for handle in [a, b, c] { _ = mlpMatrixFree(handle) } }
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 2, c) == MLP_OK)
        #expect(elements(c) == [2, 4, 6, 8, 10, 12])
    }

    @Test func badCallsReturnErrorsWithMessages() {
        var handle: OpaquePointer?
        #expect(mlpMatrixCreate(2, 2, nil, nil) == MLP_ERROR_NULL_ARGUMENT)
        #expect(lastError() == "mlp_matrix_create: out is NULL")
        #expect(mlpMatrixCreate(-1, 2, nil, &handle) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().contains("18446744073709551615"))
        #expect(mlpMatrixCreate(1 << 40, 1 << 40, nil, &handle) == MLP_ERROR_OUT_OF_MEMORY)
        #expect(handle == nil)

        let a = makeMatrix(2, 3, nil)
        let b = makeMatrix(2, 3, nil)
        let c = makeMatrix(2, 2, nil)
        defer { for handle in [a, b, c] { _ = mlpMatrixFree(handle) } }
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, c) == MLP_ERROR_SHAPE)
        #expect(lastError().contains("op(A) is 2×3"))
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, b, MLP_TRANSPOSE, 1, 0, c) == MLP_OK)
        #expect(mlpMatrixMultiply(a, MLP_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, c) == MLP_ERROR_SHAPE)
        #expect(lastError().contains("C is 2×2"))
        #expect(mlpMatrixMultiply(nil, MLP_NO_TRANSPOSE, b, MLP_TRANSPOSE, 1, 0, c) == MLP_ERROR_NULL_ARGUMENT)
        #expect(lastError() == "mlp_matrix_multiply: a is NULL")
        #expect(mlpMatrixMultiply(a, mlp_transpose(rawValue: 7), b, MLP_TRANSPOSE, 1, 0, c) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpMatrixShape(nil, nil, nil) == MLP_ERROR_NULL_ARGUMENT)

        var small = [Float](repeating: 0, count: 5)
        #expect(mlpMatrixCopyData(a, &small, 5) == MLP_ERROR_SHAPE)
        #expect(lastError().contains("out_len is 5, expected 6"))
        #expect(mlpMatrixCopyData(a, nil, 6) == MLP_ERROR_NULL_ARGUMENT)
        #expect(mlpMatrixSetData(a, small, 5) == MLP_ERROR_SHAPE)
        #expect(mlpMatrixFree(nil) == MLP_OK)
        #expect(lastError() == "")
    }

    @Test func freedAndForeignHandlesAreRejected() {
        let matrix = makeMatrix(1, 1, [1])
        #expect(mlpMatrixFree(matrix) == MLP_OK)
        #expect(mlpMatrixFree(matrix) == MLP_ERROR_INVALID_HANDLE)
        #expect(lastError().contains("not a live handle"))
        var rows = 0
        #expect(mlpMatrixShape(matrix, &rows, nil) == MLP_ERROR_INVALID_HANDLE)
        var storage: Float = 0
        let foreign = withUnsafeMutablePointer(to: &storage) { OpaquePointer($0) }
        #expect(mlpMatrixFree(foreign) == MLP_ERROR_INVALID_HANDLE)
        // A model handle is not a matrix.
        #expect(mlpModelFree(makeMatrixAsModel()) == MLP_ERROR_INVALID_HANDLE)
        #expect(lastError().contains("is a matrix handle, expected an mlp_model"))
    }

    /// Sizes that are negative numbers cast to size_t, and NULL buffers of length 0.
    @Test func hostileSizesAndEmptyBuffers() {
        let a = makeMatrix(2, 3, [1, 2, 3, 4, 5, 6])
        let empty = makeMatrix(0, 3, nil)
        defer { _ = mlpMatrixFree(a); _ = mlpMatrixFree(empty) }
        var out = [Float](repeating: -1, count: 6)
        #expect(mlpMatrixCopyData(a, &out, -1) == MLP_ERROR_SHAPE)
        #expect(lastError() == "mlp_matrix_copy_data: out_len is 18446744073709551615, expected 6 (rows × cols of a 2×3 matrix)")
        #expect(mlpMatrixSetData(a, out, -6) == MLP_ERROR_SHAPE)
        #expect(out == [Float](repeating: -1, count: 6))
        var handle: OpaquePointer?
        #expect(mlpMatrixCreate(3, -1, nil, &handle) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(handle == nil)
        #expect(mlpMatrixCopyData(empty, nil, 0) == MLP_OK, "\(lastError())")
        #expect(mlpMatrixSetData(empty, nil, 0) == MLP_OK, "\(lastError())")
        #expect(mlpMatrixCopyData(empty, &out, 0) == MLP_OK)
        #expect(mlpMatrixCreate(0, 0, nil, &handle) == MLP_OK)
        #expect(elements(handle) == [])
        #expect(mlpMatrixFree(handle) == MLP_OK)
    }

    /// Matrix data, alpha and beta must be finite, and a product that overflows float32 is an
    /// error that leaves C as it was.
    @Test func nonFiniteNumbersAreRefused() {
        var handle: OpaquePointer?
        #expect(mlpMatrixCreate(2, 2, [1, .nan, 3, 4], &handle) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_matrix_create: data[1] (row 0, column 1) is nan, not a finite number")
        #expect(handle == nil)
        let a = makeMatrix(2, 2, [1, 2, 3, 4])
        let huge = makeMatrix(2, 2, [3e38, 3e38, 3e38, 3e38])
        let c = makeMatrix(2, 2, [5, 6, 7, 8])
        defer { for matrix in [a, huge, c] { _ = mlpMatrixFree(matrix) } }
        #expect(mlpMatrixSetData(a, [1, 2, -.infinity, 4], 4) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(elements(a) == [1, 2, 3, 4])
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, .infinity, 0, c) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, 1, .nan, c) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpMatrixMultiply(huge, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, 1, 0, c) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == "mlp_matrix_multiply: the product overflows float32: element (0, 0) would be inf; C is unchanged")
        #expect(elements(c) == [5, 6, 7, 8])
        // Into an operand: A is unchanged too.
        #expect(mlpMatrixMultiply(huge, MLP_NO_TRANSPOSE, huge, MLP_NO_TRANSPOSE, 1, 0, huge) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(elements(huge) == [3e38, 3e38, 3e38, 3e38])
        // beta · C overflowing counts too.
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, 1, 2, huge) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(mlpMatrixMultiply(a, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, 1, 1, c) == MLP_OK)
        #expect(elements(c) == [12, 16, 22, 30])
    }

    private func makeMatrixAsModel() -> OpaquePointer? {
        leakedMatrix
    }
}

/// A matrix that stays alive for the whole test run (to check kind confusion).
nonisolated(unsafe) let leakedMatrix = makeMatrix(1, 1, [0])
