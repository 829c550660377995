/// A file a dataset is made of: its name (without `.gz`) and the SHA-256 of its uncompressed content.
public struct ExpectedFile: Sendable, Equatable, Hashable, Codable {
    /// The file name without `.gz`, such as `train-images-idx3-ubyte`.
    public var name: String
    /// The SHA-256 of the decompressed content, 64 lowercase hexadecimal digits.
    public var sha256: String

    /// A file called `name` whose decompressed content has the SHA-256 `sha256` (hexadecimal).
    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256.lowercased()
    }
}
