import Datasets
import FuzzSupport
import MLPCore

/// Feeds the input to `NPYArray(bytes:path:)`, the header validation that `NPYArray(path:)` runs on
/// a mapped file. What parses is used as training and the command-line tool use it: every element
/// read (`value(row:column:)` and a row at a time), `firstNonFinite`, and a `TabularData` over it
/// (features of every row, standardised with its statistics, a split).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPYArray(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    do {
        let array = try NPYArray(bytes: bytes, path: "fuzz input")
        use(array)
    } catch {
        _ = error.description
    }
    return 0
}

/// Reads every element of `array`, and trains' worth of it through a table.
private func use(_ array: NPYArray) {
    precondition(array.rowCount > 0 && array.columnCount > 0, "an empty array was accepted")
    precondition(array.rowCount * array.columnCount * array.elementType.size <= 4096 * 2, "a shape larger than the input")
    var row = [Float](repeating: 0, count: array.columnCount)
    var sum = 0.0
    for index in 0..<array.rowCount {
        row.withUnsafeMutableBufferPointer { array.copyRow(index, into: $0.baseAddress!) }
        for column in 0..<array.columnCount {
            let value = array.value(row: index, column: column)
            // A row read as Float is the element rounded once to Float; `value` rounds a 64-bit
            // integer to Double first, so Float(value) may be one Float step away.
            let expected = Float(value)
            let wide = array.elementType == .int64 || array.elementType == .uint64
            precondition(row[column].isNaN ? value.isNaN
                         : row[column] == expected || (wide && (row[column].nextUp == expected || row[column].nextDown == expected)),
                         "row \(index) column \(column): \(row[column]) read, \(value) as Double")
            sum += value.isFinite ? value : 0
        }
    }
    _ = sum
    var table = TabularData(name: "fuzz input", array: array)
    if table.firstNonFiniteFeature() == nil {
        let statistics = table.featureStatistics()
        if statistics.means.allSatisfy(\.isFinite) && statistics.standardDeviations.allSatisfy(\.isFinite) {
            table.scaling = .standardized(means: statistics.means, standardDeviations: statistics.standardDeviations)
        }
    }
    _ = table.featureMatrix()
    if let split = try? table.split(testFraction: 0.25, seed: 1) {
        precondition(split.training.sampleCount + split.test.sampleCount == table.sampleCount, "a split lost rows")
        _ = split.test.featureMatrix()
    }
}
