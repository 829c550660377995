import ArgumentParser
import Datasets

/// The options that choose a dataset: a named one (looked up like `mlp data info` does) or CSV files.
struct DatasetOptions: ParsableArguments {
    @Option(help: "The named dataset (default: fashion-mnist).")
    var dataset: NamedDataset?

    @Option(help: ArgumentHelp("The directory holding the dataset's four IDX files (.gz or raw).", valueName: "dir"))
    var dataDir: String?

    @Option(help: ArgumentHelp("A training CSV file (label,pixel1,…,pixel784) instead of a named dataset.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("A test CSV file to go with --csv.", valueName: "file"))
    var testCsv: String?

    func validate() throws {
        if csv != nil && dataDir != nil { throw ValidationError("--csv and --data-dir cannot be used together.") }
        if testCsv != nil && csv == nil { throw ValidationError("--test-csv needs --csv.") }
    }

    /// For a command that needs the test part: checks that --csv comes with --test-csv.
    func validateTestSet() throws {
        if csv != nil && testCsv == nil { throw ValidationError(Self.missingTestSet) }
    }

    static let missingTestSet = "this command needs a test set: pass --test-csv with --csv."

    /// The class names: the named dataset's, else the label numbers.
    var classNames: [String] { (dataset ?? (csv == nil ? .fashionMNIST : nil))?.classNames ?? Dataset.numericClassNames(10) }

    /// A short description of where the data came from.
    var sourceDescription: String {
        if let csv { return testCsv.map { "\(csv) + \($0)" } ?? csv }
        return (dataset ?? .fashionMNIST).displayName
    }

    /// Loads the training part, or the test part, of the chosen dataset.
    func load(_ part: DatasetPart) async throws -> Dataset {
        if let csv {
            let reader = CSVDatasetReader(classNames: classNames)
            switch part {
            case .training: return try reader.read(at: csv, name: "training")
            case .test:
                guard let testCsv else { throw ValidationError(Self.missingTestSet) }
                return try reader.read(at: testCsv, name: "test")
            }
        }
        let named = dataset ?? .fashionMNIST
        let location = try DatasetLocator.current.locate(named, explicitDirectory: dataDir)
        return try Dataset.load(named, part: part, from: location)
    }
}
