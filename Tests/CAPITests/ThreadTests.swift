import CMLP
import Dispatch
import Foundation
import MLPCAPI
import Synchronization
import Testing

@Suite struct ThreadTests {
    /// Each thread sees the message of its own last call.
    @Test func lastErrorIsPerThread() {
        let messages = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            if index % 2 == 0 {
                _ = mlpMatrixShape(nil, nil, nil)
            } else {
                _ = mlpMatrixFree(nil)
            }
            Thread.sleep(forTimeInterval: 0.01)
            let message = lastError()
            messages.withLock { $0[index] = message }
        }
        let seen = messages.withLock { $0 }
        for index in 0..<8 {
            #expect(seen[index] == (index % 2 == 0 ? "mlp_matrix_shape: matrix is NULL" : ""))
        }
    }

    /// One model predicts on several threads at once, with the same results as on one.
    @Test func concurrentPredictionsAgree() {
        let (rows, cols) = (40, 3)
        var x = [Float]()
        var labels = [Int32]()
        for row in 0..<rows {
            for column in 0..<cols { x.append(Float((row * 7 + column * 13) % 256)) }
            labels.append(row % 3 == 0 ? 1 : 2)
        }
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.max_epochs = 5
        options.threads = 1
        var model: OpaquePointer?
        #expect(mlpTrainClassifier(x, labels, rows, cols, &options, &model) == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(model) }
        var expected = [Float](repeating: 0, count: rows * 2)
        #expect(mlpModelPredictProba(model, x, rows, cols, &expected, rows * 2) == MLP_OK)

        let handle = UInt(bitPattern: model)
        let mismatches = Mutex(0)
        let input = x
        let reference = expected
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            var result = [Float](repeating: 0, count: rows * 2)
            let status = mlpModelPredictProba(OpaquePointer(bitPattern: handle), input, rows, cols, &result, rows * 2)
            if status != MLP_OK || result != reference { mismatches.withLock { $0 += 1 } }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
