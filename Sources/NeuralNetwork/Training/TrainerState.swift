import MLPCore

/// What training carries from one run to the next (so that `partialFit` continues where the last
/// call stopped): the optimiser's state, the stopping rule's count of epochs without improvement
/// and the shuffling generator.
struct TrainerState: Sendable {
    var optimizer: OptimizerState
    var noImprovementCount = 0
    var shuffleGenerator: SeededGenerator

    init(configuration: TrainingConfiguration, parameterCount: Int, shuffleGenerator: SeededGenerator) {
        optimizer = OptimizerState(optimizer: configuration.optimizer, parameterCount: parameterCount,
                                   learningRate: configuration.learningRate(atEpoch: 0))
        self.shuffleGenerator = shuffleGenerator
    }
}

/// The validation score used for early stopping and for ``TrainingHistory/validationScores``.
enum ValidationScore: Sendable {
    /// The fraction of correctly classified samples.
    case accuracy
    /// R², `1 − SS_res / SS_tot` per output, averaged over outputs (scikit-learn's `r2_score`).
    case rSquared
    /// The negated validation loss.
    case negativeLoss
}
