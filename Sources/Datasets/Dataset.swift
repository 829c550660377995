import LinearAlgebra
import MLPCore

/// Labelled greyscale images held as bytes: `sampleCount` images of `imageHeight × imageWidth`
/// pixels, each with a class label.
///
/// The pixels stay `UInt8` (MNIST's 60,000 training images take 47 MB, not the 188 MB of `Float`);
/// training reads them through ``copyFeatures(of:into:)``, which converts just the rows of a batch
/// with the dataset's ``normalization`` straight into the caller's buffer:
/// `feature = Float(pixel) × normalization.scale + normalization.offset`.
public struct Dataset: FeatureSource, Sendable, Equatable {
    /// A name for messages and reports, such as "Fashion-MNIST (training)".
    public var name: String
    /// The pixels, row-major: image `i` is `pixels[i × featureCount ..< (i + 1) × featureCount]`,
    /// and within an image, row after row.
    public let pixels: [UInt8]
    /// The class of each image, in `0..<classCount`.
    public let labels: [UInt8]
    /// The height of each image in pixels.
    public let imageHeight: Int
    /// The width of each image in pixels.
    public let imageWidth: Int
    /// The name of each class, in label order.
    public let classNames: [String]
    /// How pixels become features; `pixel / 255` unless changed.
    public var normalization: InputScaling

    /// The number of images.
    public var sampleCount: Int { labels.count }
    /// The number of pixels per image, `imageHeight × imageWidth`.
    public var featureCount: Int { imageHeight &* imageWidth }
    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// A dataset over `pixels` (`labels.count × imageHeight × imageWidth` bytes) and `labels`.
    ///
    /// `imagesSource` and `labelsSource` name the data in errors (file paths, usually).
    /// - Precondition: the image sides are positive, `pixels.count` is a multiple of
    ///   `imageHeight × imageWidth`, and there are 1…256 class names.
    /// - Throws: ``DatasetError/countMismatch(imagesSource:imageCount:labelsSource:labelCount:)`` when
    ///   the number of images and of labels differ, and
    ///   ``DatasetError/labelOutOfRange(source:sampleIndex:label:classCount:)`` for a label that is
    ///   not below `classNames.count`.
    public init(
        name: String = "dataset",
        pixels: [UInt8], labels: [UInt8], imageHeight: Int, imageWidth: Int, classNames: [String],
        normalization: InputScaling = .unitInterval,
        imagesSource: String = "the images", labelsSource: String = "the labels"
    ) throws(DatasetError) {
        precondition(imageHeight > 0 && imageWidth > 0, "invalid image shape \(imageHeight)×\(imageWidth)")
        precondition((1...256).contains(classNames.count), "\(classNames.count) classes; byte labels allow 1…256")
        let featureCount = imageHeight * imageWidth
        precondition(pixels.count % featureCount == 0,
                     "\(pixels.count) pixels do not make whole \(imageHeight)×\(imageWidth) images")
        let imageCount = pixels.count / featureCount
        guard imageCount == labels.count else {
            throw .countMismatch(imagesSource: imagesSource, imageCount: imageCount,
                                 labelsSource: labelsSource, labelCount: labels.count)
        }
        if let bad = Dataset.firstLabel(in: labels, notBelow: classNames.count) {
            throw .labelOutOfRange(source: labelsSource, sampleIndex: bad, label: Int(labels[bad]),
                                   classCount: classNames.count)
        }
        self.init(uncheckedName: name, pixels: pixels, labels: labels, imageHeight: imageHeight,
                  imageWidth: imageWidth, classNames: classNames, normalization: normalization)
    }

    /// A dataset from parts already known to agree (the counts match and every label is in range).
    init(
        uncheckedName name: String, pixels: [UInt8], labels: [UInt8], imageHeight: Int, imageWidth: Int,
        classNames: [String], normalization: InputScaling
    ) {
        assert(pixels.count == labels.count * imageHeight * imageWidth)
        self.name = name
        self.pixels = pixels
        self.labels = labels
        self.imageHeight = imageHeight
        self.imageWidth = imageWidth
        self.classNames = classNames
        self.normalization = normalization
    }

    /// The class names "0", "1", … for `classCount` classes.
    public static func numericClassNames(_ classCount: Int) -> [String] {
        (0..<classCount).map(String.init)
    }

    /// The labels as `Int`s.
    public var integerLabels: [Int] { labels.map { Int($0) } }

    /// The pixels of image `index`.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < sampleCount, "sample \(index) is outside a dataset of \(sampleCount)")
        return pixels[(index &* featureCount)..<((index &+ 1) &* featureCount)]
    }

    /// With a normalization without offset (`unitInterval`, `identity`), calls `body` with
    /// ``pixels`` and the scale; otherwise (standardized pixels) returns `nil`.
    public func withScaledFeatureBytes<Result>(
        _ body: (UnsafeBufferPointer<UInt8>, Float) throws -> Result
    ) rethrows -> Result? {
        guard normalization.isUniform && normalization.offset == 0 else { return nil }
        return try pixels.withUnsafeBufferPointer { try body($0, normalization.scale) }
    }

    /// Converts the images at `indices` to features, `Float(pixel) × scale + offset` (each pixel
    /// position's own scale and offset for a per-feature normalization), writing them as
    /// consecutive rows of `destination` (`indices.count × featureCount` floats).
    /// - Precondition: a per-feature normalization has one term per pixel.
    public func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>) {
        let width = featureCount
        let count = sampleCount
        let uniform = normalization.isUniform
        precondition(normalization.fits(featureCount: width),
                     "a normalization for \(normalization.featureCount ?? 0) features on images of \(width) pixels")
        let scale = normalization.scale
        let offset = normalization.offset
        pixels.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for position in 0..<indices.count {
                let index = indices[position]
                precondition(index >= 0 && index < count, "sample index \(index) is outside a dataset of \(count)")
                let from = base + index &* width
                let to = destination + position &* width
                if uniform {
                    for column in 0..<width {
                        to[column] = Float(from[column]) * scale + offset
                    }
                } else {
                    for column in 0..<width { to[column] = Float(from[column]) }
                    normalization.apply(to: to, count: width)
                }
            }
        }
    }

    static func firstLabel(in labels: [UInt8], notBelow classCount: Int) -> Int? {
        guard classCount < 256 else { return nil }
        let limit = UInt8(classCount)
        var largest: UInt8 = 0
        for label in labels where label > largest { largest = label }
        guard largest >= limit else { return nil }
        return labels.firstIndex { $0 >= limit }
    }
}
