import LinearAlgebra
import MLPCore

/// A regressor's errors on a test set, per target column and over all of them (scikit-learn's
/// `mean_absolute_error`, `root_mean_squared_error` and `r2_score` with uniform averaging).
public struct RegressionScores: Sendable, Equatable {
    /// The mean absolute error of each column.
    public let meanAbsoluteErrors: [Double]
    /// The root mean squared error of each column.
    public let rootMeanSquaredErrors: [Double]
    /// R² of each column.
    public let rSquaredValues: [Double]

    /// The scores of `predicted` against `expected` (same shape, at least one row).
    public init(predicted: Matrix, expected: Matrix) {
        precondition(predicted.rows == expected.rows && predicted.columns == expected.columns && expected.rows > 0,
                     "scores of \(predicted.shapeDescription) predictions against \(expected.shapeDescription) targets")
        var absolute = [Double](), squared = [Double](), rSquared = [Double]()
        let rows = Double(expected.rows)
        for column in 0..<expected.columns {
            var mean = 0.0
            for row in 0..<expected.rows { mean += Double(expected[row, column]) }
            mean /= rows
            var absoluteSum = 0.0, squaredSum = 0.0, spread = 0.0
            for row in 0..<expected.rows {
                let y = Double(expected[row, column]), difference = y - Double(predicted[row, column])
                absoluteSum += abs(difference)
                squaredSum += difference * difference
                spread += (y - mean) * (y - mean)
            }
            absolute.append(absoluteSum / rows)
            squared.append((squaredSum / rows).squareRoot())
            rSquared.append(Metrics.rSquaredTerm(residual: squaredSum, total: spread))
        }
        meanAbsoluteErrors = absolute
        rootMeanSquaredErrors = squared
        rSquaredValues = rSquared
    }

    /// The mean absolute error, averaged over the columns.
    public var meanAbsoluteError: Double { meanAbsoluteErrors.reduce(0, +) / Double(meanAbsoluteErrors.count) }
    /// The root mean squared error, averaged over the columns.
    public var rootMeanSquaredError: Double { rootMeanSquaredErrors.reduce(0, +) / Double(rootMeanSquaredErrors.count) }
    /// R², averaged over the columns.
    public var rSquared: Double { rSquaredValues.reduce(0, +) / Double(rSquaredValues.count) }
}

/// A classifier's scores on a test set: the confusion matrix, per-class precision, recall and F1,
/// their macro average, and for two classes the area under the ROC curve (scikit-learn's
/// `confusion_matrix`, `precision_recall_fscore_support`, `f1_score(average="macro")` and
/// `roc_auc_score`).
public struct ClassificationScores: Sendable, Equatable {
    /// `counts[expected][predicted]`: rows are the true classes, columns the predicted ones, both
    /// as positions in the classifier's classes.
    public let counts: [[Int]]
    /// Samples whose label is none of the classifier's classes (they count as errors).
    public let unknownLabels: Int
    /// The area under the ROC curve of class 1's probability, for two classes; `nil` otherwise or
    /// when the test set holds only one of them.
    public let rocAUC: Double?

    /// The scores of `probabilities` (`n × k`) against the true class positions `expected`
    /// (`0..<k`, or -1 for a label the classifier does not know).
    public init(probabilities: Matrix, expected: [Int]) {
        precondition(probabilities.rows == expected.count, "\(probabilities.rows) predictions for \(expected.count) labels")
        let classCount = probabilities.columns
        let predicted = probabilities.rowArgmax()
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        var unknown = 0
        for (sample, label) in expected.enumerated() {
            guard (0..<classCount).contains(label) else { unknown += 1; continue }
            counts[label][predicted[sample]] += 1
        }
        self.counts = counts
        unknownLabels = unknown
        if classCount == 2 {
            let known = expected.indices.filter { (0..<2).contains(expected[$0]) }
            rocAUC = ClassificationScores.areaUnderROC(
                scores: known.map { Double(probabilities[$0, 1]) }, positives: known.map { expected[$0] == 1 })
        } else {
            rocAUC = nil
        }
    }

    /// The number of classes.
    public var classCount: Int { counts.count }

    /// The fraction of samples predicted correctly (unknown labels count as wrong).
    public var accuracy: Double {
        let total = counts.joined().reduce(0, +) + unknownLabels
        return total == 0 ? 0 : Double((0..<classCount).map { counts[$0][$0] }.reduce(0, +)) / Double(total)
    }

    /// Of the samples predicted as class `index`, the fraction that are; 0 when none are predicted.
    public func precision(of index: Int) -> Double {
        let predicted = counts.map { $0[index] }.reduce(0, +)
        return predicted == 0 ? 0 : Double(counts[index][index]) / Double(predicted)
    }

    /// Of the samples of class `index`, the fraction predicted as it; 0 when there are none.
    public func recall(of index: Int) -> Double {
        let actual = counts[index].reduce(0, +)
        return actual == 0 ? 0 : Double(counts[index][index]) / Double(actual)
    }

    /// The harmonic mean of precision and recall; 0 when both are 0.
    public func f1(of index: Int) -> Double {
        let p = precision(of: index), r = recall(of: index)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The unweighted mean of the classes' F1 scores.
    public var macroF1: Double {
        classCount == 0 ? 0 : (0..<classCount).map(f1(of:)).reduce(0, +) / Double(classCount)
    }

    /// The probability that a random positive scores above a random negative (ties count one
    /// half): the Mann–Whitney form of the area under the ROC curve, with tied scores given their
    /// average rank. `nil` without both positives and negatives.
    public static func areaUnderROC(scores: [Double], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count, negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for position in start...end where positives[order[position]] { rankSum += averageRank }
            start = end + 1
        }
        let positivesTotal = Double(positiveCount)
        return (rankSum - positivesTotal * (positivesTotal + 1) / 2) / (positivesTotal * Double(negativeCount))
    }
}
