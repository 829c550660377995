import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// Inverted dropout: its gradient, its scaling, its determinism and its resumption.
@Suite struct DropoutTests {
    /// The masks of `dropout` for each hidden layer of `network` on rows `0..<rows` of `step`.
    static func masks(_ dropout: Dropout, network: Network, rows: Int, step: Int) -> [[Float]] {
        network.layers.dropLast().enumerated().map { index, layer in
            let ones = [Float](repeating: 1, count: rows * layer.fanOut)
            var mask = ones, dropped = ones
            mask.withUnsafeMutableBufferPointer { maskBuffer in
                dropped.withUnsafeMutableBufferPointer { droppedBuffer in
                    dropout.apply(to: ones, dropped: droppedBuffer.baseAddress!, mask: maskBuffer.baseAddress!,
                                  rows: rows, columns: layer.fanOut, layer: index, step: step, firstRow: 0)
                }
            }
            return mask
        }
    }

    @Test(arguments: [Activation.tanh, .sigmoid, .relu], [LossFunction.softmaxCrossEntropy, .meanSquaredError])
    func backpropagationWithAMaskMatchesFiniteDifferences(activation: Activation, loss: LossFunction) {
        let (network, inputs, targets) = GradientTests.problem(activation, loss, seed: 21)
        let dropout = Dropout(rate: 0.4, seed: 77)!
        let result = network.droppedOut(inputs, targets: targets, dropout: dropout, step: 5, computeGradient: true)
        let masks = Self.masks(dropout, network: network, rows: inputs.rows, step: 5)
        #expect(masks.joined().contains(0) && masks.joined().contains(dropout.keepScale))
        let referenceLoss = Reference.loss(network, parameters: network.parameters.map(Double.init), inputs: inputs,
                                           targets: targets, alpha: 0, masks: masks)
        #expect(isClose(result.loss, referenceLoss, absolute: 1e-5, relative: 1e-5))
        let reference = Reference.numericalGradient(network, inputs: inputs, targets: targets, alpha: 0, masks: masks)
        var worst: Double = 0
        for k in reference.indices {
            worst = max(worst, abs(Double(result.gradient[k]) - reference[k]) / (1e-3 + abs(reference[k])))
        }
        #expect(worst < 2e-3, "\(activation) \(loss.name): worst relative gradient error \(worst)")
    }

    /// Kept units are scaled by `1/(1 − p)`: the mean output is preserved, and about `1 − p` of
    /// the units are kept.
    @Test(arguments: [0.1, 0.5, 0.8])
    func theMeanActivationIsPreserved(rate: Double) {
        let dropout = Dropout(rate: rate, seed: 3)!
        let rows = 400, columns = 250
        let values = [Float](repeating: 1, count: rows * columns)
        var mask = values, dropped = values
        mask.withUnsafeMutableBufferPointer { maskBuffer in
            dropped.withUnsafeMutableBufferPointer { droppedBuffer in
                dropout.apply(to: values, dropped: droppedBuffer.baseAddress!, mask: maskBuffer.baseAddress!,
                              rows: rows, columns: columns, layer: 1, step: 9, firstRow: 0)
            }
        }
        let mean = dropped.reduce(0) { $0 + Double($1) } / Double(rows * columns)
        let kept = Double(mask.filter { $0 != 0 }.count) / Double(rows * columns)
        // 100 000 draws: the standard error of the kept share is below 0.0016.
        #expect(abs(kept - (1 - rate)) < 0.01)
        #expect(abs(mean - 1) < 0.01 / (1 - rate))
        #expect(Set(mask) == [0, Float(1 / (1 - rate))])
    }

    /// A mask depends on the step, the layer, the row and the unit: a row's draw is the same
    /// whichever block (worker) it falls in.
    @Test func aRowsMaskDoesNotDependOnItsBlock() {
        let dropout = Dropout(rate: 0.5, seed: 1)!
        func mask(rows: Int, firstRow: Int, step: Int = 2) -> [Float] {
            let values = [Float](repeating: 1, count: rows * 16)
            var mask = values, dropped = values
            mask.withUnsafeMutableBufferPointer { m in
                dropped.withUnsafeMutableBufferPointer { d in
                    dropout.apply(to: values, dropped: d.baseAddress!, mask: m.baseAddress!, rows: rows, columns: 16,
                                  layer: 0, step: step, firstRow: firstRow)
                }
            }
            return mask
        }
        let whole = mask(rows: 10, firstRow: 0)
        #expect(Array(whole[(4 * 16)...]) == mask(rows: 6, firstRow: 4))
        #expect(whole != mask(rows: 10, firstRow: 0, step: 3))
    }

    /// A rate that keeps every unit at scale exactly 1 runs the dropout code path and must give
    /// the plain pass bit for bit; rate 0 turns dropout off altogether.
    @Test func aNullDropoutChangesNothing() {
        #expect(Dropout(rate: 0, seed: 1) == nil)
        let nothing = Dropout(rate: 1e-9, seed: 1)!
        #expect(nothing.threshold == 0 && nothing.keepScale == 1)
        for loss in [LossFunction.softmaxCrossEntropy, .meanSquaredError] {
            let (network, inputs, targets) = GradientTests.problem(.tanh, loss, seed: 4)
            let plain = network.gradient(inputs, targets: targets)
            let dropped = network.droppedOut(inputs, targets: targets, dropout: nothing, step: 1, computeGradient: true)
            #expect(plain.loss.bitPattern == dropped.loss.bitPattern)
            #expect(bits(plain.gradient) == bits(dropped.gradient))
        }
    }

    static let data = (features: TestData.normal(rows: 150, columns: 6, seed: 31),
                       labels: TestData.labels(count: 150, classes: 3, seed: 32))

    static func configuration(dropout: Double, threads: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(hiddenLayerSizes: [16, 8], activation: .relu, learningRateInit: 0.01,
                                                  batchSize: 32, maxEpochs: 4, seed: 13, threads: threads)
        configuration.dropout = dropout
        return configuration
    }

    @Test func trainingIsReproducibleAndPredictionsDoNotDrop() throws {
        var first = MLPClassifier(configuration: Self.configuration(dropout: 0.3, threads: 2))
        try first.fit(Self.data.features, labels: Self.data.labels)
        var second = MLPClassifier(configuration: Self.configuration(dropout: 0.3, threads: 2))
        try second.fit(Self.data.features, labels: Self.data.labels)
        #expect(bits(first.network!.parameters) == bits(second.network!.parameters))
        var plain = MLPClassifier(configuration: Self.configuration(dropout: 0, threads: 2))
        try plain.fit(Self.data.features, labels: Self.data.labels)
        #expect(bits(first.network!.parameters) != bits(plain.network!.parameters))
        // Predictions use the network as it is: the same as the plain network's outputs.
        let probabilities = first.predictProbabilities(Self.data.features)
        #expect(probabilities == first.network!.outputs(for: Self.data.features))
        #expect(probabilities == first.predictProbabilities(Self.data.features))
    }

    /// The masks do not depend on the thread split: one and three threads agree to rounding.
    @Test func theThreadSplitChangesOnlyRounding() throws {
        var one = MLPClassifier(configuration: Self.configuration(dropout: 0.3, threads: 1))
        try one.fit(Self.data.features, labels: Self.data.labels)
        var three = MLPClassifier(configuration: Self.configuration(dropout: 0.3, threads: 3))
        try three.fit(Self.data.features, labels: Self.data.labels)
        let a = one.network!.parameters, b = three.network!.parameters
        let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
        #expect(worst < 1e-3, "largest difference \(worst)")
    }

    @Test func theRateIsValidated() {
        for rate in [-0.1, 1, 1.5, .nan] {
            var configuration = TrainingConfiguration()
            configuration.dropout = rate
            #expect(throws: NeuralNetworkError.self) { try configuration.validate() }
        }
    }
}

extension DropoutTests {
    /// A run with dropout stopped inside an epoch resumes to the same weights: the masks follow
    /// the restored step count.
    @Test func aStopMidEpochWithDropoutResumesExactly() throws {
        let configuration = Self.configuration(dropout: 0.3, threads: 2)
        var whole = MLPClassifier(configuration: configuration)
        try whole.fit(Self.data.features, labels: Self.data.labels)
        try withTemporaryDirectory("dropout-stop") { directory in
            let path = directory + "/run.checkpoint"
            var stopped = MLPClassifier(configuration: configuration)
            stopped.checkpointing = Checkpointing(path: path, every: 5)
            let signal = StopSignal()
            stopped.stopSignal = signal
            try stopped.fit(Self.data.features, labels: Self.data.labels) { report in
                if report.epoch == 1 { signal.raise() }
            }
            let checkpoint = try TrainingCheckpoint.load(from: path)
            #expect(checkpoint.samplesIntoEpoch == 32)
            var resumed = try MLPClassifier(resumingFrom: checkpoint)
            try resumed.fit(Self.data.features, labels: Self.data.labels)
            #expect(bits(resumed.network!.parameters) == bits(whole.network!.parameters))
        }
    }
}
