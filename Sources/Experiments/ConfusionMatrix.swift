/// Counts of true class against predicted class, with per-class precision and recall.
///
/// `counts[i][j]` is the number of samples of class `i` predicted as `j`. Precision of `c` is
/// `counts[c][c] / Σᵢ counts[i][c]` (NaN when nothing was predicted as `c`); recall of `c` is
/// `counts[c][c] / Σⱼ counts[c][j]` (NaN for a class without samples).
public struct ConfusionMatrix: Sendable, Equatable, Codable {
    public let counts: [[Int]]

    /// Counts `expected` against `predicted`, labels in `0..<classCount`.
    public init(expected: [Int], predicted: [Int], classCount: Int) {
        precondition(expected.count == predicted.count, "\(expected.count) labels against \(predicted.count) predictions")
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (truth, guess) in zip(expected, predicted) {
            precondition((0..<classCount).contains(truth) && (0..<classCount).contains(guess),
                         "label \(truth) or prediction \(guess) outside 0..<\(classCount)")
            counts[truth][guess] += 1
        }
        self.counts = counts
    }

    public var classCount: Int { counts.count }
    public var total: Int { counts.map { $0.reduce(0, +) }.reduce(0, +) }
    public var accuracy: Double {
        total == 0 ? .nan : Double((0..<classCount).map { counts[$0][$0] }.reduce(0, +)) / Double(total)
    }

    public func precision(of label: Int) -> Double {
        let predicted = counts.map { $0[label] }.reduce(0, +)
        return predicted == 0 ? .nan : Double(counts[label][label]) / Double(predicted)
    }

    public func recall(of label: Int) -> Double {
        let actual = counts[label].reduce(0, +)
        return actual == 0 ? .nan : Double(counts[label][label]) / Double(actual)
    }
}
