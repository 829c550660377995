import Foundation
import Testing
@testable import Datasets
import TestSupport

/// `count` images of `height × width` with pixel `(i, p)` = `(i · 7 + p) mod 256`, and labels `i mod classCount`.
func sampleImages(count: Int, height: Int = 3, width: Int = 2, classCount: Int = 3) -> (pixels: [UInt8], labels: [UInt8]) {
    let featureCount = height * width
    let pixels = (0..<(count * featureCount)).map { UInt8(($0 / featureCount * 7 + $0 % featureCount) % 256) }
    let labels = (0..<count).map { UInt8($0 % classCount) }
    return (pixels, labels)
}

/// A small dataset from ``sampleImages(count:height:width:classCount:)``.
func sampleDataset(count: Int, height: Int = 3, width: Int = 2, classCount: Int = 3) throws -> Dataset {
    let (pixels, labels) = sampleImages(count: count, height: height, width: width, classCount: classCount)
    return try Dataset(pixels: pixels, labels: labels, imageHeight: height, imageWidth: width,
                       classNames: Dataset.numericClassNames(classCount))
}

/// Runs `body` and returns the `DatasetError` it throws, or nil if it throws none.
func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do {
        try body()
        return nil
    } catch let error as DatasetError {
        return error
    } catch {
        Issue.record("expected a DatasetError, got \(error)")
        return nil
    }
}

/// The async form of ``datasetError(_:)``.
func datasetError(_ body: () async throws -> Void) async -> DatasetError? {
    do {
        try await body()
        return nil
    } catch let error as DatasetError {
        return error
    } catch {
        Issue.record("expected a DatasetError, got \(error)")
        return nil
    }
}
