import Foundation

extension TrainingConfiguration {
    /// Checks every field's range.
    /// - Throws: ``NeuralNetworkError/invalidConfiguration(parameter:value:requirement:)`` for the
    ///   first field out of range, for example `learningRateInit = -0.1; must be positive and finite`.
    public func validate() throws(NeuralNetworkError) {
        func fail(_ parameter: String, _ value: Any, _ requirement: String) -> NeuralNetworkError {
            .invalidConfiguration(parameter: parameter, value: "\(value)", requirement: requirement)
        }
        if let bad = hiddenLayerSizes.first(where: { $0 <= 0 }) {
            throw fail("hiddenLayerSizes", hiddenLayerSizes, "every size must be positive, found \(bad)")
        }
        if case .leakyReLU(let slope) = activation, !(slope >= 0 && slope.isFinite) {
            throw fail("activation", activation.name, "the leaky slope must be finite and at least 0")
        }
        if let initScale, !(initScale > 0 && initScale.isFinite) {
            throw fail("initScale", initScale, "must be positive and finite")
        }
        if !(learningRateInit > 0 && learningRateInit.isFinite) {
            throw fail("learningRateInit", learningRateInit, "must be positive and finite")
        }
        if !(powerT >= 0 && powerT.isFinite) { throw fail("powerT", powerT, "must be at least 0") }
        if adaptivePatience < 1 { throw fail("adaptivePatience", adaptivePatience, "must be at least 1") }
        if !(momentum >= 0 && momentum < 1) { throw fail("momentum", momentum, "must lie in [0, 1)") }
        if !(beta1 >= 0 && beta1 < 1) { throw fail("beta1", beta1, "must lie in [0, 1)") }
        if !(beta2 >= 0 && beta2 < 1) { throw fail("beta2", beta2, "must lie in [0, 1)") }
        if !(epsilon > 0 && epsilon.isFinite) { throw fail("epsilon", epsilon, "must be positive") }
        if batchSize < 1 { throw fail("batchSize", batchSize, "must be at least 1") }
        if maxEpochs < 1 { throw fail("maxEpochs", maxEpochs, "must be at least 1") }
        if !(tolerance >= 0 && tolerance.isFinite) { throw fail("tolerance", tolerance, "must be at least 0") }
        if epochsWithoutImprovement < 1 {
            throw fail("epochsWithoutImprovement", epochsWithoutImprovement, "must be at least 1")
        }
        if !(validationFraction > 0 && validationFraction < 1) {
            throw fail("validationFraction", validationFraction, "must lie in (0, 1)")
        }
        if !(alpha >= 0 && alpha.isFinite) { throw fail("alpha", alpha, "must be at least 0") }
        if let gradientClipNorm, !(gradientClipNorm > 0 && gradientClipNorm.isFinite) {
            throw fail("gradientClipNorm", gradientClipNorm, "must be positive")
        }
        if !(sparseInputDensity >= 0 && sparseInputDensity <= 1) {
            throw fail("sparseInputDensity", sparseInputDensity, "must lie in [0, 1]")
        }
        if warmupEpochs < 0 { throw fail("warmupEpochs", warmupEpochs, "must be at least 0") }
        if warmupEpochs > 0 && !learningRateSchedule.isEpochFunction {
            throw fail("warmupEpochs", warmupEpochs,
                       "warm-up works with the constant, cosine and step schedules, not \(learningRateSchedule.rawValue)")
        }
        if stepSize < 1 { throw fail("stepSize", stepSize, "must be at least 1") }
        if !(stepFactor > 0 && stepFactor <= 1) { throw fail("stepFactor", stepFactor, "must lie in (0, 1]") }
        if !(minimumLearningRate >= 0 && minimumLearningRate <= learningRateInit) {
            throw fail("minimumLearningRate", minimumLearningRate, "must lie in [0, learningRateInit = \(learningRateInit)]")
        }
        if let scheduleEpochs, scheduleEpochs < 1 { throw fail("scheduleEpochs", scheduleEpochs, "must be at least 1") }
        if !(weightDecay >= 0 && weightDecay.isFinite) { throw fail("weightDecay", weightDecay, "must be finite and at least 0") }
        if !(dropout >= 0 && dropout < 1) { throw fail("dropout", dropout, "must lie in [0, 1)") }
        if threads < 0 || threads > 1024 { throw fail("threads", threads, "must lie in 0...1024 (0 means every core)") }
    }

    /// The number of threads a batch uses: ``threads``, or every active core when it is 0.
    public var resolvedThreadCount: Int {
        threads > 0 ? threads : Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The threads OpenBLAS uses per call while training: 1 with ``Parallelism/dataParallel``
    /// (each worker calls single-threaded `sgemm`), ``resolvedThreadCount`` with ``Parallelism/blas``.
    var blasThreadCount: Int { parallelism == .dataParallel ? 1 : resolvedThreadCount }
}

extension TrainingConfiguration {
    enum CodingKeys: String, CodingKey {
        case hiddenLayerSizes, activation, initialization, initScale, optimizer, learningRateInit
        case learningRateSchedule, powerT, adaptivePatience, momentum, nesterov, beta1, beta2, epsilon
        case batchSize, maxEpochs, tolerance, epochsWithoutImprovement, earlyStopping, validationFraction
        case alpha, gradientClipNorm, shuffle, seed, threads, parallelism, inputKernel, sparseInputDensity
        case squaredErrorConvention, warmStart, gradientReduction
        case warmupEpochs, stepSize, stepFactor, minimumLearningRate, scheduleEpochs, weightDecay, dropout
        case fusesFirstLayer
    }

    /// Decodes a configuration; a missing field keeps its default, so older files still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        try c.decode(.hiddenLayerSizes, ifPresentInto: &hiddenLayerSizes)
        try c.decode(.activation, ifPresentInto: &activation)
        try c.decode(.initialization, ifPresentInto: &initialization)
        initScale = try c.decodeIfPresent(Float.self, forKey: .initScale)
        try c.decode(.optimizer, ifPresentInto: &optimizer)
        try c.decode(.learningRateInit, ifPresentInto: &learningRateInit)
        try c.decode(.learningRateSchedule, ifPresentInto: &learningRateSchedule)
        try c.decode(.powerT, ifPresentInto: &powerT)
        try c.decode(.adaptivePatience, ifPresentInto: &adaptivePatience)
        try c.decode(.momentum, ifPresentInto: &momentum)
        try c.decode(.nesterov, ifPresentInto: &nesterov)
        try c.decode(.beta1, ifPresentInto: &beta1)
        try c.decode(.beta2, ifPresentInto: &beta2)
        try c.decode(.epsilon, ifPresentInto: &epsilon)
        try c.decode(.batchSize, ifPresentInto: &batchSize)
        try c.decode(.maxEpochs, ifPresentInto: &maxEpochs)
        try c.decode(.tolerance, ifPresentInto: &tolerance)
        try c.decode(.epochsWithoutImprovement, ifPresentInto: &epochsWithoutImprovement)
        try c.decode(.earlyStopping, ifPresentInto: &earlyStopping)
        try c.decode(.validationFraction, ifPresentInto: &validationFraction)
        try c.decode(.alpha, ifPresentInto: &alpha)
        gradientClipNorm = try c.decodeIfPresent(Double.self, forKey: .gradientClipNorm)
        try c.decode(.shuffle, ifPresentInto: &shuffle)
        try c.decode(.seed, ifPresentInto: &seed)
        try c.decode(.threads, ifPresentInto: &threads)
        try c.decode(.parallelism, ifPresentInto: &parallelism)
        try c.decode(.inputKernel, ifPresentInto: &inputKernel)
        try c.decode(.sparseInputDensity, ifPresentInto: &sparseInputDensity)
        try c.decode(.squaredErrorConvention, ifPresentInto: &squaredErrorConvention)
        try c.decode(.warmStart, ifPresentInto: &warmStart)
        try c.decode(.gradientReduction, ifPresentInto: &gradientReduction)
        try c.decode(.warmupEpochs, ifPresentInto: &warmupEpochs)
        try c.decode(.stepSize, ifPresentInto: &stepSize)
        try c.decode(.stepFactor, ifPresentInto: &stepFactor)
        try c.decode(.minimumLearningRate, ifPresentInto: &minimumLearningRate)
        scheduleEpochs = try c.decodeIfPresent(Int.self, forKey: .scheduleEpochs)
        try c.decode(.weightDecay, ifPresentInto: &weightDecay)
        try c.decode(.dropout, ifPresentInto: &dropout)
        try c.decode(.fusesFirstLayer, ifPresentInto: &fusesFirstLayer)
    }
}
