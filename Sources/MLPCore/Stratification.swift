/// Drawing a class-balanced share of samples: how many of each class, and which.
///
/// Both the early-stopping hold-out of a training run and the dataset splits use it, so a
/// stratified draw is the same wherever it happens.
public enum Stratification {
    /// `total` divided among groups in proportion to `sizes` by largest remainder: group `g` gets
    /// `⌊sizes[g] · total / n⌋` with `n = Σ sizes`, and the units left over go to the largest
    /// remainders `sizes[g] · total mod n` (ties to the lower group). The shares sum to `total`,
    /// and no group gets more than its size when `total ≤ n`.
    public static func apportion(_ total: Int, among sizes: [Int]) -> [Int] {
        let available = sizes.reduce(0, +)
        guard available > 0 else { return sizes.map { _ in 0 } }
        var shares = sizes.map { $0 * total / available }
        let remainders = sizes.map { $0 * total % available }
        var leftover = total - shares.reduce(0, +)
        let order = sizes.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for group in order where leftover > 0 {
            shares[group] += 1
            leftover -= 1
        }
        return shares
    }

    /// The members of each class, `0...max label`, in the order of `indices`; the class of
    /// sample `i` is `label(i)`, which must be non-negative.
    public static func groups(of indices: some Sequence<Int>, label: (Int) -> Int) -> [[Int]] {
        var classes: [[Int]] = []
        for index in indices {
            let classIndex = label(index)
            precondition(classIndex >= 0, "sample \(index) has the negative class \(classIndex)")
            while classes.count <= classIndex { classes.append([]) }
            classes[classIndex].append(index)
        }
        return classes
    }

    /// Each class's members shuffled in turn, class 0 first, with one generator: taking the
    /// first `k` of a class is then a uniform draw of `k` of its members.
    public static func shuffled(_ classes: [[Int]], using generator: inout SeededGenerator) -> [[Int]] {
        classes.map { members in
            var shuffled = members
            seededShuffle(&shuffled, using: &generator)
            return shuffled
        }
    }
}
