/// A linear classifier `f(x) = w·x + b` with the quantities of hard-margin SVM theory.
///
/// For a sample `(xᵢ, yᵢ)` with `yᵢ ∈ {−1, +1}`:
/// - functional margin `γ̂ᵢ = yᵢ (w·xᵢ + b)`;
/// - geometric margin `γᵢ = γ̂ᵢ / ‖w‖₂`, the signed distance to the hyperplane;
/// - the margin of the set is `minᵢ γᵢ`, and the support vectors are the samples that attain it.
///
///     let svm = HardMarginSVM(weights: [-2, 0], bias: 5)
///     svm.functionalMargins(points: [[1, 0], [2, 0], [3, 0], [4, 0]], labels: [1, 1, -1, -1])  // [3, 1, 1, 3]
public struct HardMarginSVM: Sendable, Equatable, Codable {
    /// The normal vector `w`.
    public var weights: [Double]
    /// The offset `b`.
    public var bias: Double

    public init(weights: [Double], bias: Double) {
        precondition(!weights.isEmpty, "an SVM needs at least one weight")
        self.weights = weights
        self.bias = bias
    }

    /// `‖w‖₂`.
    public var weightNorm: Double { weights.map { $0 * $0 }.reduce(0, +).squareRoot() }

    /// `w·x + b`.
    public func decision(_ point: [Double]) -> Double {
        precondition(point.count == weights.count, "a point of \(point.count) coordinates for \(weights.count) weights")
        return zip(weights, point).map(*).reduce(bias, +)
    }

    /// `sign(w·x + b)`: +1, −1, or 0 on the hyperplane.
    public func classify(_ point: [Double]) -> Int {
        let value = decision(point)
        return value > 0 ? 1 : value < 0 ? -1 : 0
    }

    /// `yᵢ (w·xᵢ + b)` for each sample.
    public func functionalMargins(points: [[Double]], labels: [Int]) -> [Double] {
        precondition(points.count == labels.count, "\(points.count) points with \(labels.count) labels")
        return zip(points, labels).map { Double($1) * decision($0) }
    }

    /// `yᵢ (w·xᵢ + b) / ‖w‖₂` for each sample.
    public func geometricMargins(points: [[Double]], labels: [Int]) -> [Double] {
        let norm = weightNorm
        return functionalMargins(points: points, labels: labels).map { $0 / norm }
    }

    /// The geometric margin of the set, `minᵢ γᵢ` (negative when a sample is misclassified).
    public func margin(points: [[Double]], labels: [Int]) -> Double {
        geometricMargins(points: points, labels: labels).min() ?? .infinity
    }

    /// The indices (0-based) of the samples whose geometric margin equals the set's margin,
    /// within `tolerance`.
    public func supportVectors(points: [[Double]], labels: [Int], tolerance: Double = 1e-9) -> [Int] {
        let margins = geometricMargins(points: points, labels: labels)
        guard let smallest = margins.min() else { return [] }
        return margins.indices.filter { abs(margins[$0] - smallest) <= tolerance * max(1, abs(smallest)) }
    }

    /// Whether every sample lies on its side of the hyperplane (every functional margin > 0).
    public func separates(points: [[Double]], labels: [Int]) -> Bool {
        functionalMargins(points: points, labels: labels).allSatisfy { $0 > 0 }
    }
}
