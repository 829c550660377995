/// A user's mistake or a failed training run, reported by the neural-network target.
///
/// Every case prints as one clear line (``description``), so a command-line tool can show it and
/// exit non-zero. Programmer's mistakes (mismatched shapes) are preconditions instead.
public enum NeuralNetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A name (of an activation, initialisation, optimiser, schedule, …) that is not known.
    case unknownName(kind: String, name: String, validNames: [String])
    /// A configuration value outside its allowed range, for example a negative learning rate.
    case invalidConfiguration(parameter: String, value: String, requirement: String)
    /// Training or validation data that cannot be used (no samples, an unknown label, …).
    case invalidData(String)
    /// The training loss became NaN or infinite.
    case diverged(epoch: Int, batch: Int, loss: Float, learningRate: Double)
    /// A collective operation between the processes of a distributed run failed, or the
    /// processes disagree (on the configuration, the data or an error one of them met).
    case distributed(String)
    /// A checkpoint could not be written.
    case cannotWriteCheckpoint(String)
    /// A run cannot resume from a checkpoint: other data, a changed configuration, a checkpoint
    /// of another kind of model or of a finished `partialFit` series.
    case cannotResume(String)
    /// What training would allocate does not fit in the memory this process may use.
    case insufficientMemory(String)
    /// The network's output for a sample is NaN or infinite (its weights overflow on that input).
    case nonFiniteOutput(row: Int)

    public var description: String {
        switch self {
        case .unknownName(let kind, let name, let validNames):
            return "unknown \(kind) '\(name)'; valid choices: \(validNames.joined(separator: ", "))"
        case .invalidConfiguration(let parameter, let value, let requirement):
            return "invalid configuration: \(parameter) = \(value); \(requirement)"
        case .invalidData(let message):
            return "invalid data: \(message)"
        case .diverged(let epoch, let batch, let loss, let learningRate):
            return "training diverged in epoch \(epoch) (batch \(batch)): the loss became \(loss); "
                + "try a lower learning rate than \(learningRate), or set a gradient clip norm"
        case .distributed(let message):
            return "distributed training: \(message)"
        case .cannotWriteCheckpoint(let message):
            return "cannot write the checkpoint: \(message)"
        case .cannotResume(let message):
            return "cannot resume: \(message)"
        case .insufficientMemory(let message):
            return "not enough memory: \(message)"
        case .nonFiniteOutput(let row):
            return "the model's output for sample \(row) is not finite (its weights overflow on that input); no result was written"
        }
    }
}
