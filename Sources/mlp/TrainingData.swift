import ArgumentParser
import Datasets
import MLPCore

/// What `mlp train` learns from: labelled images, or a table (CSV with a header row, or NPY).
enum TrainingData {
    case images(training: Dataset, test: Dataset)
    /// `namesFromHeader`: the feature names came from a CSV header (NPY columns are only numbered).
    case table(training: TabularData, test: TabularData, namesFromHeader: Bool)

    var training: any FeatureSource {
        switch self {
        case .images(let training, _): return training
        case .table(let training, _, _): return training
        }
    }

    var test: any FeatureSource {
        switch self {
        case .images(_, let test): return test
        case .table(_, let test, _): return test
        }
    }

    var trainingTable: TabularData? { if case .table(let training, _, _) = self { return training } else { return nil } }
    var testTable: TabularData? { if case .table(_, let test, _) = self { return test } else { return nil } }

    /// What a row is, in messages.
    var rowNoun: String {
        if case .images = self { return "images" }
        return "rows"
    }

    /// The training rows described, as "Fashion-MNIST images" or "rows of data.csv".
    func description(images source: String) -> String {
        switch self {
        case .images: return "\(source) images"
        case .table(let training, _, _): return "rows of \(training.name) (\(training.featureCount) features)"
        }
    }

    /// The class of each training and test row, as integers, with the class names: the image
    /// labels, or a table's labels numbered in ``TabularData/classNames(of:)`` order. A test label the
    /// training rows lack is -1, which no prediction matches.
    func classLabels() throws -> (training: [Int], test: [Int], names: [String]) {
        switch self {
        case .images(let training, let test):
            return (training.integerLabels, test.integerLabels, training.classNames)
        case .table(let training, let test, _):
            guard let labels = training.labels, let testLabels = test.labels else {
                throw ValidationError("classification needs a label column (--target) or --targets")
            }
            let names = TabularData.classNames(of: labels)
            guard names.count >= 2 else {
                throw ValidationError("the training rows hold \(names.count) class; a classifier needs at least 2 "
                                      + "(use --task regress for numeric targets)")
            }
            guard names.count <= 65_536 else {
                throw ValidationError("the label column holds \(names.count) distinct values; "
                                      + "is it a numeric target? (use --task regress)")
            }
            var position = [String: Int]()
            for (index, name) in names.enumerated() { position[name] = index }
            return (labels.map { position[$0]! }, testLabels.map { position[$0] ?? -1 }, names)
        }
    }
}
