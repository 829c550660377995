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
        let rows = expected.rows, columns = expected.columns
        guard rows > 0, columns > 0 else { return 0 }
        var total: Double = 0
        for column in 0..<columns {
            var mean: Double = 0
            for row in 0..<rows { mean += Double(expected[row, column]) }
            mean /= Double(rows)
            var residual: Double = 0, spread: Double = 0
            for row in 0..<rows {
                let y = Double(expected[row, column])
                let difference = y - Double(predicted[row, column])
                residual += difference * difference
                spread += (y - mean) * (y - mean)
            }
            total += rSquaredTerm(residual: residual, total: spread)
        }
        return total / Double(columns)
    }

    /// `1 − residual / total`, or for `total = 0`: 1 if `residual = 0`, else 0.
    static func rSquaredTerm(residual: Double, total: Double) -> Double {
        if total == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }
}
