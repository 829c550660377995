import Datasets

/// The training, validation and test rows of a split as datasets, with their labels as `Int`s,
/// converted once rather than once per trained model.
public struct SplitParts: Sendable {
    public var training: Dataset, validation: Dataset, test: Dataset
    public var trainingLabels: [Int], validationLabels: [Int], testLabels: [Int]

    public init(training: Dataset, validation: Dataset, test: Dataset) {
        self.training = training
        self.validation = validation
        self.test = test
        trainingLabels = training.integerLabels
        validationLabels = validation.integerLabels
        testLabels = test.integerLabels
    }
}

extension FashionData {
    /// The training, validation and test parts, with their labels.
    public var parts: SplitParts { SplitParts(training: trainingPart, validation: validationPart, test: testPart) }
}
