import Foundation
import Testing
@testable import Datasets
import LinearAlgebra
import MLPCore
import TestSupport

/// The table as training sees it: subsets, scaling, statistics, splits and class order.
@Suite("tabular data")
struct TabularDataTests {
    /// `rows` rows of two features, row `i` = (i, 10 − 2i), labels cycling through `classes`,
    /// numeric targets 100 + i, weights i + 1.
    func table(rows: Int, classes: [String] = ["a", "b", "c"]) -> TabularData {
        let features = (0..<rows).flatMap { [Float($0), Float(10 - 2 * $0)] }
        return TabularData(name: "t", featureNames: ["u", "v"], features: features, targetNames: ["y"],
                           targets: .labels((0..<rows).map { classes[$0 % classes.count] }))
            .weighted((0..<rows).map { Float($0 + 1) })
    }

    func rawFeatures(_ table: TabularData) -> [Float] {
        var values = [Float](repeating: .nan, count: table.sampleCount * table.featureCount)
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<table.sampleCount { table.copyRawFeatures(of: row, into: buffer.baseAddress! + row * table.featureCount) }
        }
        return values
    }

    @Test("a subset of a subset maps to the stored rows: features, labels, weights and targets")
    func subsetsCompose() throws {
        let base = table(rows: 6)
        let inner = base.subset([5, 3, 1, 0])
        let outer = inner.subset([2, 0])
        #expect(outer.sampleCount == 2)
        #expect(bits(rawFeatures(outer)) == bits([1, 8, 5, 0]))
        #expect(outer.labels == ["b", "c"])
        #expect(outer.sampleWeights.map(bits) == bits([2, 6]))
        #expect(base.subset([]).sampleCount == 0 && base.subset([]).featureMatrix().rows == 0)
        let values = TabularData(name: "r", featureNames: ["u"], features: [0, 1, 2, 3], targetNames: ["p", "q"],
                                 targets: .values([0, 10, 1, 11, 2, 12, 3, 13]))
        let picked = try #require(values.subset([3, 1, 2]).subset([1, 0]).targetValues)
        #expect(picked.rows == 2 && picked.columns == 2 && bits(picked.elements) == bits([1, 11, 3, 13]))
        #expect(bits(values.subset([2, 2]).featureMatrix().elements) == bits([2, 2]))
    }

    @Test("copyFeatures applies a per-feature scaling to each row it copies")
    func perFeatureScaling() {
        var scaled = table(rows: 4).subset([3, 0, 2])
        scaled.scaling = InputScaling(scales: [2, 0.5], offsets: [1, -1])
        let raw = rawFeatures(scaled)
        let matrix = scaled.featureMatrix()
        for row in 0..<3 {
            #expect(isClose(Double(matrix[row, 0]), Double(raw[row * 2]) * 2 + 1))
            #expect(isClose(Double(matrix[row, 1]), Double(raw[row * 2 + 1]) * 0.5 - 1))
        }
        // Raw copies are never scaled.
        #expect(bits(raw) == bits([3, 4, 0, 10, 2, 6]))
        // Only the indices asked for, in their order.
        var two = [Float](repeating: 0, count: 4)
        [2, 2].withUnsafeBufferPointer { rows in two.withUnsafeMutableBufferPointer { scaled.copyFeatures(of: rows, into: $0.baseAddress!) } }
        #expect(two.map(Double.init).elementsEqual([5, 2, 5, 2], by: { isClose($0, $1) }))
    }

    @Test("featureStatistics: means and population deviations in closed form")
    func statisticsClosedForm() {
        // Column j of row i is (j + 1) · i, i in 0..<n: mean (j + 1)(n − 1)/2, variance (j + 1)²(n² − 1)/12.
        let n = 101
        let features = (0..<n).flatMap { i in (0..<3).map { Float(($0 + 1) * i) } }
        let table = TabularData(name: "ramp", featureNames: ["a", "b", "c"], features: features)
        let statistics = table.featureStatistics()
        for j in 0..<3 {
            let scale = Double(j + 1)
            #expect(isClose(statistics.means[j], scale * Double(n - 1) / 2, absolute: 0, relative: 1e-14))
            #expect(isClose(statistics.standardDeviations[j], scale * (Double(n * n - 1) / 12).squareRoot(), absolute: 0, relative: 1e-14))
        }
        // Over a subset, only its rows count: rows {0, 100} of column a have mean 50 and deviation 50.
        let ends = table.subset([0, 100]).featureStatistics()
        #expect(isClose(ends.means[0], 50) && isClose(ends.standardDeviations[0], 50))
        // A constant column has deviation 0, and standardising only centres it.
        let constant = TabularData(name: "c", featureNames: ["k"], features: [4, 4, 4]).featureStatistics()
        #expect(isClose(constant.means[0], 4) && constant.standardDeviations == [0])
    }

    @Test("featureStatistics of an NPY array matches NumPy's mean and std (ddof=0) in float64")
    func statisticsAgainstNumPy() throws {
        let python = try PythonEnvironment.python("numpy", packages: ["numpy==2.2.6"])
        let script = """
            import sys
            import numpy as np
            rng = np.random.default_rng(7)
            a = (rng.standard_normal((500, 4)) * [1, 1e3, 1e-3, 5] + [0, -2e4, 3, 1e6]).astype("<f4")
            np.save(sys.argv[1], a)
            b = a.astype(np.float64)
            print(" ".join(repr(float(x)) for x in b.mean(axis=0)))
            print(" ".join(repr(float(x)) for x in b.std(axis=0, ddof=0)))
            print(" ".join(repr(float(x)) for x in b[::3].mean(axis=0)))
            print(" ".join(repr(float(x)) for x in b[::3].std(axis=0, ddof=0)))
            """
        try withTemporaryDirectory("npy-statistics") { directory in
            let path = directory + "/a.npy"
            let lines = try PythonEnvironment.run(python, script: script, [path]).split(separator: "\n")
                .map { $0.split(separator: " ").map { Double($0)! } }
            let table = TabularData(name: "a", array: try NPYArray(path: path))
            let all = table.featureStatistics()
            let everyThird = table.subset(Array(stride(from: 0, to: 500, by: 3))).featureStatistics()
            for j in 0..<4 {
                #expect(isClose(all.means[j], lines[0][j], absolute: 1e-9, relative: 1e-11), "mean \(j)")
                #expect(isClose(all.standardDeviations[j], lines[1][j], absolute: 1e-9, relative: 1e-11), "std \(j)")
                #expect(isClose(everyThird.means[j], lines[2][j], absolute: 1e-9, relative: 1e-11), "subset mean \(j)")
                #expect(isClose(everyThird.standardDeviations[j], lines[3][j], absolute: 1e-9, relative: 1e-11), "subset std \(j)")
            }
        }
    }

    @Test("a split is stratified by label, disjoint, complete, and the same for the same seed")
    func stratifiedSplit() throws {
        // 20 rows: 10 of "a", 6 of "b", 4 of "c".
        let labels = (0..<20).map { $0 < 10 ? "a" : $0 < 16 ? "b" : "c" }
        let data = TabularData(name: "s", featureNames: ["i"], features: (0..<20).map(Float.init),
                               targetNames: ["y"], targets: .labels(labels))
        let (training, test) = try data.split(testFraction: 0.25, seed: 42)
        #expect(training.name == "s (training)" && test.name == "s (test)")
        let testRows = rawFeatures(test).map { Int($0) }, trainingRows = rawFeatures(training).map { Int($0) }
        #expect(testRows.count == 5 && trainingRows.count == 15)
        #expect(Set(testRows).isDisjoint(with: trainingRows) && Set(testRows + trainingRows) == Set(0..<20))
        // Largest remainder: 5 test rows among 10, 6 and 4 are 3, 1 and 1.
        let testLabels = try #require(test.labels)
        #expect(["a", "b", "c"].map { name in testLabels.filter { $0 == name }.count } == [3, 1, 1])
        #expect(Stratification.apportion(5, among: [10, 6, 4]) == [3, 1, 1])
        // The same seed gives the same rows; another seed, another draw.
        let again = try data.split(testFraction: 0.25, seed: 42)
        #expect(bits(rawFeatures(again.test)) == bits(rawFeatures(test)))
        let draws = Set(try (0..<8).map { seed in rawFeatures(try data.split(testFraction: 0.25, seed: UInt64(seed)).test) })
        #expect(draws.count > 1)
    }

    @Test("a split without labels draws uniformly, deterministically per seed")
    func unlabelledSplit() throws {
        let data = TabularData(name: "u", featureNames: ["i"], features: (0..<10).map(Float.init))
        let first = try data.split(testFraction: 0.3, seed: 5), second = try data.split(testFraction: 0.3, seed: 5)
        #expect(first.test.sampleCount == 3 && first.training.sampleCount == 7)
        #expect(bits(rawFeatures(first.test)) == bits(rawFeatures(second.test)))
        #expect(Set(rawFeatures(first.test) + rawFeatures(first.training)) == Set((0..<10).map(Float.init)))
    }

    @Test("an impossible split is an error", arguments: [0.0, 1.0, -0.5, .nan, .infinity])
    func impossibleSplit(fraction: Double) {
        #expect(throws: DatasetError.self) { try table(rows: 10).split(testFraction: fraction, seed: 1) }
    }

    @Test("a split that leaves too few rows is an error")
    func tooFewRows() {
        #expect(throws: DatasetError.self) { try table(rows: 2).split(testFraction: 0.5, seed: 1) }
        #expect(throws: DatasetError.self) { try table(rows: 3).split(testFraction: 0.1, seed: 1) }
    }

    @Test("class names: numeric order when every label is a number, text order otherwise, the same for any label order")
    func classNameOrder() {
        let cases: [([String], [String])] = [
            (["10", "9", "1.5", "-2", "1", "1.0", "9"], ["-2", "1", "1.0", "1.5", "9", "10"]),
            (["b", "a", "10", "9"], ["10", "9", "a", "b"]),
            (["inf", "-inf", "0", "1e3"], ["-inf", "0", "1e3", "inf"]),
            // NaN has no place among numbers: text order.
            (["2", "nan", "10"], ["10", "2", "nan"]),
            (["malignant", "benign"], ["benign", "malignant"]),
        ]
        for (labels, expected) in cases {
            #expect(TabularData.classNames(of: labels) == expected, "\(labels)")
            #expect(TabularData.classNames(of: labels.reversed()) == expected, "\(labels) reversed")
            #expect(TabularData.classNames(of: labels + labels.shuffled()) == expected, "\(labels) shuffled")
        }
    }

    @Test("firstNonFiniteFeature finds NaN in a subset of an NPY array by the subset's row")
    func nonFiniteInSubset() throws {
        let array = try NPYArray(bytes: npy("'<f4'", shape: "(3, 2)", data: floats32([1, 2, 3, .nan, 5, 6])), path: "n.npy")
        let table = TabularData(name: "n", array: array)
        #expect(table.firstNonFiniteFeature().map { [$0.row, $0.column] } == [1, 1])
        #expect(table.subset([2, 0, 1]).firstNonFiniteFeature().map { [$0.row, $0.column] } == [2, 1])
        #expect(table.subset([2, 0]).firstNonFiniteFeature() == nil)
    }
}
