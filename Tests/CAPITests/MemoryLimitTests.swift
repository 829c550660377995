import CMLP
import Foundation
import LinearAlgebra
@testable import MLPCAPI
import NeuralNetwork
import Testing
import TestSupport

/// Allocations sized from a caller's counts are estimated and refused with
/// MLP_ERROR_OUT_OF_MEMORY, naming the size, before they are made.
@Suite struct MemoryLimitTests {
    /// 256 samples through a 2²⁸-wide hidden layer: about 840 GB of activations alone, more than
    /// any test machine has.
    @Test func aHugeHiddenLayerIsRefusedBeforeTraining() {
        let (rows, cols) = (256, 2)
        let x = (0..<rows * cols).map { Float($0 % 7) }
        let labels = (0..<rows).map { Int32($0 % 2) }
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        let hidden = [1 << 28]
        var model: OpaquePointer?
        let status = hidden.withUnsafeBufferPointer { sizes in
            options.hidden_layer_sizes = sizes.baseAddress
            options.hidden_layer_count = 1
            return mlpTrainClassifier(x, labels, rows, cols, &options, &model)
        }
        #expect(status == MLP_ERROR_OUT_OF_MEMORY)
        #expect(lastError().hasPrefix("mlp_train_classifier: not enough memory: training the 2-268435456-2 network on 256 samples needs about"),
                "\(lastError())")
        #expect(lastError().contains(" GB"))
        #expect(model == nil)
    }

    /// A model of 2²⁰ classes predicting 2²⁰ samples would need 4 TB of probabilities: refused
    /// before anything is computed, and the caller's (too small) buffer is never touched.
    @Test func aHugePredictionIsRefused() throws {
        let classes = 1 << 20
        let network = Network(layerSizes: [1, classes], hiddenActivation: .relu, loss: .softmaxCrossEntropy,
                              parameters: [Float](repeating: 0, count: 2 * classes))
        let model = try HandleTable.shared.register(
            ModelHandle(MLPClassifier(network: network, classes: Array(0..<classes))), as: .model)
        defer { _ = mlpModelFree(model) }
        let rows = 1 << 20
        let x = [Float](repeating: 0, count: rows)
        var sentinel: Float = -7
        #expect(mlpModelPredictProba(model, x, rows, 1, &sentinel, rows * classes) == MLP_ERROR_OUT_OF_MEMORY)
        #expect(lastError().contains("computing the probabilities of 1048576 samples and 1048576 classes needs about"), "\(lastError())")
        #expect(sentinel == -7)
    }

    @Test func matrixSizesAreCheckedBeforeAllocating() {
        var handle: OpaquePointer?
        // A row count above BLAS's int, though 2³¹ elements is the element limit.
        #expect(mlpMatrixCreate(1 << 31, 1, nil, &handle) == MLP_ERROR_OUT_OF_MEMORY)
        #expect(lastError().contains("2147483647 rows or columns"))
        #expect(mlpMatrixCreate(1, (1 << 31) + 1, nil, &handle) == MLP_ERROR_OUT_OF_MEMORY)
        #expect(handle == nil)
    }

    @Test func estimatesAndChecks() {
        #expect(Allocation.bytes(Float.self, count: 3, 5) == 60)
        #expect(Allocation.bytes(Float.self, count: 1 << 40, 1 << 30) == nil)
        #expect(Allocation.sum(1, 2, 3) == 6 && Allocation.sum(1, nil) == nil && Allocation.sum(Int.max, 1) == nil)
        #expect(throws: Never.self) { try Allocation.check(1 << 10, for: "a small buffer") }
        let error = #expect(throws: CAPIError.self) { try Allocation.check(nil, for: "a countless buffer") }
        #expect(error?.status == MLP_ERROR_OUT_OF_MEMORY)
        #expect(error?.message == "not enough memory: a countless buffer needs more memory than can be counted")
        #expect(throws: CAPIError.self) { try Allocation.check(Int.max, for: "everything") }
    }

    /// Examples/c/bad_calls.c, built against this build's libmlpc.so and run under
    /// `ulimit -v 4194304` (the tester's limit): its matrix at the documented maximum, its
    /// 2²⁸-wide hidden layer and its training set too large to copy are refused without an abort,
    /// and every other check passes within the limit.
    @Test(.enabled(if: BadCallsProgram.canBuild, "needs gcc and the debug libmlpc.so"))
    func badCallsUnderAFourGiBAddressSpaceLimit() throws {
        try withTemporaryDirectory("capi-bad-calls") { directory in
            let program = try BadCallsProgram.build(into: directory)
            let (status, output) = try BadCallsProgram.run("ulimit -v 4194304 && exec \"$0\"", program)
            #expect(status == 0, "\(output.suffix(3000))")
            #expect(output.contains(" passed, 0 failed"))
            for line in output.split(separator: "\n") where line.hasPrefix("FAIL") { Issue.record("\(line)") }
            #expect(output.contains("MLP_ERROR_OUT_OF_MEMORY: mlp_matrix_create: not enough memory: a 65536 × 32768 matrix needs about"))
            #expect(output.contains("training the 2-268435456-2 network on 64 samples needs about"))
        }
    }
}

/// Builds and runs Examples/c/bad_calls.c against the libmlpc.so beside this test bundle.
enum BadCallsProgram {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let libraryDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }()
    static let gcc = ["/usr/bin/gcc", "/usr/local/bin/gcc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var canBuild: Bool {
        gcc != nil && FileManager.default.fileExists(atPath: libraryDirectory + "/libmlpc.so")
    }

    static func build(into directory: String) throws -> String {
        let program = directory + "/bad_calls"
        let (status, output) = try execute(gcc!, [
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-I", repository + "/Sources/CMLP/include",
            "-o", program, repository + "/Examples/c/bad_calls.c",
            "-L", libraryDirectory, "-lmlpc", "-Wl,-rpath," + libraryDirectory, "-lm",
        ])
        try #require(status == 0, "gcc failed: \(output)")
        return program
    }

    /// Runs `script` with bash, `$0` being `program`; the exit status and the output.
    static func run(_ script: String, _ program: String) throws -> (Int32, String) {
        try execute("/bin/bash", ["-c", script, program])
    }

    private static func execute(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
