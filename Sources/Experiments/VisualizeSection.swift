import Datasets
import Reporting

/// Section C1: a grid of the first `samplesPerClass` training images of every class.
public enum VisualizeSection {
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

    /// Runs section C1 on `data`'s training images.
    public static func run(_ context: ExperimentContext, data: FashionData) -> SectionResult {
        let started = monotonicSeconds()
        let name = data.named.displayName
        var result = SectionResult(key: "visualize", title: "C1. Samples of each class (\(name))")
        let labeled = grid(of: data.training)
        let image = labeled.grid.image()
        let prefix = data.named == .mnist ? "mnist" : "fashion"
        result.paragraph("The first 10 images of each class in the \(name) training file, one class per row "
            + "(\(image.width)×\(image.height) pixels, shown inverted: dark ink on white).")
        result.figure(svg: labeled.svg(), fileName: "\(prefix)-samples.svg", caption: "\(name): 10 samples per class, with class names")
        result.figure(png: image, fileName: "\(prefix)-samples.png", caption: "\(name): 10 samples per class (PNG)")
        result.numbers["visualize.pngWidth"] = Double(image.width)
        result.numbers["visualize.pngHeight"] = Double(image.height)
        result.configuration = [("Dataset", name), ("Samples per class", "10"), ("Scale", "2×")]
        result.duration = monotonicSeconds() - started
        return result
    }
}
