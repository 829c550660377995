import CMLP
import MLPCAPI

/// The calling thread's last error message.
func lastError() -> String { String(cString: mlpLastError()) }

/// Creates a matrix through the C API, failing the test on an error.
func makeMatrix(_ rows: Int, _ cols: Int, _ data: [Float]?) -> OpaquePointer? {
    var handle: OpaquePointer?
    let status: mlp_status
    if let data {
        status = data.withUnsafeBufferPointer { mlpMatrixCreate(rows, cols, $0.baseAddress, &handle) }
    } else {
        status = mlpMatrixCreate(rows, cols, nil, &handle)
    }
    precondition(status == MLP_OK, "mlp_matrix_create failed: \(lastError())")
    return handle
}

/// The elements of a matrix handle.
func elements(_ matrix: OpaquePointer?) -> [Float] {
    var rows = 0, cols = 0
    _ = mlpMatrixShape(matrix, &rows, &cols)
    var result = [Float](repeating: .nan, count: rows * cols)
    let status = result.withUnsafeMutableBufferPointer { mlpMatrixCopyData(matrix, $0.baseAddress, rows * cols) }
    precondition(status == MLP_OK, "mlp_matrix_copy_data failed: \(lastError())")
    return result
}
