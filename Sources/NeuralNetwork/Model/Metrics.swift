import Foundation
import LinearAlgebra

/// Scores of predictions against targets, accumulated in `Double`.
public enum Metrics {
    /// The fraction of positions where `predicted` equals `expected`.
    public static func accuracy(predicted: [Int], expected: [Int]) -> Double {
        precondition(predicted.count == expected.count,
                     "accuracy of \(predicted.count) predictions against \(expected.count) labels")
        guard !expected.isEmpty else { return 0 }
        var correct = 0
        for index in expected.indices where predicted[index] == expected[index] { correct &+= 1 }
        return Double(correct) / Double(expected.count)
    }

    /// The mean cross-entropy `−(1/n) Σᵢ log p(yᵢ)` of class probabilities (`n × classes.count`,
    /// column `j` the probability of `classes[j]`) against labels, with each probability at least
    /// the smallest normal `Float`; a label outside `classes` counts as that smallest probability.
    public static func crossEntropy(probabilities: Matrix, classes: [Int], expected: [Int]) -> Double {
        precondition(probabilities.rows == expected.count && probabilities.columns == classes.count,
                     "cross-entropy of \(probabilities.shapeDescription) probabilities against \(expected.count) labels "
                     + "of \(classes.count) classes")
        guard !expected.isEmpty else { return 0 }
        var position = [Int: Int]()
        for (index, label) in classes.enumerated() { position[label] = index }
        let floor = Double(Float.leastNormalMagnitude)
        var loss = 0.0
        for (sample, label) in expected.enumerated() {
            let probability = position[label].map { Double(probabilities[sample, $0]) } ?? floor
            loss -= log(max(probability, floor))
        }
        return loss / Double(expected.count)
    }

    /// The coefficient of determination, averaged over the columns (scikit-learn's `r2_score`
    /// with `multioutput="uniform_average"`): per column `R²ⱼ = 1 − Σᵢ (yᵢⱼ − ŷᵢⱼ)² / Σᵢ (yᵢⱼ − ȳⱼ)²`;
    /// a constant column scores 1 when predicted exactly and 0 otherwise.
    public static func rSquared(predicted: Matrix, expected: Matrix) -> Double {
        precondition(predicted.rows == expected.rows && predicted.columns == expected.columns,
                     "R² of predictions \(predicted.shapeDescription) against targets \(expected.shapeDescription)")
        guard expected.rows > 0, expected.columns > 0 else { return 0 }
        return RegressionScores(predicted: predicted, expected: expected).rSquared
    }

    /// The mean squared error per element, `(1/(n·d)) Σ (predicted − expected)²` (an
    /// autoencoder's reconstruction error per feature; scikit-learn's `mean_squared_error` with
    /// uniform averaging), accumulated in `Double`; 0 for empty matrices.
    public static func meanSquaredError(predicted: Matrix, expected: Matrix) -> Double {
        precondition(predicted.rows == expected.rows && predicted.columns == expected.columns,
                     "MSE of \(predicted.shapeDescription) against \(expected.shapeDescription)")
        var sum = 0.0
        for (output, target) in zip(predicted.elements, expected.elements) {
            let difference = Double(output) - Double(target)
            sum += difference * difference
        }
        return expected.elements.isEmpty ? 0 : sum / Double(expected.elements.count)
    }

    /// `1 − residual / total`, or for `total = 0`: 1 if `residual = 0`, else 0.
    static func rSquaredTerm(residual: Double, total: Double) -> Double {
        if total == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }
}
