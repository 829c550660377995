import LinearAlgebra
import MLPCore

/// Seeded stand-ins for MNIST: 28×28 images as rows of 784 values `p / 255` with `p` a byte,
/// and a class in `0..<10` per image.
///
/// As in MNIST, whose digits are scaled into the central 20×20 box, the 4-pixel border is always
/// 0. Inside the box a pixel is non-zero with probability `0.19 · 784 / 400`, so that about 19 %
/// of all pixels are non-zero, as in MNIST; a non-zero pixel is a uniform byte in 1...255. Only
/// this density matters to the timing: it decides whether the first layer's sparse kernel runs.
struct SyntheticDigits {
    /// `count × 784`, values in [0, 1].
    let features: Matrix
    /// One class in `0..<10` per image.
    let labels: [Int32]

    static let side = 28
    static let box = 4..<24
    static let targetDensity = 0.19

    init(count: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let side = SyntheticDigits.side
        let box = SyntheticDigits.box
        let inBox = Float(SyntheticDigits.targetDensity) * Float(side * side) / Float(box.count * box.count)
        var features = Matrix(rows: count, columns: side * side)
        features.withUnsafeMutableBufferPointer { pixels in
            for image in 0..<count {
                for row in box {
                    for column in box where generator.nextUnitFloat() < inBox {
                        let byte = 1 + generator.nextIndex(below: 255)
                        pixels[image * side * side + row * side + column] = Float(byte) / 255
                    }
                }
            }
        }
        self.features = features
        labels = (0..<count).map { _ in Int32(generator.nextIndex(below: 10)) }
    }
}
