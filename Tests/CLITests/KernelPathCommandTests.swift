import Datasets
import Foundation
import MLPCore
import Testing
import TestSupport

/// `MLP_KERNELS` from the command line: every kernel path this CPU runs trains the same model
/// twice bit for bit, records itself in the model, and learns; a name that is not a path, or a path
/// the CPU lacks, is one error line before anything runs.
@Suite("mlp under each kernel path")
struct KernelPathCommandTests {
    /// Images whose class is where their ink is: class `c` lights a 5×28 band starting at row
    /// `2c` with noise, about 20 % of the pixels, so the sparse first layer runs.
    static func writeBands(in directory: String, trainingCount: Int, testCount: Int) throws {
        var generator = SeededGenerator(seed: 77)
        for (prefix, count) in [("train", trainingCount), ("t10k", testCount)] {
            var pixels = [UInt8](repeating: 0, count: count * 784)
            let labels = (0..<count).map { UInt8($0 % 10) }
            for image in 0..<count {
                let top = 2 * Int(labels[image])
                for row in top..<(top + 5) {
                    for column in 0..<28 where UInt8.random(in: 0...255, using: &generator) < 200 {
                        pixels[image * 784 + row * 28 + column] = UInt8.random(in: 60...255, using: &generator)
                    }
                }
            }
            try IDXFile(images: pixels, count: count, height: 28, width: 28)
                .write(to: "\(directory)/\(prefix)-images-idx3-ubyte.gz", compressed: true)
            try IDXFile(labels: labels).write(to: "\(directory)/\(prefix)-labels-idx1-ubyte.gz", compressed: true)
        }
    }

    @Test("each runnable path: two runs give the same predictions, the model records the path, and it learns")
    func everyRunnablePath() throws {
        try withTemporaryDirectory("kernel-paths") { directory in
            try Self.writeBands(in: directory, trainingCount: 300, testCount: 100)
            let common = ["--dataset", "mnist", "--data-dir", directory]
            for path in KernelPath.allCases {
                guard path.isRunnable() else {
                    print("KernelPathCommandTests: skipping the \(path) path: "
                          + (path.missingFlag().map { "this CPU lacks \($0)" } ?? "this architecture has none"))
                    continue
                }
                var predictions: [String] = []
                for run in 0..<2 {
                    let model = "\(directory)/\(path)-\(run).safetensors"
                    // 70 hidden units: one 64-column slice of the sparse products and a tail.
                    let train = try CommandLine.run(
                        ["train"] + common + ["--hidden", "70", "--epochs", "4", "--batch-size", "16", "--threads", "2",
                                              "--input-kernel", "sparse", "--seed", "5", "--out", model],
                        environment: ["MLP_KERNELS": path.rawValue])
                    #expect(train.status == 0, "\(path): \(train.standardError)")
                    let accuracy = train.standardOutput.split(separator: "\n").first { $0.hasPrefix("Test accuracy:") }
                        .flatMap { $0.split(separator: " ").dropFirst(2).first }
                        .flatMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "%"))) }
                    #expect((accuracy ?? 0) >= 90, "\(path): \(train.standardOutput)")
                    let history = try ModelCommandTests.metadata(of: model)["history"] ?? ""
                    #expect(history.contains("\"kernelPath\":\"\(path)\""), "\(path): \(history.prefix(300))")
                    let predict = try CommandLine.run(["predict", "--model", model, "--idx",
                                                       "\(directory)/t10k-images-idx3-ubyte.gz", "--probabilities"],
                                                      environment: ["MLP_KERNELS": path.rawValue])
                    #expect(predict.status == 0, "\(path): \(predict.standardError)")
                    predictions.append(predict.standardOutput)
                    if run == 0 {
                        let inspect = try CommandLine.run(["inspect", model])
                        #expect(inspect.standardOutput.contains("Our kernels      \(path)"), "\(inspect.standardOutput)")
                    }
                }
                #expect(predictions[0] == predictions[1] && !predictions[0].isEmpty, "\(path): two runs differ")
            }
        }
    }

    @Test("MLP_KERNELS naming no path, or a path this CPU lacks, is one error line and writes nothing")
    func refusedPaths() throws {
        try withTemporaryDirectory("kernel-paths-bad") { directory in
            try BadInputTests.writeDataset(in: directory, trainingCount: 20, testCount: 10)
            let model = "\(directory)/model.safetensors"
            let arguments = ["train", "--dataset", "mnist", "--data-dir", directory, "--epochs", "1", "--out", model]
            let unknown = try CommandLine.run(arguments, environment: ["MLP_KERNELS": "sse9"])
            BadInputTests.expectOneLineError(unknown, mentioning: "MLP_KERNELS=sse9", "baseline, avx2, avx512", status: 1)
            for path in KernelPath.allCases where !path.isRunnable() {
                let lacking = try CommandLine.run(arguments, environment: ["MLP_KERNELS": path.rawValue])
                BadInputTests.expectOneLineError(lacking, mentioning: "MLP_KERNELS=\(path)", status: 1)
            }
            #expect(!FileManager.default.fileExists(atPath: model))
            let automatic = try CommandLine.run(arguments, environment: ["MLP_KERNELS": "auto"])
            #expect(automatic.status == 0, "\(automatic.standardError)")
        }
    }
}
