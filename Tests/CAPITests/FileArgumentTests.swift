import CMLP
import Dispatch
import Foundation
@testable import MLPCAPI
import Testing
import TestSupport

/// Paths that are not regular files (a FIFO, a device, a directory) are refused with
/// MLP_ERROR_IO at once: never waited on, never read without end, never replaced.
@Suite struct FileArgumentTests {
    static let (rows, cols) = (24, 2)
    static let x: [Float] = (0..<rows * cols).map { Float($0 * 37 % 256) }
    static let labels: [Int32] = (0..<rows).map { Int32($0 % 2) }

    static func tinyModel(checkpointPath: String? = nil) -> (mlp_status, OpaquePointer?) {
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        options.max_epochs = 2
        options.threads = 1
        var model: OpaquePointer?
        let status = (checkpointPath ?? "").withCString { path in
            if checkpointPath != nil { options.checkpoint_path = path }
            return mlpTrainClassifier(x, labels, rows, cols, &options, &model)
        }
        return (status, model)
    }

    /// Runs `call` on another thread and waits at most 20 s. A call that blocks on the FIFO
    /// is released by opening the FIFO's other end, so that the test fails instead of hanging.
    static func withinTimeLimit(fifo: String, _ call: @escaping @Sendable () -> mlp_status) -> mlp_status? {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: mlp_status?
        Thread.detachNewThread {
            result = call()
            done.signal()
        }
        if done.wait(timeout: .now() + 20) == .timedOut {
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 20)
            return nil
        }
        return result
    }

    @Test func readingSpecialFiles() throws {
        try withTemporaryDirectory("capi-special") { directory in
            let fifo = directory + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            let status = Self.withinTimeLimit(fifo: fifo) {
                var model: OpaquePointer?
                let status = mlpModelLoad(fifo, &model)
                let message = lastError()
                guard status == MLP_ERROR_IO, model == nil, message.contains("is a FIFO, not a regular file") else {
                    return MLP_ERROR_TRAINING
                }
                return status
            }
            #expect(status == MLP_ERROR_IO, "mlp_model_load of a FIFO blocked or failed otherwise")
            let resumed = Self.withinTimeLimit(fifo: fifo) {
                var model: OpaquePointer?
                return mlpTrainResume(fifo, Self.x, Self.labels, Self.rows, Self.cols, nil, &model)
            }
            #expect(resumed == MLP_ERROR_IO)

            var model: OpaquePointer?
            for path in [directory, "/dev/zero", "/dev/null"] {
                #expect(mlpModelLoad(path, &model) == MLP_ERROR_IO, "\(path)")
            }
            #expect(lastError() == "mlp_model_load: model file /dev/null: cannot read: is a character device, not a regular file")
            #expect(symlink("/dev/zero", directory + "/zero") == 0)
            #expect(mlpModelLoad(directory + "/zero", &model) == MLP_ERROR_IO)
            #expect(model == nil)
        }
    }

    @Test func writingSpecialFiles() throws {
        let (status, model) = Self.tinyModel()
        #expect(status == MLP_OK, "\(lastError())")
        defer { _ = mlpModelFree(model) }
        try withTemporaryDirectory("capi-special") { directory in
            let fifo = directory + "/fifo"
            let link = directory + "/null"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(symlink("/dev/null", link) == 0)
            for path in [directory, fifo, link] {
                #expect(mlpModelSave(model, path) == MLP_ERROR_IO, "\(path)")
                #expect(mlpModelSaveCheckpoint(model, path) == MLP_ERROR_IO, "\(path)")
            }
            #expect(lastError().hasSuffix("/null: cannot write: is a character device, not a regular file"), "\(lastError())")
            let (trainStatus, refused) = Self.tinyModel(checkpointPath: fifo)
            #expect(trainStatus == MLP_ERROR_IO)
            #expect(refused == nil)

            var status = stat()
            #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
            #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
            #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
            // A symbolic link to a regular file, or a new file, is written as before.
            #expect(mlpModelSave(model, directory + "/model.safetensors") == MLP_OK, "\(lastError())")
            #expect(symlink(directory + "/model.safetensors", directory + "/link.safetensors") == 0)
            #expect(mlpModelSave(model, directory + "/link.safetensors") == MLP_OK, "\(lastError())")
            var loaded: OpaquePointer?
            #expect(mlpModelLoad(directory + "/link.safetensors", &loaded) == MLP_OK, "\(lastError())")
            _ = mlpModelFree(loaded)
        }
    }

    @Test func readRegularFileReadsWhatIsThere() throws {
        try withTemporaryDirectory("capi-special") { directory in
            let bytes = (0..<70_000).map { UInt8($0 % 251) }
            try writeBytes(bytes, to: directory + "/data")
            #expect(try FileAccess.readRegularFile(directory + "/data", kind: "model file") == bytes)
            try writeBytes([], to: directory + "/empty")
            #expect(try FileAccess.readRegularFile(directory + "/empty", kind: "model file") == [])
            #expect(chmod(directory + "/data", 0) == 0)
            // Root reads any file; others get "permission denied".
            if geteuid() != 0 {
                let error = #expect(throws: CAPIError.self) { _ = try FileAccess.readRegularFile(directory + "/data", kind: "model file") }
                #expect(error?.message.hasSuffix("cannot read: permission denied") == true)
            }
        }
    }
}
