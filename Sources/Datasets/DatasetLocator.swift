#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the directory that holds a named dataset's four IDX files (each raw or `.gz`).
///
/// The places are searched in this order, and the first that holds all four files wins:
/// 1. the explicit directory (`--data-dir`), if one is given; then nothing else is searched;
/// 2. the directory named by the environment variable (`MNIST_DIR`, `FASHION_MNIST_DIR`);
/// 3. `data/<name>` in the current directory;
/// 4. the system directories (Debian's `/usr/share/datasets/fashion-mnist` for Fashion-MNIST).
///
/// The environment, the current directory and the system directories are injected, so tests can
/// check the order without touching the real ones.
public struct DatasetLocator: Sendable {
    /// A place that was searched, and why.
    public struct Place: Sendable, Equatable {
        /// Why this place is searched.
        public enum Origin: Sendable, Equatable {
            /// Given explicitly (`--data-dir`).
            case explicit
            /// Named by this environment variable.
            case environment(String)
            /// `data/<name>` under the current directory.
            case workingDirectory
            /// Installed by the system's package manager.
            case system
        }

        /// The directory.
        public var directory: String
        /// Why it is searched.
        public var origin: Origin

        /// The place as a person would describe it: `MNIST_DIR=/data/mnist`, `./data/mnist`, ….
        public var label: String {
            switch origin {
            case .explicit: return "--data-dir \(directory)"
            case .environment(let variable): return "\(variable)=\(directory)"
            case .workingDirectory, .system: return directory
            }
        }
    }

    /// The environment variables consulted.
    public var environment: [String: String]
    /// The directory that relative paths and `data/<name>` are resolved against.
    public var currentDirectory: String
    /// The system directories of each dataset, searched last.
    public var systemDirectories: [NamedDataset: [String]]

    /// A locator over the given environment, current directory and system directories (by
    /// default, each dataset's ``NamedDataset/systemDirectories``).
    public init(
        environment: [String: String], currentDirectory: String,
        systemDirectories: [NamedDataset: [String]] = DatasetLocator.defaultSystemDirectories
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.systemDirectories = systemDirectories
    }

    /// Each dataset's ``NamedDataset/systemDirectories``.
    public static var defaultSystemDirectories: [NamedDataset: [String]] {
        Dictionary(uniqueKeysWithValues: NamedDataset.allCases.map { ($0, $0.systemDirectories) })
    }

    /// A locator over this process's environment and current directory.
    public static var current: DatasetLocator {
        var environment: [String: String] = [:]
        for dataset in NamedDataset.allCases {
            if let value = getenv(dataset.environmentVariable) {
                environment[dataset.environmentVariable] = String(cString: value)
            }
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let directory = getcwd(&buffer, buffer.count) != nil
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "."
        return DatasetLocator(environment: environment, currentDirectory: directory)
    }

    /// The places searched for `dataset`, in order: only `explicitDirectory` when it is given.
    public func places(for dataset: NamedDataset, explicitDirectory: String? = nil) -> [Place] {
        if let explicitDirectory {
            return [Place(directory: explicitDirectory, origin: .explicit)]
        }
        var places: [Place] = []
        if let value = environment[dataset.environmentVariable], !value.isEmpty {
            places.append(Place(directory: value, origin: .environment(dataset.environmentVariable)))
        }
        places.append(Place(directory: "./data/\(dataset.rawValue)", origin: .workingDirectory))
        for directory in systemDirectories[dataset] ?? [] {
            places.append(Place(directory: directory, origin: .system))
        }
        return places
    }

    /// The first place that holds all four files of `dataset`.
    /// - Throws: ``DatasetError/datasetNotFound(dataset:searched:remedies:)`` listing every place
    ///   searched, and what was missing there, and how to get the dataset.
    public func locate(_ dataset: NamedDataset, explicitDirectory: String? = nil) throws(DatasetError) -> DatasetLocation {
        var searched: [String] = []
        for place in places(for: dataset, explicitDirectory: explicitDirectory) {
            let directory = resolve(place.directory)
            switch DatasetFile.kind(of: directory) {
            case .missing:
                searched.append("\(place.label) (no such directory)")
                continue
            case .other:
                break
            case .file:
                searched.append("\(place.label) (a file, not a directory)")
                continue
            }
            var files: [String: String] = [:]
            var missing: [String] = []
            for file in dataset.files {
                if let path = DatasetLocator.existingFile(named: file.name, in: directory) {
                    files[file.name] = path
                } else {
                    missing.append(file.name + "[.gz]")
                }
            }
            if missing.isEmpty {
                return DatasetLocation(dataset: dataset, directory: directory, place: place, files: files)
            }
            let what = missing.count == dataset.files.count
                ? "none of the \(missing.count) files" : "missing " + missing.joined(separator: ", ")
            searched.append("\(place.label) (\(what))")
        }
        throw .datasetNotFound(dataset: dataset.displayName, searched: searched, remedies: dataset.remedies)
    }

    /// `directory/name` if that is a file, else `directory/name.gz` if that is, else nil.
    static func existingFile(named name: String, in directory: String) -> String? {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if DatasetFile.kind(of: base) == .file { return base }
        if DatasetFile.kind(of: base + ".gz") == .file { return base + ".gz" }
        return nil
    }

    /// `path`, resolved against ``currentDirectory`` when it is relative.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        if relative.isEmpty || relative == "." { return currentDirectory }
        return currentDirectory.hasSuffix("/") ? currentDirectory + relative : currentDirectory + "/" + relative
    }
}
