import Datasets
import LinearAlgebra
import Reporting
import MLPCore

/// The training images a benchmark runs on: MNIST's training set when it can be found, else
/// synthetic images of the same shape, and a record of which.
public struct BenchmarkDataset: Sendable {
    /// Where the images came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// MNIST's training images.
        case mnist
        /// Seeded random images (see ``BenchmarkDataset/synthetic(sampleCount:seed:)``).
        case synthetic
    }

    /// The share of non-zero pixels in the synthetic images, about MNIST's (19.1 % of its
    /// training pixels are non-zero).
    public static let syntheticNonZeroFraction = 0.19

    /// The images and labels.
    public var images: Dataset
    public var source: Source
    /// Where the images came from, for reports: `MNIST training images (MNIST_DIR=/data/mnist)`.
    public var description: String
    /// Why synthetic images are used, when they are.
    public var note: String?

    public init(images: Dataset, source: Source, description: String, note: String? = nil) {
        self.images = images
        self.source = source
        self.description = description
        self.note = note
    }

    /// The first `sampleCount` MNIST training images, found as `mlp train --dataset mnist` finds
    /// them (`dataDirectory`, then `MNIST_DIR`, `./data/mnist` and the system directories; see
    /// ``DatasetLocator``), or `sampleCount` synthetic images when `synthetic` is set or MNIST is
    /// in none of the places searched (then ``note`` says so).
    ///
    /// - Throws: ``DatasetError`` when an explicit `dataDirectory` does not hold MNIST, or the
    ///   files found cannot be read.
    public static func load(
        sampleCount: Int, dataDirectory: String? = nil, synthetic: Bool = false, seed: UInt64 = 1,
        locator: DatasetLocator = .current
    ) throws(DatasetError) -> BenchmarkDataset {
        precondition(sampleCount >= 1, "need at least one sample, got \(sampleCount)")
        let reason: String
        if synthetic {
            reason = "--synthetic was given"
        } else {
            do {
                let location = try locator.locate(.mnist, explicitDirectory: dataDirectory)
                var images = try Dataset.load(.mnist, part: .training, from: location)
                let total = images.sampleCount
                if sampleCount < total { images = images.subset(Array(0..<sampleCount)) }
                let which = images.sampleCount == total
                    ? "all \(NumberFormat.grouped(total))"
                    : "the first \(NumberFormat.grouped(images.sampleCount)) of \(NumberFormat.grouped(total))"
                return BenchmarkDataset(
                    images: images, source: .mnist, description: "MNIST training images, \(which) (\(location.place.label))")
            } catch .datasetNotFound(_, let searched, _) where dataDirectory == nil {
                reason = "MNIST was not found (searched " + searched.joined(separator: "; ") + ")"
            }
        }
        let percent = Int((syntheticNonZeroFraction * 100).rounded())
        return BenchmarkDataset(
            images: BenchmarkDataset.synthetic(sampleCount: sampleCount, seed: seed), source: .synthetic,
            description: "SYNTHETIC images: \(NumberFormat.grouped(sampleCount)) random 28×28 with about \(percent) % non-zero pixels, labels 0–9 (seed \(seed))",
            note: "Synthetic data, not MNIST: \(reason). The images have MNIST's shape and about its share "
                + "of non-zero pixels, so the times are comparable; the losses mean nothing.")
    }

    /// `sampleCount` seeded stand-ins for MNIST images, 28×28 bytes. As in MNIST, whose digits
    /// are scaled into the central 20×20 box, the 4-pixel border is always 0; inside the box a
    /// pixel is non-zero with probability `0.19 · 784 / 400`, so that about
    /// ``syntheticNonZeroFraction`` of all pixels are non-zero, and a non-zero pixel is uniform on
    /// 1…255. Sample `i` has label `i mod 10`. Only the density matters to the timing: it decides
    /// whether the first layer's sparse kernel runs.
    public static func synthetic(sampleCount: Int, seed: UInt64) -> Dataset {
        precondition(sampleCount >= 1, "need at least one sample, got \(sampleCount)")
        let side = 28, box = 4..<24
        var generator = SeededGenerator(seed: seed)
        let inBox = Float(syntheticNonZeroFraction) * Float(side * side) / Float(box.count * box.count)
        var pixels = [UInt8](repeating: 0, count: sampleCount * side * side)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for image in 0..<sampleCount {
                for row in box {
                    for column in box where generator.nextUnitFloat() < inBox {
                        buffer[image &* side &* side &+ row &* side &+ column] = UInt8(1 + generator.nextIndex(below: 255))
                    }
                }
            }
        }
        let labels = (0..<sampleCount).map { UInt8($0 % 10) }
        do {
            return try Dataset(
                name: "synthetic (training)", pixels: pixels, labels: labels, imageHeight: 28, imageWidth: 28,
                classNames: Dataset.numericClassNames(10))
        } catch {
            preconditionFailure("synthetic images are well formed by construction: \(error)")
        }
    }
}
