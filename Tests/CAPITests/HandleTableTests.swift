import CMLP
import Dispatch
import Foundation
@testable import MLPCAPI
import Synchronization
import Testing

/// Handles are slot and generation numbers, never addresses: a freed handle stays invalid when
/// its slot is reused, a made-up value is never dereferenced, and a second free of a stale handle
/// cannot free someone else's object.
@Suite struct HandleTableTests {
    @Test func aStaleHandleStaysInvalidWhenItsSlotIsReused() throws {
        // The shared table reuses the slot freed last; other tests run at once, so retry until
        // the second matrix did land in the first one's slot.
        var first = makeMatrix(1, 2, [1, 2])
        var second: OpaquePointer?
        for _ in 0..<100 {
            #expect(mlpMatrixFree(first) == MLP_OK)
            second = makeMatrix(2, 1, [3, 4])
            if HandleTable.decode(try #require(second))?.index == HandleTable.decode(try #require(first))?.index { break }
            _ = mlpMatrixFree(second)
            first = makeMatrix(1, 2, [1, 2])
        }
        #expect(HandleTable.decode(try #require(second))?.index == HandleTable.decode(try #require(first))?.index)
        defer { _ = mlpMatrixFree(second) }
        var rows = 0
        #expect(mlpMatrixShape(first, &rows, nil) == MLP_ERROR_INVALID_HANDLE)
        #expect(lastError() == "mlp_matrix_shape: matrix is not a live handle (already freed), expected an mlp_matrix")
        #expect(mlpMatrixFree(first) == MLP_ERROR_INVALID_HANDLE)
        // The second object is untouched by the stale free.
        #expect(mlpMatrixShape(second, &rows, nil) == MLP_OK && rows == 2)
        #expect(elements(second) == [3, 4])
    }

    @Test func aFreedSlotIsReusedUnderANewGeneration() throws {
        let table = HandleTable()
        let first = try table.register(MatrixHandle(.init(rows: 1, columns: 1)), as: .matrix)
        try table.release(first, as: .matrix, name: "matrix")
        let second = try table.register(MatrixHandle(.init(rows: 2, columns: 2)), as: .matrix)
        let (firstSlot, firstGeneration) = try #require(HandleTable.decode(first))
        let (secondSlot, secondGeneration) = try #require(HandleTable.decode(second))
        #expect(firstSlot == secondSlot && secondGeneration == firstGeneration + 1)
        #expect(first != second)
        #expect(throws: CAPIError.self) { try table.matrix(first, "matrix") }
        let error = #expect(throws: CAPIError.self) { try table.release(first, as: .matrix, name: "matrix") }
        #expect(error?.status == MLP_ERROR_INVALID_HANDLE)
        #expect(error?.message == "matrix is not a live handle (already freed), expected an mlp_matrix")
        #expect(try table.matrix(second, "matrix").matrix.rows == 2)
        #expect(table.count(of: .matrix) == 1)
    }

    /// A slot whose generations are used up is retired: its handles stay invalid for ever.
    @Test func aSlotIsRetiredBeforeItsGenerationWraps() throws {
        let table = HandleTable(slotLimit: 2, lastGeneration: 3)
        var handles: [OpaquePointer] = []
        for _ in 0..<3 {
            let handle = try table.register(MatrixHandle(.init(rows: 1, columns: 1)), as: .matrix)
            handles.append(handle)
            try table.release(handle, as: .matrix, name: "matrix")
        }
        #expect(Set(handles.map { HandleTable.decode($0)!.index }) == [0])
        let next = try table.register(MatrixHandle(.init(rows: 1, columns: 1)), as: .matrix)
        #expect(HandleTable.decode(next)?.index == 1)
        for handle in handles {
            #expect(throws: CAPIError.self) { try table.matrix(handle, "matrix") }
        }
        // Both slots used (one live, one retired): no handle is left.
        let error = #expect(throws: CAPIError.self) { _ = try table.register(MatrixHandle(.init(rows: 1, columns: 1)), as: .matrix) }
        #expect(error?.status == MLP_ERROR_OUT_OF_MEMORY)
    }

    /// Values the library never returned: small numbers, an address, our marker with a slot or
    /// generation that was never given out, every bit set.
    @Test func madeUpValuesAreInvalidHandles() throws {
        let live = try #require(makeMatrix(1, 1, [5]))
        defer { _ = mlpMatrixFree(live) }
        let (slot, generation) = try #require(HandleTable.decode(live))
        var storage: Float = 0
        let address = withUnsafeMutablePointer(to: &storage) { UInt(bitPattern: $0) }
        let values: [UInt] = [
            1, 0x1234, 0xDEAD_BEEF, address, UInt.max,
            UInt(HandleTable.encode(index: slot, generation: generation + 1)),
            UInt(HandleTable.encode(index: 1 << 23, generation: 1)),
            UInt(HandleTable.encode(index: slot, generation: 0)),
        ]
        for value in values {
            let handle = OpaquePointer(bitPattern: value)
            #expect(mlpMatrixShape(handle, nil, nil) == MLP_ERROR_INVALID_HANDLE, "\(String(value, radix: 16))")
            #expect(lastError().contains("not a live handle"), "\(lastError())")
            #expect(mlpMatrixFree(handle) == MLP_ERROR_INVALID_HANDLE)
            #expect(mlpModelFree(handle) == MLP_ERROR_INVALID_HANDLE)
        }
        #expect(elements(live) == [5])
    }

    /// A handle's value is never NULL and never a user-space address (x86-64: non-canonical;
    /// AArch64: bits 48…55 set).
    @Test func handleValuesAreNotAddresses() throws {
        let handle = try #require(makeMatrix(1, 1, nil))
        defer { _ = mlpMatrixFree(handle) }
        let value = UInt64(UInt(bitPattern: handle))
        #expect(value >> 48 == HandleTable.marker)
        #expect((value >> 48) & 0xFF != 0)
        #expect(value >> 47 != 0 && value >> 47 != (1 << 17) - 1)
    }

    /// Many threads create, use and free matrices at once, with frees of stale handles mixed
    /// in: every live handle keeps its own object, every stale one is refused.
    @Test func concurrentCreateAndFree() {
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var stale: [UInt] = []
            for round in 0..<500 {
                let value = Float(thread * 1000 + round)
                var handle: OpaquePointer?
                let data: [Float] = [value, -value]
                guard mlpMatrixCreate(1, 2, data, &handle) == MLP_OK else {
                    failures.withLock { $0.append("create: \(lastError())") }
                    continue
                }
                var copy: [Float] = [0, 0]
                if mlpMatrixCopyData(handle, &copy, 2) != MLP_OK || copy != data {
                    failures.withLock { $0.append("thread \(thread) round \(round) read \(copy)") }
                }
                if let old = stale.randomElement(), mlpMatrixFree(OpaquePointer(bitPattern: old)) != MLP_ERROR_INVALID_HANDLE {
                    failures.withLock { $0.append("a stale handle was freed") }
                }
                if mlpMatrixFree(handle) != MLP_OK { failures.withLock { $0.append("free: \(lastError())") } }
                stale.append(UInt(bitPattern: handle))
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
    }

    /// One thread frees a model while others predict with it: each prediction either finishes
    /// with the whole result or finds the handle freed; none crashes.
    @Test func freeingWhileOthersUseTheHandle() {
        let (rows, cols) = (8, 3)
        let x = (0..<rows * cols).map { Float($0 * 9 % 256) }
        let labels = (0..<rows).map { Int32($0 % 2) }
        for _ in 0..<5 {
            var options = mlp_train_options()
            _ = mlp_train_options_init(&options)
            options.max_epochs = 2
            options.threads = 1
            var model: OpaquePointer?
            #expect(mlpTrainClassifier(x, labels, rows, cols, &options, &model) == MLP_OK, "\(lastError())")
            let value = UInt(bitPattern: model)
            let unexpected = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 4) { index in
                let handle = OpaquePointer(bitPattern: value)
                if index == 2 {
                    if mlpModelFree(handle) != MLP_OK { unexpected.withLock { $0 += 1 } }
                    return
                }
                for _ in 0..<20 {
                    var out = [Float](repeating: -1, count: rows * 2)
                    let status = mlpModelPredictProba(handle, x, rows, cols, &out, rows * 2)
                    if status == MLP_OK ? out.contains(-1) : status != MLP_ERROR_INVALID_HANDLE {
                        unexpected.withLock { $0 += 1 }
                    }
                }
            }
            #expect(unexpected.withLock { $0 } == 0)
            #expect(mlpModelFree(model) == MLP_ERROR_INVALID_HANDLE)
        }
    }
}
