import LinearAlgebra
import MLPCore

/// Rows of numeric features with their targets, from a CSV file with a header row or from NPY
/// arrays: the data of any tabular task.
///
/// The features stay as they were read (a `Float` copy of a CSV's cells, or the memory-mapped NPY
/// array, converted a batch at a time) and ``scaling`` is applied as training copies each batch,
/// so standardising a large array does not copy it. Subsets share the storage and keep a list of
/// rows.
public struct TabularData: FeatureSource, Sendable {
    /// What the target columns hold.
    public enum Targets: Sendable {
        /// No target (an autoencoder's data, or inputs to predict).
        case none
        /// One class label per row, as written (`"malignant"`, `"3"`).
        case labels([String])
        /// `targetNames.count` numbers per row, row-major.
        case values([Float])
    }

    /// How the target columns are to be read.
    public enum TargetKind: Sendable, Equatable {
        /// Class labels: any text.
        case labels
        /// Numbers.
        case values
    }

    /// Where the features are.
    enum Storage: Sendable {
        /// `featureCount` floats per row, row-major.
        case floats([Float])
        /// The rows of a mapped NPY array.
        case array(NPYArray)
    }

    /// A name for messages ("training", a file name).
    public var name: String
    /// The feature columns' names (`x0`, `x1`, … for an NPY array).
    public let featureNames: [String]
    /// The target columns' names (empty without targets).
    public let targetNames: [String]
    /// How raw features become the features a network sees (default: none).
    public var scaling: InputScaling = .none
    let storage: Storage
    /// The storage row of each row, for a subset; `nil` for every row in order.
    let rowMap: [Int]?
    let allTargets: Targets
    /// Every stored row's sample weight, if given.
    var allWeights: [Float]?
    let storedRowCount: Int

    public var sampleCount: Int { rowMap?.count ?? storedRowCount }
    public var featureCount: Int { featureNames.count }

    /// A table over `featureCount` floats per row (`features.count` a multiple of it).
    public init(name: String, featureNames: [String], features: [Float], targetNames: [String] = [], targets: Targets = .none) {
        precondition(!featureNames.isEmpty && features.count % featureNames.count == 0, "features do not fill whole rows")
        TabularData.checkTargets(targets, names: targetNames, rows: features.count / featureNames.count)
        self.name = name
        self.featureNames = featureNames
        self.targetNames = targetNames
        storage = .floats(features)
        storedRowCount = features.count / featureNames.count
        rowMap = nil
        allTargets = targets
        allWeights = nil
    }

    /// A table over the rows of `array` (its columns are `x0`, `x1`, …).
    public init(name: String, array: NPYArray, targetNames: [String] = [], targets: Targets = .none) {
        TabularData.checkTargets(targets, names: targetNames, rows: array.rowCount)
        self.name = name
        featureNames = (0..<array.columnCount).map { "x\($0)" }
        self.targetNames = targetNames
        storage = .array(array)
        storedRowCount = array.rowCount
        rowMap = nil
        allTargets = targets
        allWeights = nil
    }

    /// Traps unless `targets` hold one label or `names.count` values for each of `rows` rows.
    private static func checkTargets(_ targets: Targets, names: [String], rows: Int) {
        switch targets {
        case .none: break
        case .labels(let labels):
            precondition(labels.count == rows && names.count == 1, "\(labels.count) labels (\(names.count) names) for \(rows) rows")
        case .values(let values):
            precondition(!names.isEmpty && values.count == rows &* names.count,
                         "\(values.count) target values for \(rows) rows of \(names.count) targets")
        }
    }

    private init(_ base: TabularData, rows: [Int]) {
        let count = base.sampleCount
        precondition(rows.allSatisfy { $0 >= 0 && $0 < count }, "a subset's rows must be in 0..<\(count)")
        name = base.name
        featureNames = base.featureNames
        targetNames = base.targetNames
        scaling = base.scaling
        storage = base.storage
        storedRowCount = base.storedRowCount
        allTargets = base.allTargets
        allWeights = base.allWeights
        rowMap = rows.map { base.rowMap?[$0] ?? $0 }
    }

    /// The table with a sample weight per row (`weights.count == sampleCount`, a table of all its
    /// stored rows: weigh before taking subsets).
    public func weighted(_ weights: [Float]) -> TabularData {
        precondition(rowMap == nil && weights.count == storedRowCount, "\(weights.count) weights for \(storedRowCount) rows")
        var table = self
        table.allWeights = weights
        return table
    }

    /// Each row's sample weight, when given.
    public var sampleWeights: [Float]? {
        guard let allWeights else { return nil }
        return rowMap.map { $0.map { allWeights[$0] } } ?? allWeights
    }

    /// The rows `rows` (indices into this table), sharing the storage.
    public func subset(_ rows: [Int]) -> TabularData { TabularData(self, rows: rows) }

    /// The storage row of row `row`.
    @inline(__always)
    func storedRow(_ row: Int) -> Int { rowMap?[row] ?? row }

    /// Row `row`'s raw features into `destination` (`featureCount` floats).
    public func copyRawFeatures(of row: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < sampleCount, "row \(row) of a table of \(sampleCount) rows")
        let stored = storedRow(row)
        switch storage {
        case .floats(let values):
            values.withUnsafeBufferPointer {
                destination.update(from: $0.baseAddress! + stored &* featureCount, count: featureCount)
            }
        case .array(let array):
            array.copyRow(stored, into: destination)
        }
    }

    public func copyFeatures(of indices: UnsafeBufferPointer<Int>, into destination: UnsafeMutablePointer<Float>) {
        let width = featureCount
        for (position, row) in indices.enumerated() {
            let target = destination + position &* width
            copyRawFeatures(of: row, into: target)
            scaling.apply(to: target, count: width)
        }
    }

    /// The class label of each row, when the targets are labels.
    public var labels: [String]? {
        guard case .labels(let all) = allTargets else { return nil }
        return rowMap.map { $0.map { all[$0] } } ?? all
    }

    /// The target values (`sampleCount × targetNames.count`), when the targets are numbers.
    public var targetValues: Matrix? {
        guard case .values(let all) = allTargets else { return nil }
        let width = targetNames.count
        guard let rowMap else { return Matrix(rows: storedRowCount, columns: width, elements: all) }
        var elements = [Float]()
        elements.reserveCapacity(rowMap.count &* width)
        for row in rowMap { elements.append(contentsOf: all[(row &* width)..<(row &* width &+ width)]) }
        return Matrix(rows: rowMap.count, columns: width, elements: elements)
    }

    /// Each raw feature's mean and population standard deviation over the rows (two passes in
    /// `Double`), for ``InputScaling/standardized(means:standardDeviations:)``.
    public func featureStatistics() -> (means: [Double], standardDeviations: [Double]) {
        var raw = self
        raw.scaling = .none
        return raw.columnStatistics()
    }

    /// Checks that every raw feature is a finite `Float`.
    /// - Throws: ``DatasetError/nonFiniteFeature(source:row:column:)`` naming the first that is
    ///   not (rows and columns counted from 1).
    public func checkFiniteFeatures() throws(DatasetError) {
        if let bad = firstNonFiniteFeature() { throw .nonFiniteFeature(source: name, row: bad.row + 1, column: bad.column + 1) }
    }

    /// The first row and column whose raw feature is not a finite `Float`, or `nil`.
    public func firstNonFiniteFeature() -> (row: Int, column: Int)? {
        if case .array(let array) = storage, rowMap == nil { return array.firstNonFinite() }
        var row = [Float](repeating: 0, count: featureCount)
        return row.withUnsafeMutableBufferPointer { buffer -> (row: Int, column: Int)? in
            for index in 0..<sampleCount {
                copyRawFeatures(of: index, into: buffer.baseAddress!)
                if let column = buffer.firstIndex(where: { !$0.isFinite }) { return (index, column) }
            }
            return nil
        }
    }

    /// The distinct labels in a natural order: numerically when every label is a number (not
    /// NaN), equal numbers (`1`, `1.0`) as text, else as text.
    public static func classNames(of labels: [String]) -> [String] {
        let distinct = Array(Set(labels))
        var numbers = [String: Double]()
        for label in distinct {
            guard let number = Double(label), !number.isNaN else { return distinct.sorted() }
            numbers[label] = number
        }
        return distinct.sorted { numbers[$0]! != numbers[$1]! ? numbers[$0]! < numbers[$1]! : $0 < $1 }
    }

    /// A split into (training, test) rows: `testFraction` of the rows, drawn with `seed`, per class
    /// when the targets are labels (so each class keeps its share), else uniformly.
    public func split(testFraction: Double, seed: UInt64) throws(DatasetError) -> (training: TabularData, test: TabularData) {
        guard testFraction > 0, testFraction < 1 else {
            throw .invalidSplit(reason: "the test fraction must be in (0, 1), got \(testFraction)")
        }
        let testCount = Int((Double(sampleCount) * testFraction).rounded())
        guard testCount >= 1, sampleCount - testCount >= 2 else {
            throw .invalidSplit(reason: "\(sampleCount) rows cannot give a test share of \(testFraction) and at least 2 training rows")
        }
        var generator = SeededGenerator(seed: seed)
        var testRows = [Int]()
        if let labels {
            let names = TabularData.classNames(of: labels)
            var position = [String: Int]()
            for (index, name) in names.enumerated() { position[name] = index }
            let groups = Stratification.shuffled(Stratification.groups(of: 0..<sampleCount) { position[labels[$0]]! },
                                                 using: &generator)
            let shares = Stratification.apportion(testCount, among: groups.map(\.count))
            for (group, share) in zip(groups, shares) { testRows += group.prefix(share) }
        } else {
            var rows = Array(0..<sampleCount)
            seededShuffle(&rows, using: &generator)
            testRows = Array(rows.prefix(testCount))
        }
        testRows.sort()
        var isTest = [Bool](repeating: false, count: sampleCount)
        for row in testRows { isTest[row] = true }
        let trainingRows = (0..<sampleCount).filter { !isTest[$0] }
        var training = subset(trainingRows), test = subset(testRows)
        training.name = name + " (training)"
        test.name = name + " (test)"
        return (training, test)
    }
}
