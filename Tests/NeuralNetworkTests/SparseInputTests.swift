import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// The sparse first-layer kernels against dense `Double` products, finite differences and the
/// dense (BLAS) training path.
@Suite struct SparseInputTests {
    /// A `rows × columns` matrix with about `density` of its entries non-zero (uniform in
    /// (0, 1], like scaled pixels), one all-zero row and one all-zero column.
    static func sparseMatrix(rows: Int, columns: Int, density: Double, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns) { row, column in
            let draw = generator.nextUnitFloat()
            let value = generator.nextUnitFloat()
            if row == 1 || column == 2 || Double(draw) >= density { return 0 }
            return value == 0 ? 1 : value
        }
    }

    /// `a · b` in `Double`, as a reference.
    static func product(_ a: Matrix, _ b: Matrix) -> [Double] {
        var result = [Double](repeating: 0, count: a.rows * b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns where a[i, k] != 0 {
                for j in 0..<b.columns { result[i * b.columns + j] += Double(a[i, k]) * Double(b[k, j]) }
            }
        }
        return result
    }

    /// Widths below one 32-column slice, exactly one, a 64-column slice plus a remainder, and
    /// 64 + 32 + 4 columns (every path of the kernel).
    @Test(arguments: [5, 32, 40, 64, 70, 100, 128])
    func forwardProductMatchesTheDenseProduct(width: Int) {
        let x = SparseInputTests.sparseMatrix(rows: 9, columns: 37, density: 0.25, seed: 3)
        let w = TestData.normal(rows: 37, columns: width, seed: 4)
        let sparse = SparseInput(capacity: 12, columns: 37)
        let density = x.withUnsafeBufferPointer { sparse.load($0.baseAddress!, rows: 9) }
        let nonZeros = x.elements.filter { $0 != 0 }.count
        #expect(sparse.nonZeroCount == nonZeros)
        #expect(density == Double(nonZeros) / Double(9 * 37))
        // Output rows wider than the product (stride width + 3), to check the strides.
        let stride = width + 3
        var output = [Float](repeating: -7, count: 9 * stride)
        w.withUnsafeBufferPointer { weights in
            output.withUnsafeMutableBufferPointer { out in
                sparse.multiply(weights: weights.baseAddress!, width: width, weightStride: width,
                                into: out.baseAddress!, outputStride: stride)
            }
        }
        let reference = SparseInputTests.product(x, w)
        for i in 0..<9 {
            for j in 0..<width {
                #expect(abs(Double(output[i * stride + j]) - reference[i * width + j]) < 1e-5,
                        "row \(i) column \(j): \(output[i * stride + j]) vs \(reference[i * width + j])")
            }
            for j in width..<stride { #expect(output[i * stride + j] == -7, "column \(j) past the width was written") }
        }
        // The all-zero row gives a zero output row.
        #expect((0..<width).allSatisfy { output[1 * stride + $0] == 0 })
    }

    @Test(arguments: [5, 32, 40, 64, 70, 100, 128])
    func weightGradientMatchesTheDenseTransposedProduct(width: Int) {
        let x = SparseInputTests.sparseMatrix(rows: 11, columns: 29, density: 0.3, seed: 5)
        let delta = TestData.normal(rows: 11, columns: width, seed: 6)
        let sparse = SparseInput(capacity: 11, columns: 29)
        x.withUnsafeBufferPointer { _ = sparse.load($0.baseAddress!, rows: 11) }
        var gradient = [Float](repeating: .nan, count: 29 * width)
        delta.withUnsafeBufferPointer { d in
            gradient.withUnsafeMutableBufferPointer { g in
                sparse.multiplyTransposed(delta: d.baseAddress!, width: width, deltaStride: width,
                                          into: g.baseAddress!, gradientStride: width)
            }
        }
        let reference = SparseInputTests.product(x.transposed(), delta)
        for k in 0..<(29 * width) {
            #expect(abs(Double(gradient[k]) - reference[k]) < 1e-5, "entry \(k): \(gradient[k]) vs \(reference[k])")
        }
        // Column 2 of x is zero in every row, so row 2 of the gradient is exactly zero.
        #expect((0..<width).allSatisfy { gradient[2 * width + $0] == 0 })
    }

    @Test func aNaNInputReachesTheProduct() {
        var x = SparseInputTests.sparseMatrix(rows: 4, columns: 16, density: 0.2, seed: 7)
        x[3, 5] = .nan
        let w = TestData.normal(rows: 16, columns: 8, seed: 8)
        let sparse = SparseInput(capacity: 4, columns: 16)
        x.withUnsafeBufferPointer { _ = sparse.load($0.baseAddress!, rows: 4) }
        var output = [Float](repeating: 0, count: 4 * 8)
        w.withUnsafeBufferPointer { weights in
            output.withUnsafeMutableBufferPointer { out in
                sparse.multiply(weights: weights.baseAddress!, width: 8, weightStride: 8, into: out.baseAddress!, outputStride: 8)
            }
        }
        #expect((0..<8).allSatisfy { output[3 * 8 + $0].isNaN })
        #expect((0..<(3 * 8)).allSatisfy { !output[$0].isNaN })
    }

    /// Back-propagation through the sparse first layer against finite differences.
    @Test(arguments: [LossFunction.softmaxCrossEntropy, .squaredError(.halfMeanOverSamples)])
    func sparseBackpropagationMatchesFiniteDifferences(loss: LossFunction) {
        var generator = SeededGenerator(seed: 9)
        let network = Network(layerSizes: [40, 6, 3], hiddenActivation: .tanh, loss: loss,
                              initialization: .sklearn, using: &generator)
        let inputs = SparseInputTests.sparseMatrix(rows: 8, columns: 40, density: 0.2, seed: 10)
        let targets: Targets = loss == .softmaxCrossEntropy
            ? .classes(TestData.labels(count: 8, classes: 3, seed: 11))
            : .values(TestData.normal(rows: 8, columns: 3, seed: 12))
        let (value, gradient) = network.gradient(inputs, targets: targets, alpha: 0, inputKernel: .sparse)
        let (denseValue, denseGradient) = network.gradient(inputs, targets: targets, alpha: 0, inputKernel: .dense)
        let reference = Reference.numericalGradient(network, inputs: inputs, targets: targets, alpha: 0)
        #expect(isClose(value, denseValue, absolute: 1e-6, relative: 1e-6))
        var worst: Double = 0
        var worstAgainstDense: Float = 0
        for k in gradient.indices {
            worst = max(worst, abs(Double(gradient[k]) - reference[k]) / (1e-3 + abs(reference[k])))
            worstAgainstDense = max(worstAgainstDense, abs(gradient[k] - denseGradient[k]))
        }
        #expect(worst < 2e-3, "worst relative error against finite differences \(worst)")
        #expect(worstAgainstDense < 1e-5, "worst difference from the dense kernel \(worstAgainstDense)")
    }

    /// Training with the sparse kernel follows the dense run to rounding, with one or two workers,
    /// and `automatic` picks the sparse kernel for this data (it is bit-identical to `sparse`).
    @Test(arguments: [1, 2])
    func sparseTrainingFollowsDenseTraining(threads: Int) throws {
        let features = SparseInputTests.sparseMatrix(rows: 96, columns: 50, density: 0.2, seed: 13)
        let labels = TestData.labels(count: 96, classes: 4, seed: 14)
        func train(_ kernel: InputKernel) throws -> MLPClassifier {
            var configuration = TrainingConfiguration(
                hiddenLayerSizes: [40], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
                batchSize: 32, maxEpochs: 3, seed: 15, threads: threads)
            configuration.inputKernel = kernel
            var model = MLPClassifier(configuration: configuration)
            try model.fit(features, labels: labels)
            return model
        }
        let dense = try train(.dense), sparse = try train(.sparse), automatic = try train(.automatic)
        let difference = zip(dense.network!.parameters, sparse.network!.parameters).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-4, "sparse and dense parameters differ by up to \(difference)")
        #expect(bits(automatic.network!.parameters) == bits(sparse.network!.parameters))
        #expect(zip(dense.history.lossCurve, sparse.history.lossCurve).allSatisfy { isClose($0, $1, absolute: 1e-5, relative: 1e-5) })
    }

    /// Bytes as features, `Float(byte) / 255` (like a dataset of images), for the byte path.
    struct ByteImages: FeatureSource {
        let bytes: [UInt8]
        let sampleCount: Int
        let featureCount: Int
        let featureScale: Float = 1 / 255
        func withScaledFeatureBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>, Float) throws -> Result) rethrows -> Result? {
            try bytes.withUnsafeBufferPointer { try body($0, featureScale) }
        }
        func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>) {
            for (position, index) in indices.enumerated() {
                for column in 0..<featureCount {
                    destination[position * featureCount + column] = Float(bytes[index * featureCount + column]) * featureScale
                }
            }
        }
        var matrix: Matrix {
            Matrix(rows: sampleCount, columns: featureCount) { row, column in Float(bytes[row * featureCount + column]) * featureScale }
        }

        /// About a fifth of the bytes non-zero (or, with `denseEvery`, every byte of each
        /// `denseEvery`-th sample); 21 features, so the last group of 8 is partial.
        static func random(samples: Int, features: Int = 21, denseEvery: Int = 0, seed: UInt64) -> ByteImages {
            var generator = SeededGenerator(seed: seed)
            let bytes = (0..<(samples * features)).map { cell -> UInt8 in
                let dense = denseEvery > 0 && (cell / features) % denseEvery == 0
                return dense || generator.nextUnitFloat() < 0.2 ? UInt8(1 + generator.nextIndex(below: 255)) : 0
            }
            return ByteImages(bytes: bytes, sampleCount: samples, featureCount: features)
        }
    }

    @Test func loadingFromBytesGivesTheSameListsAsFromFloats() {
        let images = ByteImages.random(samples: 30, seed: 16)
        let indices = [29, 3, 3, 17, 0, 12, 8]
        let fromBytes = SparseInput(capacity: 8, columns: 21), fromFloats = SparseInput(capacity: 8, columns: 21)
        var rows = [Float](repeating: 0, count: indices.count * 21)
        let (byteDensity, floatDensity) = indices.withUnsafeBufferPointer { batch in
            rows.withUnsafeMutableBufferPointer { images.copyFeatures(of: batch, into: $0.baseAddress!) }
            let byteDensity = images.withScaledFeatureBytes { bytes, scale in fromBytes.load(bytes: bytes.baseAddress!, indices: batch, scale: scale) }
            let floatDensity = rows.withUnsafeBufferPointer { fromFloats.load($0.baseAddress!, rows: indices.count) }
            return (byteDensity, floatDensity)
        }
        #expect(byteDensity == floatDensity)
        #expect(fromBytes.isFilled && fromFloats.isFilled)
        #expect(fromBytes.nonZeroCount == rows.filter { $0 != 0 }.count)
        #expect(fromBytes.nonZeroCount > 0)
        #expect(Array(UnsafeBufferPointer(start: fromBytes.buffers.columnStarts, count: 22))
                == Array(UnsafeBufferPointer(start: fromFloats.buffers.columnStarts, count: 22)))
        let count = fromBytes.nonZeroCount
        #expect(Array(UnsafeBufferPointer(start: fromBytes.buffers.columnRows, count: count))
                == Array(UnsafeBufferPointer(start: fromFloats.buffers.columnRows, count: count)))
        #expect(bits(Array(UnsafeBufferPointer(start: fromBytes.buffers.columnValues, count: count)))
                == bits(Array(UnsafeBufferPointer(start: fromFloats.buffers.columnValues, count: count))))
    }

    /// Training from the bytes (no `Float` copy of sparse batches) is bit-identical to training
    /// from the same features as a matrix, for a classifier and for an autoencoder (whose
    /// targets are the `Float` rows).
    @Test(arguments: [1, 2])
    func trainingFromBytesEqualsTrainingFromFloats(threads: Int) throws {
        let images = ByteImages.random(samples: 64, seed: 17)
        let labels = TestData.labels(count: 64, classes: 3, seed: 18)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [12], activation: .relu, optimizer: .sgd, learningRateInit: 0.05,
            batchSize: 16, maxEpochs: 2, seed: 19, threads: threads)
        configuration.inputKernel = .sparse
        var fromBytes = MLPClassifier(configuration: configuration), fromFloats = fromBytes
        try fromBytes.fit(images, labels: labels)
        try fromFloats.fit(images.matrix, labels: labels)
        #expect(bits(fromBytes.network!.parameters) == bits(fromFloats.network!.parameters))

        configuration.hiddenLayerSizes = [6]
        var encoderFromBytes = Autoencoder(configuration: configuration), encoderFromFloats = encoderFromBytes
        try encoderFromBytes.fit(images)
        try encoderFromFloats.fit(images.matrix)
        #expect(bits(encoderFromBytes.network!.parameters) == bits(encoderFromFloats.network!.parameters))
        #expect(encoderFromBytes.history.lossCurve.allSatisfy { $0.isFinite })
    }

    /// Lists sized for a density threshold stay unfilled for a denser block (which runs dense)
    /// and are filled, correctly, for a sparser one.
    @Test func listsSizedForAThresholdSkipDenserBlocks() {
        let sparse = SparseInput(capacity: 10, columns: 20, maximumDensity: 0.25)
        #expect(sparse.buffers.entryCapacity == 50)
        let dense = TestData.normal(rows: 10, columns: 20, seed: 20)
        let density = dense.withUnsafeBufferPointer { sparse.load($0.baseAddress!, rows: 10) }
        #expect(density == 1 && !sparse.isFilled)
        let light = SparseInputTests.sparseMatrix(rows: 10, columns: 20, density: 0.15, seed: 21)
        let lightDensity = light.withUnsafeBufferPointer { sparse.load($0.baseAddress!, rows: 10) }
        #expect(lightDensity <= 0.25 && sparse.isFilled)
        #expect(sparse.nonZeroCount == light.elements.filter { $0 != 0 }.count)
        #expect(!SparseInput.fits(capacity: 3_000_000, columns: 784))
        #expect(!SparseInput.fits(capacity: Int.max / 2, columns: 3))
    }

    /// With the automatic kernel, blocks above the threshold run dense and the others sparse;
    /// training from bytes still equals training from the same features as a matrix, bit for
    /// bit, including the validation passes of early stopping.
    @Test(arguments: [1, 2])
    func mixedBlocksFromBytesEqualTrainingFromFloats(threads: Int) throws {
        // Every 4th sample is fully non-zero: a 16-row block holds 4 of them, or ≈ 40 % non-zero.
        let images = ByteImages.random(samples: 96, denseEvery: 4, seed: 22)
        let labels = TestData.labels(count: 96, classes: 3, seed: 23)
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [10], activation: .relu, optimizer: .adam, learningRateInit: 0.01,
            batchSize: 16, maxEpochs: 3, seed: 24, threads: threads)
        configuration.earlyStopping = true
        configuration.validationFraction = 0.25
        configuration.sparseInputDensity = 0.4
        var fromBytes = MLPClassifier(configuration: configuration), fromFloats = fromBytes
        try fromBytes.fit(images, labels: labels)
        try fromFloats.fit(images.matrix, labels: labels)
        #expect(bits(fromBytes.network!.parameters) == bits(fromFloats.network!.parameters))
        #expect(fromBytes.history.validationScores == fromFloats.history.validationScores)
        #expect(fromBytes.history.validationScores.count == 3)
    }
}
