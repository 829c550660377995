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
    /// Cosine annealing (PyTorch's `CosineAnnealingLR`, closed form): epoch `t` after the warm-up
    /// runs at `η_min + (η₀ − η_min) · (1 + cos(π t / T)) / 2`, where
    /// `T = (scheduleEpochs ?? maxEpochs) − warmupEpochs` (at least 1) and η_min is
    /// ``TrainingConfiguration/minimumLearningRate``; from `t = T` on, η stays η_min.
    case cosine
    /// Step decay (PyTorch's `StepLR`): epoch `t` after the warm-up runs at
    /// `η₀ · γ^⌊t / stepSize⌋`, with γ = ``TrainingConfiguration/stepFactor``.
    case step

    public static let choiceKind = "learning-rate schedule"
    public static let aliases: [String: LearningRateSchedule] = ["inversescaling": .inverseScaling]

    /// The inverse-scaling rate `η₀ / (t + 1)^powerT` after `samplesSeen = t` samples.
    public static func inverseScalingRate(initial: Double, powerT: Double, samplesSeen: Int) -> Double {
        initial / pow(Double(samplesSeen) + 1, powerT)
    }

    /// Whether the rate is a pure function of the epoch count (constant, cosine and step), which
    /// warm-up needs; the inverse-scaling and adaptive rates depend on the samples seen and the
    /// losses.
    public var isEpochFunction: Bool {
        switch self {
        case .constant, .cosine, .step: return true
        case .inverseScaling, .adaptive: return false
        }
    }

    /// The smallest rate the adaptive schedule divides further (scikit-learn's 1e-6).
    public static let adaptiveFloor = 1e-6
}

extension TrainingConfiguration {
    /// The learning rate of epoch `epoch` (0 for the first) under a schedule that is a pure
    /// function of the epoch (``LearningRateSchedule/isEpochFunction``), warm-up included:
    /// `η₀ · (e + 1) / (W + 1)` for `e < W = warmupEpochs`, then, with `t = e − W`, η₀ (constant),
    /// `η_min + (η₀ − η_min)(1 + cos(π t / T)) / 2` (cosine) or `η₀ · γ^⌊t / stepSize⌋` (step).
    /// The inverse-scaling and adaptive schedules start at η₀ (their later rates depend on more
    /// than the epoch). The optimiser sets its rate from this after every epoch, so a resumed run
    /// recomputes the same rates from its saved epoch count.
    public func learningRate(atEpoch epoch: Int) -> Double {
        let initial = learningRateInit
        if epoch < warmupEpochs {
            return initial * Double(epoch + 1) / Double(warmupEpochs + 1)
        }
        let t = epoch - warmupEpochs
        switch learningRateSchedule {
        case .constant, .inverseScaling, .adaptive:
            return initial
        case .cosine:
            let horizon = Swift.max(1, (scheduleEpochs ?? maxEpochs) - warmupEpochs)
            guard t < horizon else { return minimumLearningRate }
            return minimumLearningRate + (initial - minimumLearningRate) * (1 + cos(Double.pi * Double(t) / Double(horizon))) / 2
        case .step:
            return initial * pow(stepFactor, Double(t / stepSize))
        }
    }
}
