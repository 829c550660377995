/// A file a dataset is made of: its name (without `.gz`) and the SHA-256 of its uncompressed content.
public struct ExpectedFile: Sendable, Equatable, Hashable, Codable {
    /// The file name without `.gz`, such as `train-images-idx3-ubyte`.
    public var name: String
    /// The SHA-256 of the decompressed content, 64 lowercase hexadecimal digits.
    public var sha256: String
    /// The most bytes the file may have, compressed or not: a download or a decompression that
    /// passes it is cut off (64 MiB: MNIST's largest file has 47 MB).
    public var maximumSize: Int { 64 << 20 }

    /// A file called `name` whose decompressed content has the SHA-256 `sha256` (hexadecimal).
    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256.lowercased()
    }
}
