import ArgumentParser
import Datasets
import MLPCore
import Reporting

/// `mlp data`: inspect and fetch datasets.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect and fetch datasets.",
        subcommands: [DataInfoCommand.self, DataFetchCommand.self])
}

/// `mlp data info`: counts, image shape, class histogram and pixel statistics of a dataset.
struct DataInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the size, classes and pixel statistics of a dataset.",
        discussion: """
            A named dataset is looked for in --data-dir; else in the directory named by MNIST_DIR or \
            FASHION_MNIST_DIR; else in ./data/<name>; else (Fashion-MNIST) in /usr/share/datasets/fashion-mnist.
            """)

    @OptionGroup var data: DatasetOptions

    private var dataset: NamedDataset? { data.dataset }
    private var dataDir: String? { data.dataDir }
    private var csv: String? { data.csv }
    private var testCsv: String? { data.testCsv }

    func run() async throws {
        let started = MonotonicClock.seconds()
        let source: String
        let training: Dataset
        let test: Dataset?
        if let csv {
            // Class names come from --dataset when it is given, else they are the label numbers.
            let reader = CSVDatasetReader(classNames: dataset?.classNames ?? Dataset.numericClassNames(10))
            source = testCsv.map { "\(csv), \($0)" } ?? csv
            training = try reader.read(at: csv, name: "training")
            test = try testCsv.map { path throws(DatasetError) in try reader.read(at: path, name: "test") }
        } else {
            let named = dataset ?? .fashionMNIST
            let location = try DatasetLocator.current.locate(named, explicitDirectory: dataDir)
            source = "\(named.displayName) in \(location.directory)" + originNote(location.place.origin)
            async let loadedTraining = Dataset.load(named, part: .training, from: location)
            async let loadedTest = Dataset.load(named, part: .test, from: location)
            training = try await loadedTraining
            test = try await loadedTest
        }
        let parts = [("Training", training)] + (test.map { [("Test", $0)] } ?? [])
        let statistics = parts.map { $0.1.pixelStatistics() }
        let loadSeconds = MonotonicClock.seconds() - started

        print("Source  \(source)")
        print()
        var summary = Table(headers: [""] + parts.map(\.0), alignments: [.left] + parts.map { _ in .right })
        summary.addRow(["Images"] + parts.map { String($0.1.sampleCount) })
        summary.addRow(["Image shape"] + parts.map { "\($0.1.imageHeight)×\($0.1.imageWidth)" })
        summary.addRow(["Pixel mean (0–255)"] + statistics.map { NumberFormat.fixed($0.mean, decimals: 2) })
        summary.addRow(["Pixel std (0–255)"] + statistics.map { NumberFormat.fixed($0.standardDeviation, decimals: 2) })
        summary.addRow(["Pixel mean (/255)"] + statistics.map { NumberFormat.fixed($0.normalizedMean, decimals: 4) })
        summary.addRow(["Pixel std (/255)"] + statistics.map { NumberFormat.fixed($0.normalizedStandardDeviation, decimals: 4) })
        print(summary.plainText())

        // The class names are shown unless they are just the label numbers.
        let named = training.classNames != Dataset.numericClassNames(training.classCount)
        let histograms = parts.map { $0.1.classHistogram() }
        var classes = Table(headers: ["Label"] + (named ? ["Class"] : []) + parts.map(\.0),
                            alignments: [.left] + (named ? [.left] : []) + parts.map { _ in .right })
        for (label, name) in training.classNames.enumerated() {
            classes.addRow([String(label)] + (named ? [name] : []) + histograms.map { String($0[label]) })
        }
        classes.addRow((named ? ["", "Total"] : ["Total"]) + parts.map { String($0.1.sampleCount) })
        print(classes.plainText())
        print("Loaded in \(NumberFormat.fixed(loadSeconds, decimals: 2)) s")
    }

    private func originNote(_ origin: DatasetLocator.Place.Origin) -> String {
        switch origin {
        case .explicit: return ""
        case .environment(let variable): return " (from \(variable))"
        case .workingDirectory: return " (./data)"
        case .system: return " (system package)"
        }
    }
}

/// `mlp data fetch`: download a named dataset and verify it.
struct DataFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a dataset's four files and verify their SHA-256.",
        discussion: """
            Each file is checked against the published SHA-256 of its decompressed content and written \
            atomically, so a failed download leaves nothing behind. Files already present and correct are \
            not downloaded again.
            """)

    @Argument(help: "The dataset to fetch.")
    var dataset: NamedDataset

    @Option(help: ArgumentHelp("The directory to write to (default: ./data/<name>, where `mlp` looks).", valueName: "dir"))
    var to: String?

    @Option(help: ArgumentHelp("The mirror to download from (default: the dataset's usual mirror).", valueName: "url"))
    var baseUrl: String?

    @Option(parsing: .unconditional, help: "The longest wait for data from the server, in seconds.")
    var timeout: Double = 60

    func validate() throws {
        guard timeout > 0 && timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds.") }
    }

    func run() async throws {
        let directory = to ?? "./data/\(dataset.rawValue)"
        let fetcher = DatasetFetcher(dataset: dataset, baseURL: baseUrl, timeout: timeout)
        print("Fetching \(dataset.displayName) from \(fetcher.baseURL) into \(directory)")
        let fetched = try await fetcher.fetch(into: directory) { event in
            switch event {
            case .downloading(let file, _):
                print("  \(file): downloading…")
            case .finished(let result):
                let size = result.byteCount >= 1_000_000
                    ? NumberFormat.fixed(Double(result.byteCount) / 1_000_000, decimals: 1) + " MB"
                    : NumberFormat.fixed(Double(result.byteCount) / 1_000, decimals: 1) + " kB"
                let what = result.outcome == .downloaded ? "downloaded and verified" : "already present and verified"
                print("  \(result.file.name): \(what) (\(size)) → \(result.path)")
            }
        }
        let downloaded = fetched.filter { $0.outcome == .downloaded }.count
        print("Done: \(downloaded) downloaded, \(fetched.count - downloaded) already present.")
        if to != nil {
            print("Use it with --data-dir \(directory) or \(dataset.environmentVariable)=\(directory).")
        }
    }
}

/// Seconds on the monotonic clock.
