import LinearAlgebra
@testable import NeuralNetwork
import Testing
import TestSupport

/// The hand-worked example: a 1-1-1 network (ReLU hidden unit, identity output, mean squared
/// error over samples), x = [1, 2, 3], y = [3, 4, 5], w₁ = 0.5, b₁ = 0, w₂ = 0.3, b₂ = 0, and one
/// full-batch gradient step with η = 0.01. Every expected number is a closed form in `Double`.
@Suite struct WorkedExampleTests {
    let x: [Double] = [1, 2, 3]
    let y: [Double] = [3, 4, 5]
    let w1 = 0.5, b1 = 0.0, w2 = 0.3, b2 = 0.0
    let eta = 0.01

    var network: Network {
        Network(layers: [
            LayerParameters(weights: Matrix([[Float(w1)]]), bias: [Float(b1)]),
            LayerParameters(weights: Matrix([[Float(w2)]]), bias: [Float(b2)]),
        ], hiddenActivation: .relu, loss: .squaredError(.meanOverSamples))
    }

    var report: GradientStepReport {
        network.gradientDescentStep(Matrix(x.map { [Float($0)] }), targets: .values(Matrix(y.map { [Float($0)] })),
                                    learningRate: eta)
    }

    /// `L = (1/n) Σ (ŷ − y)²` with `ŷ = w₂ · relu(w₁ x + b₁) + b₂`.
    static func loss(_ x: [Double], _ y: [Double], _ w1: Double, _ b1: Double, _ w2: Double, _ b2: Double) -> Double {
        zip(x, y).map { xi, yi in
            let prediction = w2 * max(0, w1 * xi + b1) + b2
            return (prediction - yi) * (prediction - yi)
        }.reduce(0, +) / Double(x.count)
    }

    @Test func forwardOutputsAndLoss() {
        let report = self.report
        for (index, expected) in [0.15, 0.3, 0.45].enumerated() {
            #expect(isClose(Double(report.outputs[index, 0]), expected, absolute: 1e-6))
        }
        // The hidden unit: h = relu(0.5 x) = [0.5, 1, 1.5].
        for (index, expected) in [0.5, 1.0, 1.5].enumerated() {
            #expect(isClose(Double(report.layerOutputs[0][index, 0]), expected, absolute: 1e-6))
        }
        // (2.85² + 3.7² + 4.55²) / 3 = 14.1717 (the hand solution's 4.1717 was an arithmetic slip).
        #expect(isClose(report.loss, 14.171_666_7, absolute: 1e-4))
        #expect(isClose(report.loss, WorkedExampleTests.loss(x, y, w1, b1, w2, b2), absolute: 1e-5, relative: 1e-6))
    }

    @Test func gradientsMatchClosedForms() {
        let report = self.report
        let n = Double(x.count)
        let h = x.map { max(0, w1 * $0 + b1) }
        let error = zip(h, y).map { w2 * $0 + b2 - $1 }   // ŷ − y
        let active = x.map { w1 * $0 + b1 > 0 ? 1.0 : 0.0 }
        // dL/dw₂ = (2/n) Σ (ŷ − y) h, dL/db₂ = (2/n) Σ (ŷ − y),
        // dL/dw₁ = (2/n) Σ (ŷ − y) w₂ 1[z > 0] x, dL/db₁ = (2/n) Σ (ŷ − y) w₂ 1[z > 0].
        let dw2 = 2 / n * zip(error, h).map(*).reduce(0, +)
        let db2 = 2 / n * error.reduce(0, +)
        let dw1 = 2 / n * (0..<3).map { error[$0] * w2 * active[$0] * x[$0] }.reduce(0, +)
        let db1 = 2 / n * (0..<3).map { error[$0] * w2 * active[$0] }.reduce(0, +)
        #expect(isClose(Double(report.gradients[0].weights[0, 0]), dw1, absolute: 1e-5, relative: 1e-5))
        #expect(isClose(Double(report.gradients[0].bias[0]), db1, absolute: 1e-5, relative: 1e-5))
        #expect(isClose(Double(report.gradients[1].weights[0, 0]), dw2, absolute: 1e-5, relative: 1e-5))
        #expect(isClose(Double(report.gradients[1].bias[0]), db2, absolute: 1e-5, relative: 1e-5))
        // The numbers themselves: dw₂ = (2/3)(−11.95) = −7.9667, db₂ = (2/3)(−11.1) = −7.4,
        // dw₁ = (2/3)(0.3)(−23.9) = −4.78, db₁ = (2/3)(0.3)(−11.1) = −2.22.
        #expect(isClose(dw2, -7.966_666_667, absolute: 1e-8) && isClose(db2, -7.4, absolute: 1e-9))
        #expect(isClose(dw1, -4.78, absolute: 1e-9) && isClose(db1, -2.22, absolute: 1e-9))

        let newW1 = w1 - eta * dw1, newB1 = b1 - eta * db1
        let newW2 = w2 - eta * dw2, newB2 = b2 - eta * db2
        let updated = report.updated
        #expect(isClose(Double(updated.weights(ofLayer: 0)[0, 0]), newW1, absolute: 1e-6))
        #expect(isClose(Double(updated.bias(ofLayer: 0)[0]), newB1, absolute: 1e-6))
        #expect(isClose(Double(updated.weights(ofLayer: 1)[0, 0]), newW2, absolute: 1e-6))
        #expect(isClose(Double(updated.bias(ofLayer: 1)[0]), newB2, absolute: 1e-6))
        let newLoss = WorkedExampleTests.loss(x, y, newW1, newB1, newW2, newB2)
        #expect(isClose(report.updatedLoss, newLoss, absolute: 1e-4, relative: 1e-5))
        #expect(report.updatedLoss < report.loss)
    }

    /// scikit-learn's convention halves the loss and the gradient.
    @Test func halfMeanConventionHalvesLossAndGradient() {
        let half = Network(layers: network.layers.indices.map { network.parameters(ofLayer: $0) },
                           hiddenActivation: .relu, loss: .squaredError(.halfMeanOverSamples))
        let inputs = Matrix(x.map { [Float($0)] })
        let targets = Targets.values(Matrix(y.map { [Float($0)] }))
        let full = network.gradient(inputs, targets: targets)
        let halved = half.gradient(inputs, targets: targets)
        #expect(isClose(halved.loss * 2, full.loss, relative: 1e-6))
        for k in full.gradient.indices {
            #expect(isClose(Double(halved.gradient[k]) * 2, Double(full.gradient[k]), absolute: 1e-6, relative: 1e-6))
        }
    }
}
