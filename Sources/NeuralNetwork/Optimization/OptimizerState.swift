/// Everything an optimiser carries from one batch to the next, as a value: what a checkpoint
/// saves and a resumed run restores, so that training continues exactly where it stopped.
public struct OptimizerState: Sendable, Hashable, Codable {
    /// The update rule the moments belong to.
    public var optimizer: Optimizer
    /// The updates made so far (Adam's `t`, which its bias correction uses).
    public var step: Int
    /// The epochs the schedule has ended (``TrainingConfiguration/learningRate(atEpoch:)`` gives
    /// the rate of epoch `epoch`); 0 in a checkpoint written before schedules counted epochs.
    public var epoch: Int
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
        epoch = 0
        self.learningRate = learningRate
        epochsWithoutImprovement = 0
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = optimizer.usesSecondMoment ? [Float](repeating: 0, count: parameterCount) : []
    }
}

extension OptimizerState {
    enum CodingKeys: String, CodingKey {
        case optimizer, step, epoch, learningRate, epochsWithoutImprovement, firstMoment, secondMoment
    }

    /// Decodes a state; a state saved before ``epoch`` existed starts it at 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(optimizer: try c.decode(Optimizer.self, forKey: .optimizer), parameterCount: 0,
                  learningRate: try c.decode(Double.self, forKey: .learningRate))
        step = try c.decode(Int.self, forKey: .step)
        try c.decode(.epoch, ifPresentInto: &epoch)
        epochsWithoutImprovement = try c.decode(Int.self, forKey: .epochsWithoutImprovement)
        firstMoment = try c.decode([Float].self, forKey: .firstMoment)
        secondMoment = try c.decode([Float].self, forKey: .secondMoment)
    }
}
