import CMLP
import LinearAlgebra

// The matrix functions of mlp.h: handles around a LinearAlgebra Matrix.

extension HandleTable {
    func matrix(_ handle: OpaquePointer?, _ name: String) throws(CAPIError) -> MatrixHandle {
        try object(handle, as: .matrix, type: MatrixHandle.self, name: name)
    }
}

/// `mlp_status mlp_matrix_create(size_t rows, size_t cols, const float *data, mlp_matrix **out)`.
@_cdecl("mlp_matrix_create")
public func mlpMatrixCreate(
    _ rows: Int, _ cols: Int, _ data: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> mlp_status {
    exported("mlp_matrix_create") { () throws(CAPIError) in
        guard let out else { throw .nullArgument("out") }
        let count = try Arguments.elementCount(rows: rows, cols: cols, "a matrix")
        if let data { try Arguments.finite(UnsafeBufferPointer(start: data, count: count), columns: cols, "data") }
        try Allocation.check(Allocation.bytes(Float.self, count: count), for: "a \(rows) × \(cols) matrix")
        let matrix: Matrix
        if let data {
            matrix = Matrix(rows: rows, columns: cols, elements: Array(UnsafeBufferPointer(start: data, count: count)))
        } else {
            matrix = Matrix(rows: rows, columns: cols)
        }
        out.pointee = try HandleTable.shared.register(MatrixHandle(matrix), as: .matrix)
    }
}

/// `mlp_status mlp_matrix_free(mlp_matrix *matrix)`.
@_cdecl("mlp_matrix_free")
public func mlpMatrixFree(_ matrix: OpaquePointer?) -> mlp_status {
    exported("mlp_matrix_free") { () throws(CAPIError) in
        try HandleTable.shared.release(matrix, as: .matrix, name: "matrix")
    }
}

/// `mlp_status mlp_matrix_shape(const mlp_matrix *matrix, size_t *rows, size_t *cols)`.
@_cdecl("mlp_matrix_shape")
public func mlpMatrixShape(
    _ matrix: OpaquePointer?, _ rows: UnsafeMutablePointer<Int>?, _ cols: UnsafeMutablePointer<Int>?
) -> mlp_status {
    exported("mlp_matrix_shape") { () throws(CAPIError) in
        let handle = try HandleTable.shared.matrix(matrix, "matrix")
        rows?.pointee = handle.matrix.rows
        cols?.pointee = handle.matrix.columns
    }
}

/// `mlp_status mlp_matrix_copy_data(const mlp_matrix *matrix, float *out, size_t out_len)`.
@_cdecl("mlp_matrix_copy_data")
public func mlpMatrixCopyData(_ matrix: OpaquePointer?, _ out: UnsafeMutablePointer<Float>?, _ outLength: Int) -> mlp_status {
    exported("mlp_matrix_copy_data") { () throws(CAPIError) in
        let handle = try HandleTable.shared.matrix(matrix, "matrix")
        let value = handle.matrix
        try Arguments.length(outLength, expected: value.count, "out_len", "rows × cols of a \(value.shapeDescription) matrix")
        let destination = try Arguments.outputBuffer(out, count: value.count, "out")
        // An empty copy is skipped: `update` traps on a NULL destination even for no elements.
        guard value.count > 0 else { return }
        _ = value.withUnsafeBufferPointer { destination.update(fromContentsOf: $0) }
    }
}

/// `mlp_status mlp_matrix_set_data(mlp_matrix *matrix, const float *data, size_t len)`.
@_cdecl("mlp_matrix_set_data")
public func mlpMatrixSetData(_ matrix: OpaquePointer?, _ data: UnsafePointer<Float>?, _ length: Int) -> mlp_status {
    exported("mlp_matrix_set_data") { () throws(CAPIError) in
        let handle = try HandleTable.shared.matrix(matrix, "matrix")
        let count = handle.matrix.count
        try Arguments.length(length, expected: count, "len", "rows × cols of a \(handle.matrix.shapeDescription) matrix")
        let source = try Arguments.buffer(data, count: count, "data")
        try Arguments.finite(source, columns: handle.matrix.columns, "data")
        guard count > 0 else { return }
        _ = handle.matrix.withUnsafeMutableBufferPointer { $0.update(fromContentsOf: source) }
    }
}

/// `mlp_status mlp_matrix_multiply(a, trans_a, b, trans_b, alpha, beta, c)`:
/// `C ← alpha · op(A) · op(B) + beta · C` through ``Matrix/multiply(_:_:_:_:into:alpha:beta:)``.
///
/// The product is computed into a new matrix and replaces C only when every element is finite,
/// so C is unchanged on any error, and C may be A or B.
@_cdecl("mlp_matrix_multiply")
public func mlpMatrixMultiply(
    _ a: OpaquePointer?, _ transposeA: mlp_transpose, _ b: OpaquePointer?, _ transposeB: mlp_transpose,
    _ alpha: Float, _ beta: Float, _ c: OpaquePointer?
) -> mlp_status {
    exported("mlp_matrix_multiply") { () throws(CAPIError) in
        let aHandle = try HandleTable.shared.matrix(a, "a")
        let bHandle = try HandleTable.shared.matrix(b, "b")
        let cHandle = try HandleTable.shared.matrix(c, "c")
        let opA = try transpose(transposeA, "trans_a")
        let opB = try transpose(transposeB, "trans_b")
        guard alpha.isFinite, beta.isFinite else {
            throw .invalidArgument("alpha = \(alpha) and beta = \(beta) must be finite")
        }
        let aValue = aHandle.matrix
        let bValue = bHandle.matrix
        let aShape = opA == .none ? (aValue.rows, aValue.columns) : (aValue.columns, aValue.rows)
        let bShape = opB == .none ? (bValue.rows, bValue.columns) : (bValue.columns, bValue.rows)
        let (cRows, cColumns) = (cHandle.matrix.rows, cHandle.matrix.columns)
        guard aShape.1 == bShape.0 else {
            throw .shape("op(A) is \(aShape.0)×\(aShape.1) (A \(aValue.shapeDescription)), op(B) is \(bShape.0)×\(bShape.1) (B \(bValue.shapeDescription)): inner sizes differ")
        }
        guard cRows == aShape.0 && cColumns == bShape.1 else {
            throw .shape("op(A)·op(B) is \(aShape.0)×\(bShape.1), C is \(cRows)×\(cColumns)")
        }
        try Allocation.check(Allocation.bytes(Float.self, count: cRows, cColumns), for: "the \(cRows) × \(cColumns) product")
        // With beta 0, BLAS does not read C; otherwise the copy of C is written (copy-on-write).
        var result = beta == 0 ? Matrix(rows: cRows, columns: cColumns) : cHandle.matrix
        Matrix.multiply(aValue, opA, bValue, opB, into: &result, alpha: alpha, beta: beta)
        if let index = result.withUnsafeBufferPointer({ $0.firstIndex { !$0.isFinite } }) {
            let (row, column) = index.quotientAndRemainder(dividingBy: cColumns)
            throw .invalidArgument(
                "the product overflows float32: element (\(row), \(column)) would be \(result.elements[index]); C is unchanged")
        }
        cHandle.matrix = result
    }
}

private func transpose(_ value: mlp_transpose, _ name: String) throws(CAPIError) -> Transpose {
    switch value {
    case MLP_NO_TRANSPOSE: return .none
    case MLP_TRANSPOSE: return .transposed
    default: throw .invalidArgument("\(name) = \(value.rawValue) is neither MLP_NO_TRANSPOSE (0) nor MLP_TRANSPOSE (1)")
    }
}
