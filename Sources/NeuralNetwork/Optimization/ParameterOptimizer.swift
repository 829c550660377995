import LinearAlgebra
import MLPCore

/// The optimiser of one training run, with everything it owns: the update rule and its
/// hyperparameters, the moments laid out as the parameters, the step count, the current learning
/// rate and the schedule with its state (as scikit-learn's `_optimizer` and MLX's optimisers own
/// theirs). ``state`` gives all of it as a value, and ``init(configuration:parameterCount:state:)``
/// takes it back.
///
/// The moments are allocated once. ``update(parameters:gradient:range:gradientScale:)`` may run on
/// several threads at once for disjoint ranges, and so may the fused first-layer kernel on the
/// moments ``fusedStep(l2Scale:)`` hands out (each thread its own rows); everything else
/// runs on one thread, between steps.
final class ParameterOptimizer: @unchecked Sendable {
    /// The rule (``TrainingConfiguration/optimizer``), its hyperparameters (momentum, Nesterov,
    /// β₁, β₂, ε) and the schedule's settings, as configured.
    let settings: TrainingConfiguration
    let parameterCount: Int

    /// The updates made so far; the next update is step `step + 1`.
    private(set) var step: Int
    /// The epochs the schedule has ended.
    private(set) var epoch: Int
    /// The learning rate of the current epoch.
    private(set) var learningRate: Double
    /// The adaptive schedule's count of consecutive epochs without improvement.
    private(set) var epochsWithoutImprovement: Int
    private let firstMoment: UnsafeMutablePointer<Float>
    private let secondMoment: UnsafeMutablePointer<Float>?

    /// The optimiser the configuration describes, fresh or continuing from `state` (whose
    /// moments must be laid out for `parameterCount` parameters of the same rule).
    init(configuration: TrainingConfiguration, parameterCount: Int, state: OptimizerState? = nil) {
        let state = state ?? OptimizerState(optimizer: configuration.optimizer, parameterCount: parameterCount,
                                            learningRate: configuration.learningRate(atEpoch: 0))
        precondition(state.optimizer == configuration.optimizer && state.firstMoment.count == parameterCount
                     && state.secondMoment.count == (state.optimizer.usesSecondMoment ? parameterCount : 0),
                     "an optimiser state for \(state.optimizer.rawValue) with \(state.firstMoment.count) moments "
                     + "cannot continue \(configuration.optimizer.rawValue) on \(parameterCount) parameters")
        settings = configuration
        self.parameterCount = parameterCount
        step = state.step
        epoch = state.epoch
        learningRate = state.learningRate
        epochsWithoutImprovement = state.epochsWithoutImprovement
        firstMoment = ParameterOptimizer.buffer(copying: state.firstMoment, count: parameterCount)
        secondMoment = configuration.optimizer.usesSecondMoment
            ? ParameterOptimizer.buffer(copying: state.secondMoment, count: parameterCount) : nil
    }

    /// A buffer of `count` floats (at least one) holding `values`.
    private static func buffer(copying values: [Float], count: Int) -> UnsafeMutablePointer<Float> {
        let buffer = LineAlignedBuffer.zeroed(count)
        if count > 0 { values.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: count) } }
        return buffer
    }

    deinit {
        firstMoment.deallocate()
        secondMoment?.deallocate()
    }

    /// The whole state as a value.
    var state: OptimizerState {
        var state = OptimizerState(optimizer: settings.optimizer, parameterCount: 0, learningRate: learningRate)
        state.step = step
        state.epoch = epoch
        state.epochsWithoutImprovement = epochsWithoutImprovement
        state.firstMoment = Array(UnsafeBufferPointer(start: firstMoment, count: parameterCount))
        state.secondMoment = secondMoment.map { Array(UnsafeBufferPointer(start: $0, count: parameterCount)) } ?? []
        return state
    }

    /// Starts the next update (Adam's `t` counts it).
    func beginStep() {
        step &+= 1
    }

    /// The current step's update of `parameters[range]` from `gradient[range]`, scaled by
    /// `gradientScale` (for clipping), at the current learning rate; `isWeight` says whether the
    /// range holds weights (which AdamW decays) or biases.
    @inline(__always)
    func update(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, range: Range<Int>,
                gradientScale: Float, isWeight: Bool) {
        let start = range.lowerBound
        switch settings.optimizer {
        case .sgd:
            ParameterUpdate.sgd(
                parameters: parameters + start, gradient: gradient + start, velocity: firstMoment + start,
                count: range.count, learningRate: learningRate, momentum: settings.momentum,
                nesterov: settings.nesterov, gradientScale: gradientScale)
        case .adam, .adamw:
            ParameterUpdate.adam(
                parameters: parameters + start, gradient: gradient + start, firstMoment: firstMoment + start,
                secondMoment: secondMoment! + start, count: range.count, learningRate: learningRate,
                beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon, step: step,
                gradientScale: gradientScale,
                weightDecay: settings.optimizer == .adamw ? (isWeight ? settings.weightDecay : 0) : nil)
        }
    }

    /// The current step's update of weights with the L2 factor `l2Scale`, and the moments it
    /// works on (laid out as the parameters), for a kernel that fuses the step into the gradient
    /// (see ``Trainer/FusedFirstLayer``): ``update(parameters:gradient:range:gradientScale:isWeight:)``'s
    /// with a gradient scale of 1. Every optimiser has one, so that every one can fuse.
    func fusedStep(l2Scale: Float) -> FusedStep {
        switch settings.optimizer {
        case .sgd:
            return .momentum(velocity: firstMoment, MomentumStep(learningRate: Float(learningRate), momentum: Float(settings.momentum),
                                                                 nesterov: settings.nesterov, l2Scale: l2Scale))
        case .adam, .adamw:
            let (rate, epsilon, decay) = ParameterUpdate.adamScalars(
                learningRate: learningRate, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon, step: step,
                weightDecay: settings.optimizer == .adamw ? settings.weightDecay : nil)
            return .adam(firstMoment: firstMoment, secondMoment: secondMoment!,
                         AdamStep(rate: rate, beta1: Float(settings.beta1), beta2: Float(settings.beta2), epsilon: epsilon,
                                  decay: decay, l2Scale: l2Scale))
        }
    }

    /// What ``fusedStep(l2Scale:)`` hands a fused kernel.
    enum FusedStep {
        case momentum(velocity: UnsafeMutablePointer<Float>, MomentumStep)
        case adam(firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, AdamStep)
    }

    /// The schedule's turn after an epoch that `improved` (or not) the loss or validation score,
    /// with `samplesSeen` training samples processed so far. The constant, cosine and step
    /// schedules (with their warm-up) set `η` to ``TrainingConfiguration/learningRate(atEpoch:)``
    /// of the next epoch, a pure function of the epoch count; inverse scaling sets
    /// `η = η₀ / (t + 1)^powerT`; the adaptive schedule divides `η` by 5 after
    /// ``TrainingConfiguration/adaptivePatience`` epochs without improvement. Returns true when
    /// the adaptive schedule would have to go below ``LearningRateSchedule/adaptiveFloor``, which
    /// ends training.
    func endEpoch(improved: Bool, samplesSeen: Int) -> Bool {
        epoch &+= 1
        switch settings.learningRateSchedule {
        case .constant, .cosine, .step:
            learningRate = settings.learningRate(atEpoch: epoch)
            return false
        case .inverseScaling:
            learningRate = LearningRateSchedule.inverseScalingRate(
                initial: settings.learningRateInit, powerT: settings.powerT, samplesSeen: samplesSeen)
            return false
        case .adaptive:
            epochsWithoutImprovement = improved ? 0 : epochsWithoutImprovement + 1
            guard epochsWithoutImprovement >= settings.adaptivePatience else { return false }
            if learningRate <= LearningRateSchedule.adaptiveFloor { return true }
            learningRate /= 5
            epochsWithoutImprovement = 0
            return false
        }
    }
}
