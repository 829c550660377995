/// What one training step measured.
struct StepOutcome {
    /// The per-sample losses of the batch, summed (without the L2 term).
    var lossSum: Double
    /// The correctly classified samples of the batch (classifiers).
    var correct: Int
    /// The batch's mean loss with the L2 term, `Σℓ / n + α / (2n) · Σ‖W‖²` (see ``L2Penalty``).
    var loss: Double
    /// What the batch's loss sum was divided by: its rows, or its sample weights' sum.
    var normalizer: Double
    /// `‖g‖₂` of the reduced gradient before clipping (only when clipping).
    var gradientNorm: Double?
    /// Whether a stop was requested during the step (on any rank, with several processes).
    var stopRequested = false

    /// Whether the step stayed finite: the loss and, with clipping, the gradient norm.
    var isFinite: Bool { loss.isFinite && (gradientNorm?.isFinite ?? true) }
}

extension Trainer {
    /// One training step on the batch `indices` of `set`: the single step that `fit`,
    /// `partialFit` and ``BatchTrainer`` all take.
    ///
    /// 1. **Gradient**: each worker loads its contiguous block of the batch and back-propagates it
    ///    into its own gradient vector (``batchGradient(_:indices:)``).
    /// 2. **Reduction**: the workers' gradients and loss sums are added in worker order, so the
    ///    sum does not depend on scheduling, and with several processes the ranks' through the
    ///    ``Communicator``, in rank order by default (``reduceAndUpdate(workersUsed:normalizer:)``).
    /// 3. **Update**: the L2 term `(α/n) · W` joins the reduced gradient, which is clipped to
    ///    ``TrainingConfiguration/gradientClipNorm`` when set, and the optimiser takes its step.
    ///
    /// Steps 2 and 3 run together, parameter range by parameter range on the update threads, so
    /// that each range stays in cache between its reduction and its update.
    ///
    /// Where it applies, the first layer's weight gradient is fused into its SGD step instead
    /// (see ``FusedFirstLayer``).
    func trainingStep(_ set: TrainingSet, indices: UnsafeBufferPointer<Int>) throws(NeuralNetworkError) -> StepOutcome {
        if usesFusedFirstLayer, set.mayFuseFirstLayer, let fused = fusedFirstLayer,
           let outcome = try fusedStep(fused, set, indices: indices) {
            return outcome
        }
        let normalizer = set.normalizer(of: indices)
        let (sums, workersUsed) = try batchGradient(set, indices: indices, normalizer: normalizer)
        let stopRequested = communicator.size > 1 ? stopRequestedOnAnyRank : stopSignal?.isRaised ?? false
        optimizer.beginStep()
        let update = try reduceAndUpdate(workersUsed: workersUsed, normalizer: normalizer)
        let loss = L2Penalty.loss(lossSum: sums.loss, normalizer: normalizer, alpha: configuration.alpha,
                                  squaredWeights: update.squaredWeights)
        return StepOutcome(lossSum: sums.loss, correct: sums.correct, loss: loss, normalizer: normalizer,
                           gradientNorm: update.gradientNorm, stopRequested: stopRequested)
    }
}
