/// Everything an optimiser carries from one batch to the next, as a value: what a checkpoint
/// saves and a resumed run restores, so that training continues exactly where it stopped.
public struct OptimizerState: Sendable, Hashable, Codable {
    /// The update rule the moments belong to.
    public var optimizer: Optimizer
    /// The updates made so far (Adam's `t`, which its bias correction uses).
    public var step: Int
    /// The learning rate of the current epoch, after the schedule's changes so far.
    public var learningRate: Double
    /// The adaptive schedule's count of consecutive epochs without improvement (reset when it
    /// divides the rate).
    public var epochsWithoutImprovement: Int
    /// SGD's velocity `v`, or Adam's first moment `m`, laid out as the parameters.
    public var firstMoment: [Float]
    /// Adam's second moment `v`, laid out as the parameters (empty for SGD).
    public var secondMoment: [Float]

    /// The state before the first update: zero moments and the initial learning rate.
    public init(optimizer: Optimizer, parameterCount: Int, learningRate: Double) {
        self.optimizer = optimizer
        step = 0
        self.learningRate = learningRate
        epochsWithoutImprovement = 0
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = optimizer == .adam ? [Float](repeating: 0, count: parameterCount) : []
    }
}
