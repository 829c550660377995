import Datasets
import LinearAlgebra
import Reporting

/// Fashion-MNIST (or MNIST) as sections C1–C5 use it: the training and test files, and the
/// contiguous split of the first training rows into training, validation and test parts.
public struct FashionData: Sendable {
    /// The dataset's name.
    public var named: NamedDataset
    /// The 60,000 training images.
    public var training: Dataset
    /// The 10,000 test images (used by C1 only; C2–C5 test on held-out training rows, as the original did).
    public var test: Dataset
    /// Rows `0..<n` for training, the next rows for validation and the next for test, never overlapping.
    public var split: DatasetSplit

    /// The part sizes: 8,000 / 1,000 / 1,000 rows, or 1,500 / 500 / 500 with `quick`.
    public static func partSizes(quick: Bool) -> (training: Int, validation: Int, test: Int) {
        quick ? (1_500, 500, 500) : (8_000, 1_000, 1_000)
    }

    /// Loads the dataset through the context's locator and makes the split.
    /// - Throws: `DatasetError` when the files are missing or damaged.
    public static func load(_ context: ExperimentContext, dataset: NamedDataset = .fashionMNIST) throws(DatasetError) -> FashionData {
        let directory = dataset == .mnist ? context.mnistDirectory : context.fashionDirectory
        let location = try context.locator.locate(dataset, explicitDirectory: directory)
        let training = try Dataset.load(dataset, part: .training, from: location)
        let test = try Dataset.load(dataset, part: .test, from: location)
        let sizes = partSizes(quick: context.quick)
        let split = try DatasetSplit.contiguous(
            sampleCount: training.sampleCount, trainingCount: sizes.training,
            validationCount: sizes.validation, testCount: sizes.test)
        return FashionData(named: dataset, training: training, test: test, split: split)
    }

    public init(named: NamedDataset, training: Dataset, test: Dataset, split: DatasetSplit) {
        self.named = named
        self.training = training
        self.test = test
        self.split = split
    }

    /// The training part as its own dataset.
    public var trainingPart: Dataset { training.subset(split.training, name: "training rows") }
    /// The validation part as its own dataset.
    public var validationPart: Dataset { training.subset(split.validation, name: "validation rows") }
    /// The test part as its own dataset.
    public var testPart: Dataset { training.subset(split.test, name: "test rows") }

    /// "rows 0–7,999 for training, 8,000–8,999 for validation, 9,000–9,999 for test (no overlap)".
    public var splitDescription: String {
        func range(_ indices: [Int]) -> String {
            guard let first = indices.first, let last = indices.last else { return "none" }
            return "\(NumberFormat.grouped(first))–\(NumberFormat.grouped(last))"
        }
        return "\(named.displayName) training file rows \(range(split.training)) for training (\(NumberFormat.grouped(split.training.count))), "
            + "\(range(split.validation)) for validation (\(NumberFormat.grouped(split.validation.count))) and "
            + "\(range(split.test)) for test (\(NumberFormat.grouped(split.test.count))), in file order and without overlap"
    }
}
