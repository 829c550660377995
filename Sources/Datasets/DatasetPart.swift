/// The training or the test part of a dataset.
public enum DatasetPart: String, CaseIterable, Sendable, Codable {
    /// The 60,000 training samples (`train-*` files).
    case training
    /// The 10,000 test samples (`t10k-*` files).
    case test

    /// The file name of the images, without `.gz`.
    public var imagesFileName: String {
        self == .training ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"
    }

    /// The file name of the labels, without `.gz`.
    public var labelsFileName: String {
        self == .training ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte"
    }
}
