import MLPCore
import LinearAlgebra

extension Dataset {
    /// A dataset of the samples at `indices`, in that order, with the same shape, classes and
    /// normalization. Indices may repeat.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        let width = featureCount
        var selectedPixels = [UInt8](repeating: 0, count: indices.count &* width)
        var selectedLabels = [UInt8](repeating: 0, count: indices.count)
        pixels.withUnsafeBufferPointer { source in
            selectedPixels.withUnsafeMutableBufferPointer { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                for (position, index) in indices.enumerated() {
                    precondition(index >= 0 && index < sampleCount,
                                 "sample index \(index) is outside a dataset of \(sampleCount)")
                    (to + position &* width).update(from: from + index &* width, count: width)
                    selectedLabels[position] = labels[index]
                }
            }
        }
        // The labels come from a valid dataset and the counts agree, so this cannot throw.
        return Dataset(
            uncheckedName: name ?? self.name, pixels: selectedPixels, labels: selectedLabels,
            imageHeight: imageHeight, imageWidth: imageWidth, classNames: classNames,
            normalization: normalization)
    }

    /// The labels of the samples at `indices`, one-hot: an `indices.count × classCount` matrix
    /// with a 1 in column `label` of each row.
    public func oneHotLabels(of indices: [Int]) -> Matrix {
        var matrix = Matrix(rows: indices.count, columns: classCount)
        for (row, index) in indices.enumerated() {
            precondition(index >= 0 && index < sampleCount,
                         "sample index \(index) is outside a dataset of \(sampleCount)")
            matrix[row, Int(labels[index])] = 1
        }
        return matrix
    }

    /// The labels of the samples at `indices`, as `Int`s.
    public func integerLabels(of indices: [Int]) -> [Int] {
        indices.map { index in
            precondition(index >= 0 && index < sampleCount,
                         "sample index \(index) is outside a dataset of \(sampleCount)")
            return Int(labels[index])
        }
    }

    /// A dataset with the pixels and labels of this one, then those of `other` (same image shape
    /// and classes).
    public func appending(_ other: Dataset, name: String? = nil) -> Dataset {
        precondition(imageHeight == other.imageHeight && imageWidth == other.imageWidth,
                     "cannot append \(other.imageHeight)×\(other.imageWidth) images to \(imageHeight)×\(imageWidth) ones")
        precondition(classNames == other.classNames, "cannot append a dataset with other classes")
        return Dataset(
            uncheckedName: name ?? self.name, pixels: pixels + other.pixels, labels: labels + other.labels,
            imageHeight: imageHeight, imageWidth: imageWidth, classNames: classNames,
            normalization: normalization)
    }

    /// A copy with `normalization` replaced.
    public func normalized(_ normalization: InputScaling) -> Dataset {
        var copy = self
        copy.normalization = normalization
        return copy
    }
}
