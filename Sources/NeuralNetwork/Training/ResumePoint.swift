import MLPCore

/// Where a run stood inside an epoch when it stopped between two batches: the batches done and
/// their sums so far, so that the resumed epoch ends with the same record as one never stopped.
struct EpochProgress: Sendable, Hashable, Codable {
    /// Samples of the epoch's shuffled order already trained on.
    var samplesDone: Int
    /// Batches already trained on.
    var batchesDone: Int
    /// The done batches' summed loss (each batch's mean with the L2 term, times its rows, or with
    /// sample weights times its weights' sum).
    var lossSum: Double
    /// The done batches' correct count (classifiers).
    var correct: Int
    /// The epoch's learning rate.
    var learningRate: Double
    /// Seconds spent in the epoch so far, and in collective operations among them.
    var seconds: Double
    var communicationSeconds: Double
}

/// Everything a run's next batch depends on besides the network's parameters, the configuration
/// and the history: what ``TrainingCheckpoint`` saves and a resumed run restores.
struct ResumePoint: Sendable {
    /// The run's configuration.
    var configuration: TrainingConfiguration
    /// The optimiser's state, the stopping rule's count and the shuffling generator.
    var trainer: TrainerState
    /// The parameters the run continues from (the network's, except after early stopping
    /// restored its best epoch's).
    var parameters: [Float]
    /// Early stopping's best parameters so far.
    var bestParameters: [Float]?
    /// Where the run stopped inside an epoch, if it did.
    var epochInProgress: EpochProgress?
    /// The training data the run used (computed only when the run checkpoints, resumes or is
    /// distributed: hashing the data costs a pass over it).
    var data: DataFingerprint?
    /// Whether the run was a `fit` (which a resumed `fit` continues), not `partialFit` calls.
    var continuesFit: Bool
}
