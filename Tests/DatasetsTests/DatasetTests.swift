import LinearAlgebra
import Testing
@testable import Datasets
import MLPCore

@Suite("Dataset")
struct DatasetTests {
    @Test("copyFeatures converts the selected rows with pixel / 255")
    func copyFeatures() throws {
        let dataset = try Dataset(
            pixels: [0, 255, 51, 102, 10, 20, 30, 40, 200, 100, 50, 25],
            labels: [0, 1, 2], imageHeight: 2, imageWidth: 2, classNames: ["a", "b", "c"])
        #expect(dataset.normalization == .unitInterval)
        let indices = [2, 0, 2]
        var destination = [Float](repeating: -1, count: indices.count * 4)
        indices.withUnsafeBufferPointer { indexBuffer in
            destination.withUnsafeMutableBufferPointer { dataset.copyFeatures(of: indexBuffer, into: $0.baseAddress!) }
        }
        let expected: [Float] = [200, 100, 50, 25, 0, 255, 51, 102, 200, 100, 50, 25].map { $0 / 255 }
        for (value, reference) in zip(destination, expected) { #expect(abs(value - reference) < 1e-7) }
    }

    @Test("a standardizing normalization gives (pixel − mean) / standardDeviation")
    func standardized() throws {
        var dataset = try sampleDataset(count: 4)
        dataset.normalization = .standardized(mean: 100, standardDeviation: 50)
        let matrix = dataset.featureMatrix(of: [1])
        for column in 0..<dataset.featureCount {
            let reference = (Float(dataset.image(at: 1)[dataset.image(at: 1).startIndex + column]) - 100) / 50
            #expect(abs(matrix[0, column] - reference) < 1e-5)
        }
    }

    @Test("a feature matrix of an index list, and one-hot labels")
    func featureMatrix() throws {
        let dataset = try sampleDataset(count: 6, height: 3, width: 2, classCount: 3)
        let matrix = dataset.featureMatrix(of: [4, 1])
        #expect(matrix.rows == 2 && matrix.columns == 6)
        for column in 0..<6 {
            #expect(abs(matrix[0, column] - Float(dataset.pixels[4 * 6 + column]) / 255) < 1e-7)
            #expect(abs(matrix[1, column] - Float(dataset.pixels[1 * 6 + column]) / 255) < 1e-7)
        }
        #expect(dataset.featureMatrix().rows == 6)
        let oneHot = dataset.oneHotLabels(of: [4, 1, 2])
        #expect(oneHot == Matrix([[0, 1, 0], [0, 1, 0], [0, 0, 1]]))
    }

    @Test("a subset keeps the selected rows, labels, shape and normalization")
    func subset() throws {
        var dataset = try sampleDataset(count: 7)
        dataset.normalization = InputScaling(scale: 2, offset: 1)
        let subset = dataset.subset([6, 0, 3])
        #expect(subset.sampleCount == 3)
        #expect(subset.labels == [dataset.labels[6], dataset.labels[0], dataset.labels[3]])
        #expect(Array(subset.image(at: 0)) == Array(dataset.image(at: 6)))
        #expect(Array(subset.image(at: 2)) == Array(dataset.image(at: 3)))
        #expect(subset.normalization == dataset.normalization)
        #expect(subset.classNames == dataset.classNames)
        #expect(dataset.integerLabels(of: [6, 0]) == [0, 0])
        #expect(dataset.integerLabels == dataset.labels.map { Int($0) })
        let joined = dataset.subset([0, 1]).appending(dataset.subset([2]))
        #expect(joined == dataset.subset([0, 1, 2]))
    }

    @Test("the class histogram, of all samples and of an index list")
    func classHistogram() throws {
        let dataset = try sampleDataset(count: 10, classCount: 4)
        #expect(dataset.classHistogram() == [3, 3, 2, 2])
        #expect(dataset.classHistogram(of: [0, 4, 8, 1]) == [3, 1, 0, 0])
    }

    @Test("pixel statistics agree with a direct computation in Double")
    func pixelStatistics() throws {
        var generator = SeededGenerator(seed: 7)
        let count = 37, height = 5, width = 3
        let pixels = (0..<(count * height * width)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let dataset = try Dataset(pixels: pixels, labels: [UInt8](repeating: 0, count: count),
                                  imageHeight: height, imageWidth: width, classNames: ["x"])
        func reference(_ values: [UInt8]) -> (mean: Double, deviation: Double) {
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
            return (mean, variance.squareRoot())
        }
        let all = dataset.pixelStatistics()
        let direct = reference(pixels)
        #expect(all.pixelCount == pixels.count)
        #expect(abs(all.mean - direct.mean) < 1e-9)
        #expect(abs(all.standardDeviation - direct.deviation) < 1e-9)
        #expect(all.minimum == pixels.min() && all.maximum == pixels.max())
        #expect(abs(all.normalizedMean - direct.mean / 255) < 1e-7)
        #expect(abs(all.normalizedStandardDeviation - direct.deviation / 255) < 1e-7)

        let some = dataset.pixelStatistics(of: [3, 30, 3])
        let selected = Array(dataset.image(at: 3)) + Array(dataset.image(at: 30)) + Array(dataset.image(at: 3))
        let directSome = reference(selected)
        #expect(abs(some.mean - directSome.mean) < 1e-9)
        #expect(abs(some.standardDeviation - directSome.deviation) < 1e-9)
    }

    @Test("statistics of a constant image have zero deviation")
    func constantStatistics() throws {
        let dataset = try Dataset(pixels: [9, 9, 9, 9], labels: [0], imageHeight: 2, imageWidth: 2, classNames: ["x"])
        let statistics = dataset.pixelStatistics()
        #expect(statistics.mean == 9 && statistics.standardDeviation == 0)
    }

    @Test("a count mismatch and a label out of range are typed errors")
    func initializerErrors() {
        #expect(datasetError {
            _ = try Dataset(pixels: [1, 2, 3, 4, 5, 6], labels: [0, 1], imageHeight: 1, imageWidth: 2,
                            classNames: ["a", "b"], imagesSource: "pixels.idx", labelsSource: "labels.idx")
        } == .countMismatch(imagesSource: "pixels.idx", imageCount: 3, labelsSource: "labels.idx", labelCount: 2))
        #expect(datasetError {
            _ = try Dataset(pixels: [1, 2], labels: [0, 2], imageHeight: 1, imageWidth: 1, classNames: ["a", "b"])
        } == .labelOutOfRange(source: "the labels", sampleIndex: 1, label: 2, classCount: 2))
    }

    @Test("named datasets know their class names, files and checksums")
    func namedDatasets() {
        #expect(NamedDataset.fashionMNIST.classNames == [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
        #expect(NamedDataset.mnist.classNames == (0...9).map(String.init))
        #expect(NamedDataset(rawValue: "fashion-mnist") == .fashionMNIST)
        for dataset in NamedDataset.allCases {
            #expect(dataset.files.map(\.name) == [
                "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])
            #expect(dataset.files.allSatisfy { $0.sha256.count == 64 })
        }
        #expect(NamedDataset.mnist.files[1].sha256 == "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5")
    }
}
