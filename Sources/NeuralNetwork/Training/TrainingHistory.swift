/// Why a training run ended.
public enum StopReason: String, Sendable, Hashable, Codable {
    /// `maxEpochs` epochs ran (scikit-learn would warn that the optimiser did not converge).
    case maxEpochs = "max-epochs"
    /// More than `epochsWithoutImprovement` consecutive epochs improved by less than the tolerance.
    case noImprovement = "no-improvement"
    /// The adaptive schedule would have lowered the learning rate below 10⁻⁶.
    case learningRateTooSmall = "learning-rate-too-small"
    /// One epoch of `partialFit` ran.
    case partialFit = "partial-fit"
    /// A ``StopSignal`` stopped the run between two batches; a checkpoint can resume it.
    case interrupted
}

/// What a model's training runs learned, epoch by epoch (scikit-learn's `loss_curve_`,
/// `validation_scores_`, `best_validation_score_`, `n_iter_`, …). `partialFit` appends to it;
/// `fit` starts a new one.
public struct TrainingHistory: Sendable, Hashable, Codable {
    /// The mean training loss of each epoch, including the L2 term: `Σ_batches n_b · L_b / n`.
    public var lossCurve: [Double] = []
    /// A classifier's accuracy on the training batches of each epoch, counted as the batches were
    /// processed (while the weights changed), so it costs no extra pass.
    public var trainingAccuracyCurve: [Double] = []
    /// The mean loss on the validation data after each epoch (without the L2 term).
    public var validationLossCurve: [Double] = []
    /// A classifier's accuracy on the validation data after each epoch.
    public var validationAccuracyCurve: [Double] = []
    /// The early-stopping score after each epoch: accuracy for a classifier, R² for a regressor,
    /// the negated validation loss for an autoencoder.
    public var validationScores: [Double] = []
    /// The best of ``validationScores``; with early stopping the parameters of that epoch are kept.
    public var bestValidationScore: Double?
    /// The epoch (1-based) with ``bestValidationScore``.
    public var bestValidationEpoch: Int?
    /// The lowest of ``lossCurve``.
    public var bestLoss: Double?
    /// The learning rate used in each epoch.
    public var learningRates: [Double] = []
    /// The wall-clock seconds of each epoch, validation included.
    public var secondsPerEpoch: [Double] = []
    /// With several processes, the seconds of each epoch spent in collective operations between
    /// them (exchanging gradients and loss sums, and waiting for the slowest rank); empty for one.
    public var communicationSecondsPerEpoch: [Double] = []
    /// Training samples processed so far (scikit-learn's `t_`).
    public var samplesSeen: Int = 0
    /// Why the last run ended.
    public var stopReason: StopReason?
    /// OpenBLAS's configuration string (`openblas_get_config()`, which names its kernel, such as
    /// `Zen` or `Cooperlake`) during the last run. The same seed, threads and parallelism give
    /// bit-identical weights only with the same kernel; another kernel rounds differently.
    public var blasConfiguration: String?
    /// The instruction set our own kernels ran during the last run (`KernelPath`: `baseline`,
    /// `avx2` or `avx512`). Like the BLAS kernel, another path rounds the sparse products differently.
    public var kernelPath: String?

    public init() {}

    /// The number of epochs run (scikit-learn's `n_iter_`).
    public var epochsRun: Int { lossCurve.count }
    /// The last epoch's training loss.
    public var finalLoss: Double? { lossCurve.last }
    /// Whether the last run stopped for a reason other than reaching `maxEpochs`.
    public var converged: Bool { stopReason != nil && stopReason != .maxEpochs && stopReason != .interrupted }
}

/// One finished epoch, as passed to a progress callback.
public struct EpochReport: Sendable, Hashable {
    /// The epoch number within the model's history, 1-based.
    public var epoch: Int
    /// The epochs this run may take at most.
    public var maxEpochs: Int
    /// The mean training loss of the epoch.
    public var loss: Double
    /// A classifier's running training accuracy over the epoch's batches.
    public var trainingAccuracy: Double?
    /// The validation loss, when there is validation data.
    public var validationLoss: Double?
    /// A classifier's validation accuracy.
    public var validationAccuracy: Double?
    /// The early-stopping score (see ``TrainingHistory/validationScores``).
    public var validationScore: Double?
    /// The learning rate used in the epoch.
    public var learningRate: Double
    /// The epoch's wall-clock seconds.
    public var seconds: Double
}

extension TrainingHistory {
    enum CodingKeys: String, CodingKey {
        case lossCurve, trainingAccuracyCurve, validationLossCurve, validationAccuracyCurve, validationScores
        case bestValidationScore, bestValidationEpoch, bestLoss, learningRates, secondsPerEpoch
        case communicationSecondsPerEpoch, samplesSeen, stopReason, blasConfiguration, kernelPath
    }

    /// Decodes a history; a missing field keeps its default, so files written before it existed load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        try c.decode(.lossCurve, ifPresentInto: &lossCurve)
        try c.decode(.trainingAccuracyCurve, ifPresentInto: &trainingAccuracyCurve)
        try c.decode(.validationLossCurve, ifPresentInto: &validationLossCurve)
        try c.decode(.validationAccuracyCurve, ifPresentInto: &validationAccuracyCurve)
        try c.decode(.validationScores, ifPresentInto: &validationScores)
        bestValidationScore = try c.decodeIfPresent(Double.self, forKey: .bestValidationScore)
        bestValidationEpoch = try c.decodeIfPresent(Int.self, forKey: .bestValidationEpoch)
        bestLoss = try c.decodeIfPresent(Double.self, forKey: .bestLoss)
        try c.decode(.learningRates, ifPresentInto: &learningRates)
        try c.decode(.secondsPerEpoch, ifPresentInto: &secondsPerEpoch)
        try c.decode(.communicationSecondsPerEpoch, ifPresentInto: &communicationSecondsPerEpoch)
        try c.decode(.samplesSeen, ifPresentInto: &samplesSeen)
        stopReason = try c.decodeIfPresent(StopReason.self, forKey: .stopReason)
        blasConfiguration = try c.decodeIfPresent(String.self, forKey: .blasConfiguration)
        kernelPath = try c.decodeIfPresent(String.self, forKey: .kernelPath)
    }
}
