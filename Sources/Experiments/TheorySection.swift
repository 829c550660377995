import NeuralNetwork
import MLPCore

/// Section A: the hard-margin SVM exercise and the backpropagation worked example, computed.
///
/// ``run(_:configuration:)`` computes the ``Results``; ``render(_:)`` turns them into the
/// section's text, tables and goals.
public enum TheorySection {
    /// The section's key: the name of its saved file and its entry in `results.json`.
    public static let key = "theory"

    /// The SVM exercise's inputs; the defaults are the assignment's.
    public struct Configuration: Sendable, Codable, Equatable {
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

        /// Whether the samples and the hyperplane are the assignment's (the query may differ).
        public var isAssignment: Bool {
            let assignment = Configuration()
            return points == assignment.points && labels == assignment.labels && weights == assignment.weights
                && bias == assignment.bias
        }
    }

    /// What section A computed.
    public struct Results: Sendable {
        public var configuration: Configuration
        /// `‖w‖₂`.
        public var weightNorm: Double
        /// `w·xᵢ + b` for each sample.
        public var decisions: [Double]
        /// `yᵢ (w·xᵢ + b)` for each sample.
        public var functionalMargins: [Double]
        /// `yᵢ (w·xᵢ + b) / ‖w‖₂` for each sample.
        public var geometricMargins: [Double]
        /// The samples at the margin (0-based).
        public var supportVectors: [Int]
        /// `minᵢ γᵢ`.
        public var margin: Double
        /// Whether every sample lies on its side.
        public var separates: Bool
        /// `w·x + b` of the query point.
        public var queryDecision: Double
        /// The query point's class: +1, −1, or 0 on the hyperplane.
        public var queryClass: Int
        /// The backpropagation example.
        public var example: WorkedExample
        /// Seconds the computation took.
        public var seconds: Double
    }

    /// Computes section A.
    public static func run(_ context: ExperimentContext, configuration: Configuration = Configuration()) -> Results {
        let started = MonotonicClock.seconds()
        let svm = HardMarginSVM(weights: configuration.weights, bias: configuration.bias)
        let points = configuration.points, labels = configuration.labels
        return Results(
            configuration: configuration, weightNorm: svm.weightNorm, decisions: points.map(svm.decision),
            functionalMargins: svm.functionalMargins(points: points, labels: labels),
            geometricMargins: svm.geometricMargins(points: points, labels: labels),
            supportVectors: svm.supportVectors(points: points, labels: labels),
            margin: svm.margin(points: points, labels: labels), separates: svm.separates(points: points, labels: labels),
            queryDecision: svm.decision(configuration.query), queryClass: svm.classify(configuration.query),
            example: workedExample(), seconds: MonotonicClock.seconds() - started)
    }
}
