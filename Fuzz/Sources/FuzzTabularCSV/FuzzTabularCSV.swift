import Datasets
import FuzzSupport
import LinearAlgebra
import MLPCore

/// Feeds the input to `TabularCSVReader.parse(_:source:)` under a few readers: a label column
/// with every other column a feature, numeric targets with a weight column, features named with a
/// column ignored, and no target at all. What parses is used as training uses it: features of
/// every row (standardised), labels in class order, target values, weights and a split.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTabularCSV(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    for reader in readers {
        do {
            let table = try reader.parse(bytes, source: "fuzz input")
            use(table, reader)
        } catch {
            let line = error.description
            precondition(!line.contains("\n") && !line.contains("\r"), "an error message over several lines: \(line)")
        }
    }
    return 0
}

/// The readers each input goes through.
private let readers: [TabularCSVReader] = {
    // A classifier's table: the label column "y", every other column a feature.
    let labels = TabularCSVReader(targetColumns: ["y"], targetKind: .labels)
    // A regressor's table: two numeric targets and a weight column.
    let values = TabularCSVReader(targetColumns: ["y", "z"], targetKind: .values, weightColumn: "w")
    // Features named, in another order than the header's.
    let named = TabularCSVReader(targetColumns: ["y"], targetKind: .values, featureColumns: ["b", "a"])
    // Inputs to predict from: no target, the model's target column ignored if present.
    var inputs = TabularCSVReader()
    inputs.ignoredColumns = ["y"]
    return [labels, values, named, inputs]
}()

/// Reads `table` as training does.
private func use(_ table: TabularData, _ reader: TabularCSVReader) {
    precondition(table.sampleCount > 0 && table.featureCount > 0, "an empty table was accepted")
    precondition(table.firstNonFiniteFeature() == nil, "a non-finite feature was accepted")
    var scaled = table
    let statistics = table.featureStatistics()
    if statistics.means.allSatisfy(\.isFinite) && statistics.standardDeviations.allSatisfy(\.isFinite) {
        scaled.scaling = .standardized(means: statistics.means, standardDeviations: statistics.standardDeviations)
    }
    _ = scaled.featureMatrix()
    if let labels = table.labels {
        precondition(labels.count == table.sampleCount, "\(labels.count) labels for \(table.sampleCount) rows")
        let names = TabularData.classNames(of: labels)
        precondition(Set(names) == Set(labels) && names.count == Set(labels).count, "class names are not the distinct labels")
        precondition(TabularData.classNames(of: labels.reversed()) == names, "class order depends on the labels' order")
    }
    if let values = table.targetValues {
        precondition(values.rows == table.sampleCount && values.columns == reader.targetColumns.count, "target matrix shape")
    }
    if let weights = table.sampleWeights {
        precondition(weights.count == table.sampleCount && weights.allSatisfy(\.isFinite), "weights")
    }
    if let split = try? table.split(testFraction: 0.25, seed: 7) {
        precondition(split.training.sampleCount + split.test.sampleCount == table.sampleCount, "a split lost rows")
        _ = split.training.featureMatrix()
        _ = split.test.labels
        _ = split.test.targetValues
        _ = split.test.sampleWeights
    }
}
