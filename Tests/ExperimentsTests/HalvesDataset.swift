import Datasets
import LinearAlgebra
import MLPCore

/// Two classes of 4×4 images, alternating: a bright left half (class 0, "left") or a bright right
/// half (class 1, "right"), with seeded noise.
func halvesDataset(samples: Int, seed: UInt64) throws -> Dataset {
    var generator = SeededGenerator(seed: seed)
    var pixels: [UInt8] = [], labels: [UInt8] = []
    for sample in 0..<samples {
        let label = sample % 2
        labels.append(UInt8(label))
        for index in 0..<16 {
            let bright = (index % 4 < 2) == (label == 0)
            pixels.append(UInt8(bright ? 180 + generator.nextIndex(below: 70) : generator.nextIndex(below: 70)))
        }
    }
    return try Dataset(pixels: pixels, labels: labels, imageHeight: 4, imageWidth: 4, classNames: ["left", "right"])
}
