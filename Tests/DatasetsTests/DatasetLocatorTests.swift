import Foundation
import Testing
@testable import Datasets
import TestSupport

@Suite("Dataset locator")
struct DatasetLocatorTests {
    /// Creates `directory` holding the four files of `dataset` (empty; the locator only looks for them).
    func populate(_ directory: String, compressed: Bool = true, skipping skipped: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in NamedDataset.mnist.files where file.name != skipped {
            try writeBytes([], to: directory + "/" + file.name + (compressed ? ".gz" : ""))
        }
    }

    /// A temporary tree with an explicit directory, an environment directory, `work/data/<name>`
    /// and a system directory, each holding the dataset when asked.
    func locator(
        in root: String, dataset: NamedDataset,
        environment: Bool, workingDirectory: Bool, system: Bool
    ) throws -> DatasetLocator {
        if environment { try populate(root + "/env") }
        if workingDirectory { try populate(root + "/work/data/" + dataset.rawValue, compressed: false) }
        if system { try populate(root + "/system") }
        try FileManager.default.createDirectory(atPath: root + "/work", withIntermediateDirectories: true)
        return DatasetLocator(
            environment: [dataset.environmentVariable: root + "/env"], currentDirectory: root + "/work",
            systemDirectories: [.fashionMNIST: [root + "/system"], .mnist: []])
    }

    @Test("the search order: explicit, environment, ./data/<name>, system")
    func searchOrder() throws {
        try withTemporaryDirectory { root in
            let dataset = NamedDataset.fashionMNIST
            var locator = try locator(in: root, dataset: dataset, environment: true, workingDirectory: true, system: true)
            try populate(root + "/explicit")
            #expect(try locator.locate(dataset, explicitDirectory: root + "/explicit").directory == root + "/explicit")
            #expect(try locator.locate(dataset).directory == root + "/env")
            #expect(try locator.locate(dataset).place.origin == .environment("FASHION_MNIST_DIR"))

            locator.environment = [:]
            let local = try locator.locate(dataset)
            #expect(local.directory == root + "/work/data/fashion-mnist")
            #expect(local.place.origin == .workingDirectory)
            #expect(local.imagesPath(of: .training) == root + "/work/data/fashion-mnist/train-images-idx3-ubyte")

            try FileManager.default.removeItem(atPath: root + "/work/data")
            let system = try locator.locate(dataset)
            #expect(system.directory == root + "/system")
            #expect(system.labelsPath(of: .test) == root + "/system/t10k-labels-idx1-ubyte.gz")
        }
    }

    @Test("a place missing one file is skipped")
    func incompletePlace() throws {
        try withTemporaryDirectory { root in
            try populate(root + "/env", skipping: "t10k-labels-idx1-ubyte")
            try populate(root + "/work/data/mnist")
            let locator = DatasetLocator(environment: ["MNIST_DIR": root + "/env"], currentDirectory: root + "/work")
            #expect(try locator.locate(.mnist).directory == root + "/work/data/mnist")
        }
    }

    @Test("relative directories resolve against the injected current directory")
    func relativePaths() throws {
        try withTemporaryDirectory { root in
            try populate(root + "/work/mine")
            let locator = DatasetLocator(environment: ["MNIST_DIR": "mine"], currentDirectory: root + "/work")
            #expect(try locator.locate(.mnist).directory == root + "/work/mine")
            #expect(try locator.locate(.mnist, explicitDirectory: "./mine").directory == root + "/work/mine")
        }
    }

    @Test("an explicit directory is the only place searched")
    func explicitOnly() throws {
        try withTemporaryDirectory { root in
            let locator = try locator(in: root, dataset: .mnist, environment: true, workingDirectory: true, system: false)
            try populate(root + "/partial", skipping: "train-labels-idx1-ubyte")
            let error = datasetError { _ = try locator.locate(.mnist, explicitDirectory: root + "/partial") }
            #expect(error == .datasetNotFound(
                dataset: "MNIST", searched: ["--data-dir \(root)/partial (missing train-labels-idx1-ubyte[.gz])"],
                remedies: NamedDataset.mnist.remedies))
        }
    }

    @Test("when nothing is found, the error lists every place and how to get the data")
    func notFound() throws {
        try withTemporaryDirectory { root in
            let locator = try locator(in: root, dataset: .fashionMNIST, environment: false, workingDirectory: false, system: false)
            let error = datasetError { _ = try locator.locate(.fashionMNIST) }
            guard case .datasetNotFound(let name, let searched, _) = error else {
                Issue.record("expected datasetNotFound, got \(String(describing: error))")
                return
            }
            #expect(name == "Fashion-MNIST")
            #expect(searched == [
                "FASHION_MNIST_DIR=\(root)/env (no such directory)",
                "./data/fashion-mnist (no such directory)",
                "\(root)/system (no such directory)",
            ])
            let message = error?.description ?? ""
            #expect(message.contains("mlp data fetch fashion-mnist"))
            #expect(message.contains("apt-get install dataset-fashion-mnist"))
            #expect(message.contains("FASHION_MNIST_DIR"))
            #expect(!message.contains("\n"))

            let mnist = DatasetLocator(environment: [:], currentDirectory: root, systemDirectories: [:])
            let mnistMessage = datasetError { _ = try mnist.locate(.mnist) }?.description ?? ""
            #expect(mnistMessage.contains("mlp data fetch mnist") && mnistMessage.contains("MNIST_DIR"))
            #expect(!mnistMessage.contains("apt-get"))
        }
    }

    @Test("the places searched, without looking at the disk")
    func places() {
        let locator = DatasetLocator(environment: ["MNIST_DIR": "/m"], currentDirectory: "/w")
        #expect(locator.places(for: .mnist).map(\.label) == ["MNIST_DIR=/m", "./data/mnist"])
        #expect(locator.places(for: .fashionMNIST).map(\.label) == ["./data/fashion-mnist", "/usr/share/datasets/fashion-mnist"])
        #expect(locator.places(for: .mnist, explicitDirectory: "/x").map(\.label) == ["--data-dir /x"])
    }

    @Test("a named dataset loads from a located directory")
    func loadNamed() throws {
        try withTemporaryDirectory { root in
            let directory = root + "/data"
            let (pixels, labels) = sampleImages(count: 6, height: 28, width: 28, classCount: 10)
            for part in DatasetPart.allCases {
                try IDXFile(images: pixels, count: 6, height: 28, width: 28)
                    .write(to: directory + "/" + part.imagesFileName + ".gz", compressed: true)
                try IDXFile(labels: labels).write(to: directory + "/" + part.labelsFileName, compressed: false)
            }
            let locator = DatasetLocator(environment: [:], currentDirectory: root, systemDirectories: [:])
            let dataset = try Dataset.load(.fashionMNIST, part: .test, dataDirectory: directory, locator: locator)
            #expect(dataset.name == "Fashion-MNIST (test)")
            #expect(dataset.pixels == pixels && dataset.labels == labels)
            #expect(dataset.classNames[9] == "Ankle boot")
        }
    }
}
