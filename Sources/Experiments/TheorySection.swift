import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting

/// Section A: the hard-margin SVM exercise and the backpropagation worked example, computed.
public enum TheorySection {
    /// The SVM exercise's inputs; the defaults are the assignment's.
    public struct Configuration: Sendable, Codable {
        /// The samples (x₁, x₂).
        public var points: [[Double]] = [[1, 0], [2, 0], [3, 0], [4, 0]]
        /// Their labels, ±1.
        public var labels: [Int] = [1, 1, -1, -1]
        /// `w`.
        public var weights: [Double] = [-2, 0]
        /// `b`.
        public var bias: Double = 5
        /// The point to classify.
        public var query: [Double] = [1, 3]

        public init() {}
    }

    /// The numbers of the worked backpropagation example.
    public struct WorkedExample: Sendable {
        public var inputs: [Double]
        public var targets: [Double]
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
        let network = Network(layers: [
            LayerParameters(weights: Matrix([[0.5]]), bias: [0]),
            LayerParameters(weights: Matrix([[0.3]]), bias: [0]),
        ], hiddenActivation: .relu, loss: .squaredError(.meanOverSamples))
        let report = network.gradientDescentStep(
            Matrix(x.map { [Float($0)] }), targets: .values(Matrix(y.map { [Float($0)] })),
            learningRate: workedLearningRate)
        let updated = report.updated
        return WorkedExample(
            inputs: x, targets: y,
            hiddenPreactivations: x.map { 0.5 * $0 },
            hiddenOutputs: (0..<3).map { Double(report.layerOutputs[0][$0, 0]) },
            outputs: (0..<3).map { Double(report.outputs[$0, 0]) },
            loss: report.loss,
            gradients: [Double(report.gradients[0].weights[0, 0]), Double(report.gradients[0].bias[0]),
                        Double(report.gradients[1].weights[0, 0]), Double(report.gradients[1].bias[0])],
            updatedParameters: [Double(updated.weights(ofLayer: 0)[0, 0]), Double(updated.bias(ofLayer: 0)[0]),
                                Double(updated.weights(ofLayer: 1)[0, 0]), Double(updated.bias(ofLayer: 1)[0])],
            updatedLoss: report.updatedLoss)
    }

    /// Runs section A.
    public static func run(_ context: ExperimentContext, configuration: Configuration = Configuration()) -> SectionResult {
        let started = monotonicSeconds()
        var result = SectionResult(key: "theory", title: "A. Theory: hard-margin SVM and a backpropagation step")
        let svm = HardMarginSVM(weights: configuration.weights, bias: configuration.bias)
        let points = configuration.points, labels = configuration.labels
        let functional = svm.functionalMargins(points: points, labels: labels)
        let geometric = svm.geometricMargins(points: points, labels: labels)
        let support = svm.supportVectors(points: points, labels: labels)
        let margin = svm.margin(points: points, labels: labels)
        let queryValue = svm.decision(configuration.query)
        let queryClass = svm.classify(configuration.query)

        result.add(.heading("Hard-margin SVM"))
        result.paragraph("w = \(vector(configuration.weights)), b = \(number(configuration.bias)), ‖w‖ = \(number(svm.weightNorm)). "
            + "Functional margin γ̂ᵢ = yᵢ(w·xᵢ + b); geometric margin γᵢ = γ̂ᵢ / ‖w‖.")
        var table = Table(title: "Margins of each sample",
                          headers: ["Sample", "x", "y", "w·x + b", "Functional margin", "Geometric margin", "Support vector"],
                          alignments: [.right, .left, .right, .right, .right, .right, .left])
        for index in points.indices {
            table.addRow([String(index + 1), vector(points[index]), labels[index] > 0 ? "+1" : "−1",
                          number(svm.decision(points[index])), number(functional[index]), number(geometric[index]),
                          support.contains(index) ? "yes" : ""])
        }
        result.table(table)
        let supportNames = support.map { String($0 + 1) }.joined(separator: " and ")
        result.paragraph("Margin of the set: min γᵢ = \(number(margin))"
            + (svm.separates(points: points, labels: labels) ? " (every sample on its side)." : " (some sample is misclassified)."))
        result.paragraph("Support vectors: sample\(support.count == 1 ? "" : "s") \(supportNames) (the samples at the margin).")
        result.paragraph("The point \(vector(configuration.query)): w·x + b = \(number(queryValue)) → class "
            + (queryClass > 0 ? "+1" : queryClass < 0 ? "−1" : "0 (on the hyperplane)") + ".")
        for (index, value) in functional.enumerated() { result.numbers["svm.functionalMargin.\(index + 1)"] = value }
        for (index, value) in geometric.enumerated() { result.numbers["svm.geometricMargin.\(index + 1)"] = value }
        result.numbers["svm.margin"] = margin
        result.numbers["svm.queryClass"] = Double(queryClass)

        let example = workedExample()
        result.add(.heading("Backpropagation: one gradient step of a 1-1-1 network"))
        result.paragraph("ReLU hidden unit, identity output, L = (1/n) Σ (ŷ − y)², η = \(number(workedLearningRate)); "
            + "x = [1, 2, 3], y = [3, 4, 5]; w₁ = 0.5, b₁ = 0, w₂ = 0.3, b₂ = 0.")
        var forward = Table(title: "Forward pass", headers: ["x", "y", "z₁ = w₁x + b₁", "h = relu(z₁)", "ŷ = w₂h + b₂", "ŷ − y"],
                            alignments: Array(repeating: .right, count: 6))
        for index in example.inputs.indices {
            forward.addRow([number(example.inputs[index]), number(example.targets[index]), number(example.hiddenPreactivations[index]),
                            number(example.hiddenOutputs[index]), number(example.outputs[index]),
                            number(example.outputs[index] - example.targets[index])])
        }
        result.table(forward)
        let names = ["w₁", "b₁", "w₂", "b₂"], initial = [0.5, 0, 0.3, 0]
        var step = Table(title: "Gradients and the updated parameters", headers: ["Parameter", "Before", "∂L/∂θ", "After (θ − η ∂L/∂θ)"],
                         alignments: [.left, .right, .right, .right])
        for index in names.indices {
            step.addRow([names[index], number(initial[index]), number(example.gradients[index]), number(example.updatedParameters[index])])
        }
        result.table(step)
        result.paragraph("Loss before the step: \(NumberFormat.fixed(example.loss, decimals: 4)); after: "
            + "\(NumberFormat.fixed(example.updatedLoss, decimals: 4)).")
        result.paragraph("Where the hand solution slipped: (2.85² + 3.7² + 4.55²) / 3 = (8.1225 + 13.69 + 20.7025) / 3 = 14.1717, "
            + "not 4.1717 as written; the engine's loss is \(NumberFormat.fixed(example.loss, decimals: 4)).")
        result.numbers["backprop.loss"] = example.loss
        result.numbers["backprop.updatedLoss"] = example.updatedLoss
        for (name, value) in zip(["dw1", "db1", "dw2", "db2"], example.gradients) { result.numbers["backprop.\(name)"] = value }
        for (name, value) in zip(["w1", "b1", "w2", "b2"], example.updatedParameters) { result.numbers["backprop.updated.\(name)"] = value }

        let isDefault = configuration.points == Configuration().points && configuration.labels == Configuration().labels
            && configuration.weights == Configuration().weights && configuration.bias == Configuration().bias
        if isDefault {
            let expected = [3.0, 1, 1, 3]
            result.check("functional margins 3, 1, 1, 3 and geometric 3/2, 1/2, 1/2, 3/2",
                         met: zip(functional, expected).allSatisfy { abs($0 - $1) < 1e-9 }
                            && zip(geometric, expected).allSatisfy { abs($0 - $1 / 2) < 1e-9 },
                         measured: functional.map(number).joined(separator: ", ") + " / " + geometric.map(number).joined(separator: ", "))
            result.check("support vectors are samples 2 and 3", met: support == [1, 2], measured: supportNames)
        }
        result.check("worked example loss 14.1717", met: abs(example.loss - 14.171_666_7) < 1e-3,
                     measured: NumberFormat.fixed(example.loss, decimals: 4))
        result.configuration = [("Points", points.map(vector).joined(separator: " ")),
                                ("Labels", labels.map(String.init).joined(separator: " ")),
                                ("w", vector(configuration.weights)), ("b", number(configuration.bias)),
                                ("Query point", vector(configuration.query))]
        result.duration = monotonicSeconds() - started
        return result
    }

    /// A number with up to 4 significant decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        var text = NumberFormat.fixed(value, decimals: 4)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text.replacingOccurrences(of: "-", with: "−")
    }

    static func vector(_ values: [Double]) -> String { "(" + values.map(number).joined(separator: ", ") + ")" }
}
