import Datasets
import FuzzSupport
import MLPCore

/// Feeds the input to `CSVDatasetReader.parse(_:source:name:)` under each of a few readers: small
/// images so that short inputs hold whole rows, with the header and the label column given and
/// told apart automatically, and 256 classes at the edge of byte labels. What parses is used as
/// training reads it: labels, an image, the features of every sample.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    for reader in readers {
        do {
            let dataset = try reader.parse(bytes, source: "fuzz input")
            use(dataset)
        } catch {
            _ = error.description
        }
    }
    return 0
}

/// The readers each input goes through.
private let readers: [CSVDatasetReader] = {
    // 2×2 images of 3 classes; header and label column decided by the reader.
    var automatic = CSVDatasetReader(imageHeight: 2, imageWidth: 2, classNames: Dataset.numericClassNames(3))
    automatic.labelColumn = .automatic
    // The default label column (present) and an explicit header row.
    let withHeader = CSVDatasetReader(
        imageHeight: 2, imageWidth: 2, classNames: Dataset.numericClassNames(3), headerRow: .present)
    // Prediction input: pixels only, no header, standardised.
    var unlabelled = CSVDatasetReader(
        imageHeight: 1, imageWidth: 3, classNames: Dataset.numericClassNames(2), headerRow: .absent,
        normalization: InputScaling(scale: 1.0 / 64, offset: -2))
    unlabelled.labelColumn = .absent
    // One pixel and every byte label.
    let everyLabel = CSVDatasetReader(imageHeight: 1, imageWidth: 1, classNames: Dataset.numericClassNames(256))
    return [automatic, withHeader, unlabelled, everyLabel]
}()

/// Reads `dataset` as training does.
private func use(_ dataset: Dataset) {
    precondition(dataset.pixels.count == dataset.sampleCount * dataset.featureCount,
                 "\(dataset.pixels.count) pixels for \(dataset.sampleCount) samples of \(dataset.featureCount)")
    _ = dataset.integerLabels
    _ = dataset.image(at: dataset.sampleCount - 1)
    let indices = Array(0..<dataset.sampleCount)
    var features = [Float](repeating: 0, count: dataset.sampleCount * dataset.featureCount)
    indices.withUnsafeBufferPointer { indexBuffer in
        features.withUnsafeMutableBufferPointer { featureBuffer in
            dataset.copyFeatures(of: indexBuffer, into: featureBuffer.baseAddress!)
        }
    }
}
