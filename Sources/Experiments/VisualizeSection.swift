import Datasets
import Reporting
import MLPCore

/// Section C1: a grid of the first `samplesPerClass` training images of every class.
///
/// ``run(_:data:configuration:)`` draws the ``Results``; ``render(_:)`` turns them into the
/// section's text and figures.
public enum VisualizeSection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "visualize"

    /// The settings of section C1.
    public struct Configuration: Sendable, Codable {
        /// Images shown of each class (one row per class).
        public var samplesPerClass = 10
        /// Each 28×28 tile is drawn `scale` times larger.
        public var scale = 2

        public init() {}
    }

    /// What section C1 drew.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// The dataset's name, e.g. "Fashion-MNIST".
        public var datasetName: String
        /// The start of the figures' file names: "fashion" or "mnist".
        public var filePrefix: String
        /// The grid with its class names.
        public var grid: LabeledImageGrid
        /// The same grid as a PNG image.
        public var image: PNGImage
        /// Seconds the drawing took.
        public var seconds: Double
    }

    /// The grid: one row per class, `samplesPerClass` columns, each tile 28×28 scaled by `scale`.
    public static func grid(of dataset: Dataset, samplesPerClass: Int = 10, scale: Int = 2) -> LabeledImageGrid {
        var grid = ImageGrid(rows: dataset.classCount, columns: samplesPerClass, tileWidth: dataset.imageWidth,
                             tileHeight: dataset.imageHeight, padding: 2, scale: scale)
        var filled = [Int](repeating: 0, count: dataset.classCount)
        for index in 0..<dataset.sampleCount {
            let label = Int(dataset.labels[index])
            guard filled[label] < samplesPerClass else { continue }
            // Dark ink on a light background, as printed figures show these images.
            grid.setTile(row: label, column: filled[label], pixels: dataset.image(at: index).map { 255 - $0 })
            filled[label] += 1
            if filled.allSatisfy({ $0 >= samplesPerClass }) { break }
        }
        return LabeledImageGrid(grid: grid, title: "\(samplesPerClass) training samples of each class",
                                rowLabels: dataset.classNames)
    }

    /// Draws section C1 from `data`'s training images.
    public static func run(_ context: ExperimentContext, data: FashionData, configuration: Configuration = Configuration()) -> Results {
        let started = MonotonicClock.seconds()
        let labeled = grid(of: data.training, samplesPerClass: configuration.samplesPerClass, scale: configuration.scale)
        return Results(configuration: configuration, datasetName: data.named.displayName,
                       filePrefix: data.named == .mnist ? "mnist" : "fashion", grid: labeled, image: labeled.grid.image(),
                       seconds: MonotonicClock.seconds() - started)
    }
}
