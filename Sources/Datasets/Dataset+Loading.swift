import MLPCore

extension Dataset {
    /// Reads an IDX image file (magic 2051) and an IDX label file (magic 2049), each raw or gzip.
    /// - Throws: the errors of ``IDXFile/read(at:expecting:)``, and
    ///   ``DatasetError/countMismatch(imagesSource:imageCount:labelsSource:labelCount:)`` or
    ///   ``DatasetError/labelOutOfRange(source:sampleIndex:label:classCount:)``.
    public static func loadIDX(
        imagesPath: String, labelsPath: String, classNames: [String], name: String? = nil,
        normalization: InputScaling = .unitInterval
    ) throws(DatasetError) -> Dataset {
        let images = try IDXFile.read(at: imagesPath, expecting: .images)
        let labels = try IDXFile.read(at: labelsPath, expecting: .labels)
        return try Dataset(
            name: name ?? imagesPath, pixels: images.data, labels: labels.data,
            imageHeight: images.dimensions[1], imageWidth: images.dimensions[2], classNames: classNames,
            normalization: normalization, imagesSource: imagesPath, labelsSource: labelsPath)
    }

    /// Reads the `part` of a named dataset from a location that ``DatasetLocator`` found.
    public static func load(
        _ dataset: NamedDataset, part: DatasetPart, from location: DatasetLocation,
        normalization: InputScaling = .unitInterval
    ) throws(DatasetError) -> Dataset {
        try loadIDX(
            imagesPath: location.imagesPath(of: part), labelsPath: location.labelsPath(of: part),
            classNames: dataset.classNames, name: "\(dataset.displayName) (\(part.rawValue))",
            normalization: normalization)
    }

    /// Finds a named dataset (see ``DatasetLocator``) and reads its `part`.
    /// - Throws: ``DatasetError/datasetNotFound(dataset:searched:remedies:)`` and the errors of
    ///   ``loadIDX(imagesPath:labelsPath:classNames:name:normalization:)``.
    public static func load(
        _ dataset: NamedDataset, part: DatasetPart, dataDirectory: String? = nil,
        locator: DatasetLocator = .current, normalization: InputScaling = .unitInterval
    ) throws(DatasetError) -> Dataset {
        let location = try locator.locate(dataset, explicitDirectory: dataDirectory)
        return try load(dataset, part: part, from: location, normalization: normalization)
    }
}
