import ArgumentParser
import Datasets
import MLPCore
import NeuralNetwork

/// What `mlp train` trains: a classifier, a regressor or an autoencoder.
enum ModelTask: String, CaseIterable, ExpressibleByArgument {
    case classify, regress, autoencode

    /// The kind of model the task trains.
    var kind: ModelKind {
        switch self {
        case .classify: return .classifier
        case .regress: return .regressor
        case .autoencode: return .autoencoder
        }
    }
}

/// The options that read tabular data: a CSV file with a header row (through `--csv`, with
/// `--target` and `--feature-columns`) or NPY arrays, and how the features are scaled and weighted.
struct TabularOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        The target column(s) of a --csv file with a header row, by name (comma-separated for several regression \
        targets). Classification labels may be any text.
        """, valueName: "names"))
    var target: String?

    @Option(help: ArgumentHelp("The feature columns of a --csv table, by name (default: every other column).", valueName: "names"))
    var featureColumns: String?

    @Flag(help: "The --csv file has a header row naming its columns (implied by --target and --feature-columns).")
    var header = false

    @Option(help: ArgumentHelp("An NPY array of features (samples × features; float32/64, integers or uint8, C order).", valueName: "file.npy"))
    var features: String?

    @Option(help: ArgumentHelp("An NPY array of targets to go with --features: class labels (integers) or values.", valueName: "file.npy"))
    var targets: String?

    @Option(help: ArgumentHelp("An NPY array of test features.", valueName: "file.npy"))
    var testFeatures: String?

    @Option(help: ArgumentHelp("An NPY array of test targets.", valueName: "file.npy"))
    var testTargets: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Without a test file, hold out this fraction of the table's rows as the test set, drawn with --seed \
        (per class for classification). (default: 0.2)
        """, valueName: "fraction"))
    var testFraction: Double?

    @Flag(help: """
        Standardize each feature with the mean and standard deviation of the training rows; the scaling is \
        saved in the model and applied by predict, evaluate, the C API and the ONNX export.
        """)
    var standardize = false

    @Option(help: ArgumentHelp("""
        Per-row sample weights: a column of the --csv table, by name, or an NPY file with one weight per row. \
        Each row's loss term is scaled by its weight.
        """, valueName: "column|file.npy"))
    var sampleWeight: String?

    @Option(help: ArgumentHelp("""
        Class weights for classification: 'balanced' (n_samples / (n_classes × count), as scikit-learn) or a CSV \
        file of label,weight lines.
        """, valueName: "balanced|file"))
    var classWeight: String?

    /// Whether these options ask for tabular data.
    var isTabular: Bool { target != nil || featureColumns != nil || header || features != nil }

    func validate() throws {
        if targets != nil && features == nil { throw ValidationError("--targets needs --features") }
        if testFeatures != nil && features == nil { throw ValidationError("--test-features needs --features") }
        if testTargets != nil && testFeatures == nil { throw ValidationError("--test-targets needs --test-features") }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction must be between 0 and 1, exclusive, got \(testFraction)")
        }
    }

    /// Names from a comma-separated option, trimmed, none empty.
    static func names(_ text: String, option: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains("") else { throw ValidationError("\(option) must be column names separated by commas, got '\(text)'") }
        return names
    }

    /// The training and test tables for `task`: from the `csv` table (and `testCsv`, or a held-out
    /// share) or from the NPY arrays.
    func load(task: ModelTask, csv: String?, testCsv: String?, seed: UInt64) throws -> (training: TabularData, test: TabularData) {
        let targetNames = try target.map { try Self.names($0, option: "--target") } ?? []
        switch task {
        case .classify:
            if features == nil && targetNames.count != 1 { throw ValidationError("--task classify needs one --target column") }
            if features != nil && targets == nil { throw ValidationError("--task classify needs --targets with --features") }
        case .regress:
            if features == nil && targetNames.isEmpty { throw ValidationError("--task regress needs --target (one or more columns)") }
            if features != nil && targets == nil { throw ValidationError("--task regress needs --targets with --features") }
        case .autoencode:
            if !targetNames.isEmpty || targets != nil { throw ValidationError("--task autoencode learns its inputs: give no --target or --targets") }
        }
        let kind: TabularData.TargetKind = task == .regress ? .values : .labels
        var training: TabularData, test: TabularData?
        if let features {
            if csv != nil { throw ValidationError("--features and --csv cannot be used together") }
            training = try Self.npyTable(features: features, targets: targets, kind: kind, name: "training")
            if let testFeatures {
                if task != .autoencode && testTargets == nil { throw ValidationError("--test-features needs --test-targets for --task \(task.rawValue)") }
                test = try Self.npyTable(features: testFeatures, targets: testTargets, kind: kind, name: "test")
            }
            if let sampleWeight {
                guard sampleWeight.hasSuffix(".npy") else {
                    throw ValidationError("--sample-weight with --features must be an .npy file, got '\(sampleWeight)'")
                }
                training = training.weighted(try Self.npyWeights(sampleWeight, rows: training.sampleCount))
            }
        } else if let csv {
            let featureNames = try featureColumns.map { try Self.names($0, option: "--feature-columns") }
            let weightColumn = sampleWeight.flatMap { $0.hasSuffix(".npy") ? nil : $0 }
            let reader = TabularCSVReader(targetColumns: targetNames, targetKind: kind, featureColumns: featureNames,
                                        weightColumn: weightColumn)
            training = try reader.read(at: csv)
            if let sampleWeight, sampleWeight.hasSuffix(".npy") {
                training = training.weighted(try Self.npyWeights(sampleWeight, rows: training.sampleCount))
            }
            if let testCsv {
                let testReader = TabularCSVReader(targetColumns: targetNames, targetKind: kind, featureColumns: training.featureNames)
                test = try testReader.read(at: testCsv)
            }
        } else {
            throw ValidationError("tabular data needs --csv FILE (with a header row) or --features FILE.npy")
        }
        try training.checkFiniteFeatures()
        if let weights = training.sampleWeights, let bad = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw ValidationError("--sample-weight: the weight of row \(bad + 1) is \(weights[bad]); weights must be finite and non-negative")
        }
        if let test {
            guard test.featureCount == training.featureCount else {
                throw ValidationError("the test set has \(test.featureCount) features, the training set \(training.featureCount)")
            }
            try test.checkFiniteFeatures()
            training.name = "training"
            return (training, test)
        }
        let split = try training.split(testFraction: testFraction ?? 0.2, seed: seed)
        return (split.training, split.test)
    }

    /// A table over the NPY `features`, with the NPY `targets` read as `kind`.
    static func npyTable(features: String, targets: String?, kind: TabularData.TargetKind, name: String) throws -> TabularData {
        let array = try NPYArray(path: features)
        guard let targets else { return TabularData(name: name, array: array) }
        let values = try NPYArray(path: targets)
        guard values.rowCount == array.rowCount else {
            throw ValidationError("\(targets) holds \(values.rowCount) rows, \(features) \(array.rowCount)")
        }
        switch kind {
        case .labels:
            guard values.columnCount == 1 else {
                throw ValidationError("\(targets): classification takes one label per row, the array has \(values.columnCount) columns")
            }
            var labels = [String]()
            labels.reserveCapacity(values.rowCount)
            for row in 0..<values.rowCount {
                let value = values.value(row: row, column: 0)
                guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
                    throw ValidationError("\(targets): label \(value) of row \(row + 1) is not a whole number; use --task regress for values")
                }
                labels.append(String(Int64(value)))
            }
            return TabularData(name: name, array: array, targetNames: ["y"], targets: .labels(labels))
        case .values:
            var elements = [Float](repeating: 0, count: values.rowCount * values.columnCount)
            elements.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<values.rowCount { values.copyRow(row, into: buffer.baseAddress! + row * values.columnCount) }
            }
            if let bad = elements.firstIndex(where: { !$0.isFinite }) {
                throw ValidationError("\(targets): target \(bad % values.columnCount + 1) of row \(bad / values.columnCount + 1) is not a finite number")
            }
            let names = values.dimensionCount == 1 ? ["y"] : (0..<values.columnCount).map { "y\($0)" }
            return TabularData(name: name, array: array, targetNames: names, targets: .values(elements))
        }
    }

    /// One weight per row from a one-dimensional NPY file.
    static func npyWeights(_ path: String, rows: Int) throws -> [Float] {
        let array = try NPYArray(path: path)
        guard array.columnCount == 1, array.rowCount == rows else {
            throw ValidationError("\(path): \(array.rowCount)×\(array.columnCount) sample weights for \(rows) rows; one per row is needed")
        }
        return (0..<rows).map { Float(array.value(row: $0, column: 0)) }
    }
}
