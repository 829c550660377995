import LinearAlgebra
import NeuralNetwork

extension TheorySection {
    /// The numbers of the worked backpropagation example.
    public struct WorkedExample: Sendable {
        public var inputs: [Double]
        public var targets: [Double]
        /// w₁, b₁, w₂, b₂ before the step.
        public var initialParameters: [Double]
        public var hiddenPreactivations: [Double]
        public var hiddenOutputs: [Double]
        public var outputs: [Double]
        public var loss: Double
        /// dL/dw₁, dL/db₁, dL/dw₂, dL/db₂.
        public var gradients: [Double]
        /// w₁, b₁, w₂, b₂ after one step.
        public var updatedParameters: [Double]
        public var updatedLoss: Double
    }

    /// The learning rate of the worked example.
    public static let workedLearningRate = 0.01

    /// Computes the 1-1-1 example with the engine: ReLU hidden unit, identity output,
    /// `L = (1/n) Σ (ŷ − y)²`, x = [1, 2, 3], y = [3, 4, 5], w₁ = 0.5, b₁ = 0, w₂ = 0.3, b₂ = 0,
    /// and one full-batch gradient step with η = 0.01.
    public static func workedExample() -> WorkedExample {
        let x: [Double] = [1, 2, 3], y: [Double] = [3, 4, 5]
        let initial: [Double] = [0.5, 0, 0.3, 0]
        let network = Network(layers: [
            LayerParameters(weights: Matrix([[Float(initial[0])]]), bias: [Float(initial[1])]),
            LayerParameters(weights: Matrix([[Float(initial[2])]]), bias: [Float(initial[3])]),
        ], hiddenActivation: .relu, loss: .squaredError(.meanOverSamples))
        let report = network.gradientDescentStep(
            Matrix(x.map { [Float($0)] }), targets: .values(Matrix(y.map { [Float($0)] })),
            learningRate: workedLearningRate)
        let updated = report.updated
        return WorkedExample(
            inputs: x, targets: y, initialParameters: initial,
            hiddenPreactivations: x.map { initial[0] * $0 + initial[1] },
            hiddenOutputs: (0..<3).map { Double(report.layerOutputs[0][$0, 0]) },
            outputs: (0..<3).map { Double(report.outputs[$0, 0]) },
            loss: report.loss,
            gradients: [Double(report.gradients[0].weights[0, 0]), Double(report.gradients[0].bias[0]),
                        Double(report.gradients[1].weights[0, 0]), Double(report.gradients[1].bias[0])],
            updatedParameters: [Double(updated.weights(ofLayer: 0)[0, 0]), Double(updated.bias(ofLayer: 0)[0]),
                                Double(updated.weights(ofLayer: 1)[0, 0]), Double(updated.bias(ofLayer: 1)[0])],
            updatedLoss: report.updatedLoss)
    }
}
