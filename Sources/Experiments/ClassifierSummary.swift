/// What one trained classifier scored, without the model: the losses and accuracies of the epoch
/// whose parameters were kept, the test accuracy, the curves, the epochs and the seconds.
///
/// A section's fits return it so that their results are plain values that can be gathered from
/// wherever the fits ran.
public struct ClassifierSummary: Sendable, Codable {
    /// The model's name, e.g. "relu / normal".
    public var name: String
    /// Training loss at the kept epoch; NaN when unknown.
    public var trainingLoss: Double
    /// Training accuracy at the kept epoch.
    public var trainingAccuracy: Double
    /// Validation loss at the kept epoch.
    public var validationLoss: Double
    /// Validation accuracy at the kept epoch.
    public var validationAccuracy: Double
    /// The accuracy on the test rows, or nil when training diverged and no model was kept.
    public var testAccuracy: Double?
    /// The number of epochs run.
    public var epochsRun: Int
    /// The epoch in which the loss became NaN or infinite, or nil.
    public var divergedEpoch: Int?
    /// Whether training ended by itself (no improvement) rather than at the epoch cap.
    public var converged: Bool
    /// Wall-clock seconds of training.
    public var seconds: Double
    /// Training loss per epoch.
    public var trainingLossCurve: [Double]
    /// Validation loss per epoch.
    public var validationLossCurve: [Double]
}

extension ClassifierRun {
    /// The run's scores, with `testAccuracy` measured on its model (nil without one).
    public func summary(testAccuracy: Double?) -> ClassifierSummary {
        ClassifierSummary(
            name: name, trainingLoss: atKeptEpoch(trainingLoss), trainingAccuracy: atKeptEpoch(trainingAccuracy),
            validationLoss: atKeptEpoch(validationLoss), validationAccuracy: atKeptEpoch(validationAccuracy),
            testAccuracy: testAccuracy, epochsRun: epochsRun, divergedEpoch: divergedEpoch, converged: converged,
            seconds: seconds, trainingLossCurve: trainingLoss, validationLossCurve: validationLoss)
    }
}

extension ClassifierSummary {
    /// The name and both loss curves, as ``LossCurves`` draws them.
    var curves: (name: String, training: [Double], validation: [Double]) {
        (name, trainingLossCurve, validationLossCurve)
    }
}
