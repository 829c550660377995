import ArgumentParser
import Datasets
import NeuralNetwork

// The libraries' enumerations as typed command-line values. Each one parses with the library's own
// `init(name:)`, so the accepted spellings (aliases, case, `-` and `_`) are the library's, and lists
// its canonical names in `allValueStrings`: `--help` shows them, and a bad value is a usage error
// (exit 64) that names them.

extension Activation: ExpressibleByArgument {
    /// Accepts the names of ``Activation/init(name:)``, including `leaky-relu(0.2)`.
    public init?(argument: String) { try? self.init(name: argument) }
    public static var allValueStrings: [String] { validNames }
    public var defaultValueDescription: String { name }
}

/// A library enumeration of named choices (see `NamedChoice`), as a command-line value: its
/// `init(name:)` also takes the aliases (`he` for `he-normal`, `openblas` for `blas`, …).
protocol NamedArgument: ExpressibleByArgument, NamedChoice {}

extension NamedArgument {
    public init?(argument: String) { try? self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}

extension Initialization: NamedArgument {}
extension Optimizer: NamedArgument {}
extension LearningRateSchedule: NamedArgument {}
extension Parallelism: NamedArgument {}
extension InputKernel: NamedArgument {}
extension GradientReduction: NamedArgument {}

extension NamedDataset: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}

/// Parses a `--seed`: a whole number from 0 to 2⁶⁴ − 1.
func parseSeed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
        throw ValidationError("the seed must be a non-negative integer (0 to \(UInt64.max))")
    }
    return seed
}
