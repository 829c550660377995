import LinearAlgebra
import MLPCore

/// What one call of ``Trainer/train(_:validation:options:history:state:progress:)`` does.
struct EpochOptions {
    /// The most epochs to run (1 for `partialFit`).
    var maxEpochs: Int
    /// Stop on the validation score and restore the best parameters.
    var earlyStopping: Bool
    /// One epoch, recorded with ``StopReason/partialFit``.
    var isPartialFit: Bool
    /// The validation score's kind.
    var score: ValidationScore
}

extension Trainer {
    /// Runs the epoch loop (scikit-learn's `_fit_stochastic`): per epoch, a seeded shuffle of the
    /// training indices, mini-batches of `batchSize` (the last one smaller), a gradient step per
    /// batch, then the epoch's loss, validation, learning-rate schedule and stopping rule.
    ///
    /// - Throws: ``NeuralNetworkError/diverged(epoch:batch:loss:learningRate:)`` when a batch's
    ///   loss (or gradient norm) is NaN or infinite.
    func train(
        _ training: TrainingSet, validation: TrainingSet?, options: EpochOptions,
        history: inout TrainingHistory, state: inout TrainerState, progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        var order = training.indices
        let sampleCount = order.count
        precondition(sampleCount > 0, "training needs at least one sample")
        let batchSize = Swift.min(configuration.batchSize, sampleCount, batchCapacity)
        let alpha = configuration.alpha
        let isClassifier: Bool
        if case .classes = training.targets { isClassifier = true } else { isClassifier = false }
        let totalSquares = validation.flatMap { options.score == .rSquared ? targetTotalSquares($0) : nil }
        var step = state.optimizer.step
        let clock = ContinuousClock()
        var stopReason = StopReason.maxEpochs

        for _ in 0..<options.maxEpochs {
            let epoch = history.epochsRun + 1
            let started = clock.now
            if configuration.shuffle { seededShuffle(&order, using: &state.shuffleGenerator) }
            let learningRate = state.learningRate
            var lossSum: Double = 0
            var correct = 0
            let failure: NeuralNetworkError? = order.withUnsafeBufferPointer { orderBuffer in
                var start = 0
                var batch = 0
                while start < sampleCount {
                    let rows = Swift.min(batchSize, sampleCount &- start)
                    batch &+= 1
                    let (sums, workersUsed) = batchGradient(
                        training, indices: UnsafeBufferPointer(rebasing: orderBuffer[start..<(start &+ rows)]))
                    step &+= 1
                    let update = reduceAndUpdate(workersUsed: workersUsed, rows: rows, learningRate: learningRate, step: step)
                    let batchLoss = sums.loss / Double(rows) + alpha / (2 * Double(rows)) * update.squaredWeights
                    if !batchLoss.isFinite {
                        return .diverged(epoch: epoch, batch: batch, loss: Float(batchLoss), learningRate: learningRate)
                    }
                    if let norm = update.gradientNorm, !norm.isFinite {
                        return .diverged(epoch: epoch, batch: batch, loss: .nan, learningRate: learningRate)
                    }
                    lossSum += batchLoss * Double(rows)
                    correct &+= sums.correct
                    start &+= rows
                }
                return nil
            }
            if let failure { throw failure }

            let epochLoss = lossSum / Double(sampleCount)
            history.samplesSeen += sampleCount
            history.lossCurve.append(epochLoss)
            history.learningRates.append(learningRate)
            var report = EpochReport(epoch: epoch, maxEpochs: options.maxEpochs, loss: epochLoss,
                                     learningRate: learningRate, seconds: 0)
            if isClassifier {
                let accuracy = Double(correct) / Double(sampleCount)
                history.trainingAccuracyCurve.append(accuracy)
                report.trainingAccuracy = accuracy
            }
            var improvedScore = false
            if let validation {
                let result = evaluate(validation, score: options.score, totalSquares: totalSquares)
                history.validationLossCurve.append(result.loss)
                history.validationScores.append(result.score)
                if let accuracy = result.accuracy { history.validationAccuracyCurve.append(accuracy) }
                report.validationLoss = result.loss
                report.validationAccuracy = result.accuracy
                report.validationScore = result.score
                // scikit-learn counts an epoch as improving when score ≥ best + tol.
                improvedScore = history.bestValidationScore.map { result.score >= $0 + configuration.tolerance } ?? true
                if history.bestValidationScore.map({ result.score > $0 }) ?? true {
                    history.bestValidationScore = result.score
                    history.bestValidationEpoch = epoch
                    if options.earlyStopping, let bestParameters {
                        bestParameters.update(from: parameters, count: parameterCount)
                    }
                }
            }
            let seconds = Trainer.seconds(clock.now - started)
            history.secondsPerEpoch.append(seconds)
            report.seconds = seconds

            // No-improvement count (scikit-learn's `_update_no_improvement_count`).
            if options.earlyStopping && validation != nil {
                state.noImprovementCount = improvedScore ? 0 : state.noImprovementCount + 1
            } else {
                let improved = history.bestLoss.map { epochLoss <= $0 - configuration.tolerance } ?? true
                state.noImprovementCount = improved ? 0 : state.noImprovementCount + 1
            }
            if history.bestLoss.map({ epochLoss < $0 }) ?? true { history.bestLoss = epochLoss }
            progress?(report)

            if configuration.learningRateSchedule == .inverseScaling {
                state.learningRate = LearningRateSchedule.inverseScalingRate(
                    initial: configuration.learningRateInit, powerT: configuration.powerT,
                    samplesSeen: history.samplesSeen)
            }
            if options.isPartialFit {
                if configuration.learningRateSchedule == .adaptive { _ = adaptLearningRate(&state) }
                stopReason = .partialFit
                break
            }
            if configuration.learningRateSchedule == .adaptive {
                if adaptLearningRate(&state) {
                    stopReason = .learningRateTooSmall
                    break
                }
            } else if state.noImprovementCount > configuration.epochsWithoutImprovement {
                stopReason = .noImprovement
                break
            }
        }
        history.stopReason = stopReason
        state.optimizer.step = step
        if options.earlyStopping, let bestParameters, history.bestValidationEpoch != nil {
            parameters.update(from: bestParameters, count: parameterCount)
        }
    }

    /// The adaptive schedule: after `adaptivePatience` consecutive non-improving epochs, divide
    /// the rate by 5 and reset the count. Returns true (stop) when the rate is already ≤ 10⁻⁶.
    private func adaptLearningRate(_ state: inout TrainerState) -> Bool {
        guard state.noImprovementCount >= configuration.adaptivePatience else { return false }
        if state.learningRate <= LearningRateSchedule.adaptiveFloor { return true }
        state.learningRate /= 5
        state.noImprovementCount = 0
        return false
    }

    /// The mean loss (without L2), accuracy (classes) and score over a validation set, in chunks
    /// of ``batchCapacity`` rows split over the workers.
    func evaluate(
        _ set: TrainingSet, score: ValidationScore, totalSquares: [Double]?
    ) -> (loss: Double, accuracy: Double?, score: Double) {
        let total = set.indices.count
        var lossSum: Double = 0
        var correct = 0
        let residualCount = workers.count &* outputCount
        for index in 0..<residualCount { workerResiduals[index] = 0 }
        set.indices.withUnsafeBufferPointer { indexBuffer in
            var start = 0
            while start < total {
                let rows = Swift.min(batchCapacity, total &- start)
                let sums = batchLoss(set, indices: UnsafeBufferPointer(rebasing: indexBuffer[start..<(start &+ rows)]),
                                     residuals: totalSquares != nil)
                lossSum += sums.loss
                correct &+= sums.correct
                start &+= rows
            }
        }
        let loss = lossSum / Double(Swift.max(total, 1))
        var accuracy: Double?
        if case .classes = set.targets { accuracy = Double(correct) / Double(Swift.max(total, 1)) }
        switch score {
        case .accuracy:
            return (loss, accuracy, accuracy ?? 0)
        case .negativeLoss:
            return (loss, accuracy, -loss)
        case .rSquared:
            guard let totalSquares else { return (loss, accuracy, -loss) }
            var r2Sum: Double = 0
            for column in 0..<outputCount {
                var residual: Double = 0
                for worker in 0..<workers.count { residual += workerResiduals[worker &* outputCount &+ column] }
                r2Sum += Metrics.rSquaredTerm(residual: residual, total: totalSquares[column])
            }
            return (loss, accuracy, r2Sum / Double(outputCount))
        }
    }

    /// Each target column's total sum of squares `Σᵢ (yᵢⱼ − ȳⱼ)²` over a set (two passes).
    private func targetTotalSquares(_ set: TrainingSet) -> [Double] {
        var means = [Double](repeating: 0, count: outputCount)
        var squares = [Double](repeating: 0, count: outputCount)
        let total = set.indices.count
        for pass in 0..<2 {
            set.indices.withUnsafeBufferPointer { indexBuffer in
                var start = 0
                while start < total {
                    let rows = Swift.min(batchCapacity, total &- start)
                    // Only the targets are read; the features are copied only when they are the targets.
                    loadRows(of: set, indices: UnsafeBufferPointer(rebasing: indexBuffer[start..<(start &+ rows)]),
                             start: 0, count: rows, features: set.targets.areInputs)
                    guard case .values(let values) = targetBlock(of: set) else { return }
                    for row in 0..<rows {
                        for column in 0..<outputCount {
                            let value = Double(values[row &* outputCount &+ column])
                            if pass == 0 {
                                means[column] += value
                            } else {
                                squares[column] += (value - means[column]) * (value - means[column])
                            }
                        }
                    }
                    start &+= rows
                }
            }
            if pass == 0 { means = means.map { $0 / Double(Swift.max(total, 1)) } }
        }
        return squares
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
