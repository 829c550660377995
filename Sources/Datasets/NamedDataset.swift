/// The datasets this package knows by name: where they are usually found, where to download them,
/// their class names and the SHA-256 of each of their four files.
public enum NamedDataset: String, CaseIterable, Sendable, Codable {
    /// Handwritten digits, by Yann LeCun, Corinna Cortes and Christopher J. C. Burges (CC BY-SA 3.0).
    case mnist
    /// Zalando's article images, by Zalando Research (MIT).
    case fashionMNIST = "fashion-mnist"

    /// The name for people: "MNIST" or "Fashion-MNIST".
    public var displayName: String {
        switch self {
        case .mnist: return "MNIST"
        case .fashionMNIST: return "Fashion-MNIST"
        }
    }

    /// The class names in label order.
    public var classNames: [String] {
        switch self {
        case .mnist:
            return Dataset.numericClassNames(10)
        case .fashionMNIST:
            return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        }
    }

    /// The image height and width, 28×28 for both.
    public var imageShape: (height: Int, width: Int) { (28, 28) }

    /// The number of training and test samples (60,000 and 10,000 for both).
    public func sampleCount(of part: DatasetPart) -> Int { part == .training ? 60_000 : 10_000 }

    /// The environment variable that may name the dataset's directory.
    public var environmentVariable: String {
        switch self {
        case .mnist: return "MNIST_DIR"
        case .fashionMNIST: return "FASHION_MNIST_DIR"
        }
    }

    /// Directories installed by the system's package manager, searched last.
    public var systemDirectories: [String] {
        switch self {
        case .mnist: return []
        case .fashionMNIST: return ["/usr/share/datasets/fashion-mnist"]
        }
    }

    /// Where ``DatasetFetcher`` downloads the files from by default (ending in `/`).
    public var defaultBaseURL: String {
        switch self {
        case .mnist: return "https://ossci-datasets.s3.amazonaws.com/mnist/"
        case .fashionMNIST: return "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
        }
    }

    /// The four files, each with the SHA-256 of its decompressed content (mirrors recompress the
    /// `.gz` files, so only the decompressed bytes have a checksum that holds everywhere).
    public var files: [ExpectedFile] {
        let names = [
            DatasetPart.training.imagesFileName, DatasetPart.training.labelsFileName,
            DatasetPart.test.imagesFileName, DatasetPart.test.labelsFileName,
        ]
        let checksums: [String]
        switch self {
        case .mnist:
            checksums = [
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            ]
        case .fashionMNIST:
            checksums = [
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            ]
        }
        return zip(names, checksums).map { ExpectedFile(name: $0, sha256: $1) }
    }

    /// How to get the dataset, for the message when it is missing.
    public var remedies: [String] {
        var remedies = ["run `mlp data fetch \(rawValue)`"]
        if self == .fashionMNIST { remedies.append("`apt-get install dataset-fashion-mnist`") }
        remedies.append("set \(environmentVariable) to a directory holding the four files")
        return remedies
    }
}
