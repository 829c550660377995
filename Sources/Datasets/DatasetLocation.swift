/// Where a named dataset was found: its directory and the path of each of its four files.
public struct DatasetLocation: Sendable, Equatable {
    /// The dataset.
    public var dataset: NamedDataset
    /// The directory holding the files.
    public var directory: String
    /// The place of the search that matched.
    public var place: DatasetLocator.Place
    /// The path of each file, keyed by its name without `.gz` (the path may end in `.gz`).
    public var files: [String: String]

    /// A location whose `files` are keyed by name without `.gz`.
    public init(dataset: NamedDataset, directory: String, place: DatasetLocator.Place, files: [String: String]) {
        self.dataset = dataset
        self.directory = directory
        self.place = place
        self.files = files
    }

    /// The path of the images of `part`.
    public func imagesPath(of part: DatasetPart) -> String {
        files[part.imagesFileName] ?? directory + "/" + part.imagesFileName
    }

    /// The path of the labels of `part`.
    public func labelsPath(of part: DatasetPart) -> String {
        files[part.labelsFileName] ?? directory + "/" + part.labelsFileName
    }
}
