import LinearAlgebra
import Testing
@testable import Datasets
import Deflate
import TestSupport

@Suite("IDX files")
struct IDXFileTests {
    @Test("images and labels survive a round trip, raw and gzip", arguments: [false, true])
    func roundTrip(compressed: Bool) throws {
        try withTemporaryDirectory { directory in
            let (pixels, labels) = sampleImages(count: 5, height: 3, width: 2)
            let suffix = compressed ? ".gz" : ""
            let imagesPath = directory + "/images" + suffix
            let labelsPath = directory + "/labels" + suffix
            try IDXFile(images: pixels, count: 5, height: 3, width: 2).write(to: imagesPath, compressed: compressed)
            try IDXFile(labels: labels).write(to: labelsPath, compressed: compressed)

            let stored = try DatasetFile.read(at: imagesPath)
            #expect(Zlib.isGzip(stored) == compressed)
            let images = try IDXFile.read(at: imagesPath, expecting: .images)
            #expect(images.dimensions == [5, 3, 2])
            #expect(images.data == pixels)

            let dataset = try Dataset.loadIDX(
                imagesPath: imagesPath, labelsPath: labelsPath, classNames: ["a", "b", "c"])
            #expect(dataset.sampleCount == 5)
            #expect(dataset.imageHeight == 3 && dataset.imageWidth == 2)
            #expect(dataset.pixels == pixels)
            #expect(dataset.labels == labels)
            #expect(dataset.classNames == ["a", "b", "c"])
        }
    }

    @Test("the encoded header is big-endian with magic 2051 or 2049")
    func headerBytes() {
        let images = IDXFile(images: [1, 2, 3, 4, 5, 6], count: 1, height: 2, width: 3).encoded()
        #expect(Array(images.prefix(16)) == [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(Array(images.suffix(6)) == [1, 2, 3, 4, 5, 6])
        let labels = IDXFile(labels: [9, 8]).encoded()
        #expect(labels == [0, 0, 8, 1, 0, 0, 0, 2, 9, 8])
    }

    @Test("an empty label file is valid")
    func emptyLabels() throws {
        let file = try IDXFile.parse([0, 0, 8, 1, 0, 0, 0, 0], expecting: .labels, source: "empty")
        #expect(file.itemCount == 0 && file.data.isEmpty)
    }

    @Test("a missing file names its path")
    func missingFile() {
        let path = "/nonexistent-\(UInt32.random(in: 0...UInt32.max))/train-images-idx3-ubyte"
        let error = datasetError { _ = try IDXFile.read(at: path, expecting: .images) }
        #expect(error == .fileNotFound(path: path))
        #expect(error?.description == "\(path): no such file")
    }

    @Test("a directory where a file should be")
    func directoryInsteadOfFile() throws {
        try withTemporaryDirectory { directory in
            let error = datasetError { _ = try IDXFile.read(at: directory, expecting: .labels) }
            #expect(error == .notAFile(path: directory, kind: "a directory"))
            #expect(error?.description.contains("is a directory") == true)
        }
    }

    @Test("a truncated gzip file")
    func truncatedGzip() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/images.gz"
            let (pixels, _) = sampleImages(count: 50, height: 4, width: 4)
            let compressed = Zlib.gzip(IDXFile(images: pixels, count: 50, height: 4, width: 4).encoded())
            try writeBytes(Array(compressed.prefix(compressed.count / 2)), to: path)
            let error = datasetError { _ = try IDXFile.read(at: path, expecting: .images) }
            #expect(error == .truncatedCompressedFile(path: path))
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test("corrupt gzip data")
    func corruptGzip() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/labels.gz"
            // A valid gzip header followed by a deflate block of reserved type 3.
            try writeBytes([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff], to: path)
            let error = datasetError { _ = try IDXFile.read(at: path, expecting: .labels) }
            guard case .corruptCompressedFile(let reported, _) = error else {
                Issue.record("expected corruptCompressedFile, got \(String(describing: error))")
                return
            }
            #expect(reported == path)
        }
    }

    @Test("a wrong magic number: labels read as images, and garbage")
    func wrongMagic() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/labels"
            try IDXFile(labels: [1, 2, 3]).write(to: path, compressed: false)
            let error = datasetError { _ = try IDXFile.read(at: path, expecting: .images) }
            #expect(error == .wrongMagicNumber(path: path, found: 2049, expected: 2051))
            #expect(error?.description.hasSuffix("(the file holds labels)") == true)
            #expect(error?.description.contains("0x00000801") == true)

            let garbage = directory + "/garbage"
            try writeBytes([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0], to: garbage)
            #expect(datasetError { _ = try IDXFile.read(at: garbage, expecting: .labels) }
                    == .wrongMagicNumber(path: garbage, found: 0x1234_5678, expected: 2049))
        }
    }

    @Test("a header cut short")
    func truncatedHeader() {
        #expect(datasetError { _ = try IDXFile.parse([0, 0], expecting: .images, source: "f") }
                == .truncatedHeader(path: "f", byteCount: 2, expected: 16))
        #expect(datasetError { _ = try IDXFile.parse([0, 0, 8, 3, 0, 0, 0, 1], expecting: .images, source: "f") }
                == .truncatedHeader(path: "f", byteCount: 8, expected: 16))
    }

    @Test("a header that promises more items than the file holds")
    func promisesMoreThanItHolds() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/images.gz"
            var bytes = IDXFile(images: [UInt8](repeating: 1, count: 4 * 6), count: 4, height: 3, width: 2).encoded()
            bytes[7] = 5  // The header now says 5 images; the data hold 4.
            try writeBytes(Zlib.gzip(bytes), to: path)
            let error = datasetError { _ = try IDXFile.read(at: path, expecting: .images) }
            #expect(error == .truncatedData(path: path, itemCount: 5, expectedBytes: 30, foundBytes: 24))
            #expect(error?.description == "\(path): the header promises 5 items (30 bytes) but the file holds only 24 bytes of data")
        }
    }

    @Test("bytes after the data")
    func trailingBytes() {
        let bytes = IDXFile(labels: [1, 2, 3]).encoded() + [0, 0]
        #expect(datasetError { _ = try IDXFile.parse(bytes, expecting: .labels, source: "f") }
                == .trailingBytes(path: "f", expectedBytes: 3, foundBytes: 5))
    }

    @Test("zero-sized images and overflowing sizes")
    func invalidDimensions() {
        let zeroWidth: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 0]
        #expect(datasetError { _ = try IDXFile.parse(zeroWidth, expecting: .images, source: "f") }
                == .invalidDimensions(path: "f", dimensions: [1, 28, 0]))
        let huge: [UInt8] = [0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        let error = datasetError { _ = try IDXFile.parse(huge, expecting: .images, source: "f") }
        if case .invalidDimensions = error {} else { Issue.record("expected invalidDimensions, got \(String(describing: error))") }
    }

    @Test("images and labels that disagree in count")
    func countMismatch() throws {
        try withTemporaryDirectory { directory in
            let (pixels, labels) = sampleImages(count: 5)
            try IDXFile(images: pixels, count: 5, height: 3, width: 2).write(to: directory + "/images", compressed: false)
            try IDXFile(labels: Array(labels.prefix(4))).write(to: directory + "/labels", compressed: true)
            let error = datasetError {
                _ = try Dataset.loadIDX(imagesPath: directory + "/images", labelsPath: directory + "/labels",
                                        classNames: ["a", "b", "c"])
            }
            #expect(error == .countMismatch(imagesSource: directory + "/images", imageCount: 5,
                                            labelsSource: directory + "/labels", labelCount: 4))
            #expect(error?.description == "\(directory)/images holds 5 images but \(directory)/labels holds 4 labels")
        }
    }

    @Test("a label outside the classes")
    func labelOutOfRange() throws {
        try withTemporaryDirectory { directory in
            try IDXFile(images: [UInt8](repeating: 0, count: 3), count: 3, height: 1, width: 1)
                .write(to: directory + "/images", compressed: false)
            try IDXFile(labels: [0, 1, 10]).write(to: directory + "/labels", compressed: false)
            let error = datasetError {
                _ = try Dataset.loadIDX(imagesPath: directory + "/images", labelsPath: directory + "/labels",
                                        classNames: Dataset.numericClassNames(10))
            }
            #expect(error == .labelOutOfRange(source: directory + "/labels", sampleIndex: 2, label: 10, classCount: 10))
        }
    }

    @Test("every error message is one line")
    func oneLineMessages() {
        let errors: [DatasetError] = [
            .fileNotFound(path: "p"), .notAFile(path: "p", kind: "a FIFO"), .unreadableFile(path: "p", reason: "r"),
            .truncatedCompressedFile(path: "p"), .corruptCompressedFile(path: "p", detail: "d"),
            .writeFailed(path: "p", reason: "r"), .truncatedHeader(path: "p", byteCount: 1, expected: 16),
            .wrongMagicNumber(path: "p", found: 1, expected: 2051), .invalidDimensions(path: "p", dimensions: [1, 0, 2]),
            .truncatedData(path: "p", itemCount: 2, expectedBytes: 2, foundBytes: 1),
            .trailingBytes(path: "p", expectedBytes: 1, foundBytes: 2),
            .countMismatch(imagesSource: "i", imageCount: 1, labelsSource: "l", labelCount: 2),
            .labelOutOfRange(source: "l", sampleIndex: 0, label: 11, classCount: 10), .csvEmpty(path: "p"),
            .csvInvalidNumber(path: "p", line: 2, column: 3, text: "x"),
            .csvWrongWidth(path: "p", line: 2, columnCount: 3, expected: 785),
            .csvLabelOutOfRange(path: "p", line: 2, column: 1, value: 10, classCount: 10),
            .csvPixelOutOfRange(path: "p", line: 2, column: 5, value: 256),
            .datasetNotFound(dataset: "MNIST", searched: ["a", "b"], remedies: ["x", "y"]),
            .downloadFailed(url: "u", reason: "r"), .httpStatus(url: "u", status: 404),
            .checksumMismatch(file: "f", url: "u", expected: "e", actual: "a"), .invalidSplit(reason: "r"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"), "\(error)")
            #expect(!error.description.isEmpty)
        }
    }
}
