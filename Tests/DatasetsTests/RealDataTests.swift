import Foundation
import Testing
@testable import Datasets

/// The real MNIST files, when this machine has them: `MNIST_DIR`, `/work/shared/data/mnist`, or
/// `../shared/data/mnist` beside the package root.
private let mnistDirectory: String? = {
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    var candidates = ["/work/shared/data/mnist", packageRoot.appendingPathComponent("../shared/data/mnist").standardized.path]
    if let environment = ProcessInfo.processInfo.environment["MNIST_DIR"], !environment.isEmpty {
        candidates.insert(environment, at: 0)
    }
    let locator = DatasetLocator(environment: [:], currentDirectory: packageRoot.path, systemDirectories: [:])
    return candidates.first { (try? locator.locate(.mnist, explicitDirectory: $0)) != nil }
}()

@Suite("Real MNIST", .enabled(if: mnistDirectory != nil, "the MNIST files are not on this machine"))
struct RealDataTests {
    @Test("60,000 training and 10,000 test images of 28×28, with the known label counts")
    func knownFacts() throws {
        let directory = try #require(mnistDirectory)
        let locator = DatasetLocator(environment: [:], currentDirectory: "/", systemDirectories: [:])
        let location = try locator.locate(.mnist, explicitDirectory: directory)
        let training = try Dataset.load(.mnist, part: .training, from: location)
        #expect(training.sampleCount == 60_000)
        #expect(training.imageHeight == 28 && training.imageWidth == 28)
        #expect(training.pixels.count == 60_000 * 784)
        #expect(training.classHistogram() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        let test = try Dataset.load(.mnist, part: .test, from: location)
        #expect(test.sampleCount == 10_000)
        #expect(test.classHistogram() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }

    @Test("the label files have the published SHA-256 once decompressed")
    func labelChecksums() throws {
        let directory = try #require(mnistDirectory)
        for file in NamedDataset.mnist.files where file.name.contains("labels") {
            let path = try #require(DatasetLocator.existingFile(named: file.name, in: directory))
            #expect(Checksum.sha256(try DatasetFile.readContent(at: path)) == file.sha256, "\(file.name)")
        }
    }
}
