import LinearAlgebra
@testable import NeuralNetwork
import Testing
import MLPCore
import TestSupport

/// Back-propagation against finite differences of an independent `Double` reference.
@Suite struct GradientTests {
    static let activations: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU(slope: 0.1), .identity]
    static let losses: [LossFunction] = [
        .softmaxCrossEntropy, .squaredError(.halfMeanOverSamples),
        .squaredError(.meanOverSamples), .squaredError(.meanOverElements),
    ]

    /// A 4-5-4-3 network (two hidden layers, so the delta chain is exercised) on 7 samples.
    static func problem(_ activation: Activation, _ loss: LossFunction, seed: UInt64)
        -> (network: Network, inputs: Matrix, targets: Targets) {
        var generator = SeededGenerator(seed: seed)
        let network = Network(layerSizes: [4, 5, 4, 3], hiddenActivation: activation, loss: loss,
                              initialization: .sklearn, using: &generator)
        let inputs = TestData.normal(rows: 7, columns: 4, seed: seed &+ 1)
        let targets: Targets = loss == .softmaxCrossEntropy
            ? .classes(TestData.labels(count: 7, classes: 3, seed: seed &+ 2))
            : .values(TestData.normal(rows: 7, columns: 3, seed: seed &+ 3))
        return (network, inputs, targets)
    }

    static func check(_ activation: Activation, _ loss: LossFunction, alpha: Double) {
        let (network, inputs, targets) = problem(activation, loss, seed: 11)
        let (value, gradient) = network.gradient(inputs, targets: targets, alpha: alpha)
        let reference = Reference.numericalGradient(network, inputs: inputs, targets: targets, alpha: alpha)
        let referenceLoss = Reference.loss(network, parameters: network.parameters.map(Double.init),
                                           inputs: inputs, targets: targets, alpha: alpha)
        #expect(isClose(value, referenceLoss, absolute: 1e-5, relative: 1e-5),
                "\(activation) \(loss.name): loss \(value) vs reference \(referenceLoss)")
        var worst: Double = 0
        for k in gradient.indices {
            let error = abs(Double(gradient[k]) - reference[k]) / (1e-3 + abs(reference[k]))
            worst = max(worst, error)
        }
        #expect(worst < 2e-3, "\(activation) \(loss.name) alpha \(alpha): worst relative gradient error \(worst)")
    }

    @Test(arguments: activations, losses)
    func backpropagationMatchesFiniteDifferences(activation: Activation, loss: LossFunction) {
        GradientTests.check(activation, loss, alpha: 0)
    }

    @Test(arguments: [LossFunction.softmaxCrossEntropy, .meanSquaredError])
    func l2TermMatchesFiniteDifferences(loss: LossFunction) {
        GradientTests.check(.tanh, loss, alpha: 0.7)
    }

    @Test func l2TermIsAlphaOverTwoNTimesSquaredWeights() {
        let (network, inputs, targets) = GradientTests.problem(.relu, .softmaxCrossEntropy, seed: 5)
        let plain = network.evaluate(inputs, targets: targets).loss
        let penalised = network.evaluate(inputs, targets: targets, alpha: 0.3).loss
        let expected = 0.3 / (2 * 7) * network.squaredWeightNorm
        #expect(isClose(penalised - plain, expected, absolute: 1e-6, relative: 1e-4))
        // Biases are not penalised: their gradients do not change.
        let g0 = network.gradient(inputs, targets: targets).gradient
        let g1 = network.gradient(inputs, targets: targets, alpha: 0.3).gradient
        for layer in network.layers {
            for index in layer.biasOffset..<layer.endOffset { #expect(g0[index] == g1[index]) }
            for index in layer.offset..<layer.biasOffset {
                let expectedWeight = Double(g0[index]) + 0.3 / 7 * Double(network.parameters[index])
                #expect(isClose(Double(g1[index]), expectedWeight, absolute: 1e-6, relative: 1e-5))
            }
        }
    }

    /// The stable softmax cross-entropy stays finite for huge logits.
    @Test func softmaxCrossEntropyIsStableForHugeLogits() {
        let network = Network(
            layers: [LayerParameters(weights: Matrix([[1000, -1000, 0]]), bias: [0, 0, 0])],
            hiddenActivation: .relu, loss: .softmaxCrossEntropy)
        let (outputs, loss) = network.evaluate(Matrix([[1], [-1]]), targets: .classes([1, 1]))
        #expect(loss.isFinite)
        // Sample 0: log-sum-exp ≈ 1000, z₁ = −1000, so ℓ ≈ 2000; sample 1: ℓ ≈ 0.
        #expect(isClose(loss, 1000, absolute: 1e-3))
        #expect(abs(outputs[0, 0] - 1) < 1e-6 && abs(outputs[1, 1] - 1) < 1e-6)
    }
}
