/// One fold of k-fold cross-validation: the samples to validate on, and all the others.
public struct CrossValidationFold: Sendable, Equatable, Codable {
    /// The fold's number, from 0.
    public var index: Int
    /// The samples of every other fold, sorted ascending.
    public var training: [Int]
    /// The samples of this fold, sorted ascending.
    public var validation: [Int]

    /// A fold with the given parts.
    public init(index: Int, training: [Int], validation: [Int]) {
        self.index = index
        self.training = training
        self.validation = validation
    }
}
