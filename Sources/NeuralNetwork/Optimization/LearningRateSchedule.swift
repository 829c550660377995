import Foundation

/// How the learning rate η changes between epochs (scikit-learn's `learning_rate`).
///
/// The rate is constant within an epoch and updated after it. scikit-learn applies schedules to
/// SGD only; here they apply to Adam as well (Adam's own step size still scales the result).
public enum LearningRateSchedule: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// `η = η₀` throughout.
    case constant
    /// Inverse scaling: after each epoch `η = η₀ / (t + 1)^powerT`, where `t` is the number of
    /// training samples seen so far (scikit-learn's `t_`).
    case inverseScaling = "invscaling"
    /// `η` stays `η₀` while the training loss (the validation score with early stopping) keeps
    /// improving by at least `tolerance`; after ``TrainingConfiguration/adaptivePatience``
    /// consecutive epochs (2, as scikit-learn documents it) that fail to, `η ← η / 5`. This
    /// replaces stopping on no improvement: training ends when `η` would have to fall from at
    /// most 10⁻⁶ (or at `maxEpochs`).
    case adaptive

    public static let choiceKind = "learning-rate schedule"
    public static let aliases: [String: LearningRateSchedule] = ["inversescaling": .inverseScaling]

    /// The inverse-scaling rate `η₀ / (t + 1)^powerT` after `samplesSeen = t` samples.
    public static func inverseScalingRate(initial: Double, powerT: Double, samplesSeen: Int) -> Double {
        initial / pow(Double(samplesSeen) + 1, powerT)
    }

    /// The smallest rate the adaptive schedule divides further (scikit-learn's 1e-6).
    public static let adaptiveFloor = 1e-6
}
