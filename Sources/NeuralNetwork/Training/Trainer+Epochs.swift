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
    /// training indices, one ``trainingStep(_:indices:)`` per mini-batch of `batchSize` (the last
    /// one smaller), then the epoch's record, the optimiser's schedule and the stopping rule.
    ///
    /// - Throws: ``NeuralNetworkError/diverged(epoch:batch:loss:learningRate:)`` when a batch's
    ///   loss (or gradient norm) is NaN or infinite.
    func train(
        _ training: TrainingSet, validation: TrainingSet?, options: EpochOptions,
        history: inout TrainingHistory, state: inout TrainerState, progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) {
        precondition(!training.indices.isEmpty, "training needs at least one sample")
        var order = training.indices
        let totalSquares = validation.flatMap { options.score == .rSquared ? targetTotalSquares($0) : nil }
        var stopReason = StopReason.maxEpochs
        for _ in 0..<options.maxEpochs {
            let started = MonotonicClock.seconds()
            communicationSeconds = 0
            if configuration.shuffle { seededShuffle(&order, using: &state.shuffleGenerator) }
            let learningRate = optimizer.learningRate
            let sums = try runEpoch(training, order: order, epoch: history.epochsRun + 1)
            let previousBestScore = history.bestValidationScore
            var report = try record(sums, of: training, validation: validation, score: options.score,
                                totalSquares: totalSquares, learningRate: learningRate, history: &history,
                                keepsBest: options.earlyStopping)
            report.maxEpochs = options.maxEpochs
            report.seconds = MonotonicClock.seconds() - started
            history.secondsPerEpoch.append(report.seconds)
            if communicator.size > 1 { history.communicationSecondsPerEpoch.append(communicationSeconds) }
            let improved = updateImprovement(
                report, previousBestScore: previousBestScore, earlyStopping: options.earlyStopping && validation != nil,
                history: &history, state: &state)
            progress?(report)
            let learningRateTooSmall = optimizer.endEpoch(improved: improved, samplesSeen: history.samplesSeen)
            if options.isPartialFit {
                stopReason = .partialFit
                break
            }
            if configuration.learningRateSchedule == .adaptive {
                if learningRateTooSmall {
                    stopReason = .learningRateTooSmall
                    break
                }
            } else if state.noImprovementCount > configuration.epochsWithoutImprovement {
                stopReason = .noImprovement
                break
            }
        }
        history.stopReason = stopReason
        if options.earlyStopping, let bestParameters, history.bestValidationEpoch != nil {
            parameters.update(from: bestParameters, count: parameterCount)
        }
    }

    /// One pass over the batches of `order`; returns the epoch's summed loss (each batch's mean
    /// with the L2 term, times its rows) and correct count.
    private func runEpoch(
        _ training: TrainingSet, order: [Int], epoch: Int
    ) throws(NeuralNetworkError) -> (lossSum: Double, correct: Int) {
        let sampleCount = order.count
        let batchSize = Swift.min(configuration.batchSize, sampleCount, batchCapacity)
        let learningRate = optimizer.learningRate
        var lossSum: Double = 0
        var correct = 0
        let failure: NeuralNetworkError? = order.withUnsafeBufferPointer { orderBuffer in
            var start = 0
            var batch = 0
            while start < sampleCount {
                let rows = Swift.min(batchSize, sampleCount &- start)
                batch &+= 1
                let step: StepOutcome
                do throws(NeuralNetworkError) {
                    step = try trainingStep(training, indices: UnsafeBufferPointer(rebasing: orderBuffer[start..<(start &+ rows)]))
                } catch {
                    return error
                }
                guard step.isFinite else {
                    return .diverged(epoch: epoch, batch: batch, loss: step.loss.isFinite ? .nan : Float(step.loss),
                                     learningRate: learningRate)
                }
                lossSum += step.loss * Double(rows)
                correct &+= step.correct
                start &+= rows
            }
            return nil
        }
        if let failure { throw failure }
        return (lossSum, correct)
    }

    /// Records a finished epoch in `history` (loss, learning rate, training accuracy, validation
    /// loss, accuracy and score, the best score and, with `keepsBest`, its parameters) and returns
    /// its report.
    private func record(
        _ sums: (lossSum: Double, correct: Int), of training: TrainingSet, validation: TrainingSet?,
        score: ValidationScore, totalSquares: [Double]?, learningRate: Double, history: inout TrainingHistory,
        keepsBest: Bool
    ) throws(NeuralNetworkError) -> EpochReport {
        let sampleCount = training.indices.count
        let epochLoss = sums.lossSum / Double(sampleCount)
        history.samplesSeen += sampleCount
        history.lossCurve.append(epochLoss)
        history.learningRates.append(learningRate)
        var report = EpochReport(epoch: history.epochsRun, maxEpochs: 0, loss: epochLoss,
                                 learningRate: learningRate, seconds: 0)
        if case .classes = training.targets {
            let accuracy = Double(sums.correct) / Double(sampleCount)
            history.trainingAccuracyCurve.append(accuracy)
            report.trainingAccuracy = accuracy
        }
        guard let validation else { return report }
        let result = try evaluate(validation, score: score, totalSquares: totalSquares)
        history.validationLossCurve.append(result.loss)
        history.validationScores.append(result.score)
        if let accuracy = result.accuracy { history.validationAccuracyCurve.append(accuracy) }
        report.validationLoss = result.loss
        report.validationAccuracy = result.accuracy
        report.validationScore = result.score
        if history.bestValidationScore.map({ result.score > $0 }) ?? true {
            history.bestValidationScore = result.score
            history.bestValidationEpoch = report.epoch
            if keepsBest, let bestParameters { bestParameters.update(from: parameters, count: parameterCount) }
        }
        return report
    }

    /// Whether the epoch improved on the best before it by at least the tolerance (scikit-learn's
    /// `_update_no_improvement_count`): the validation score with early stopping, else the
    /// training loss. Updates the stopping rule's count and the best loss.
    private func updateImprovement(
        _ report: EpochReport, previousBestScore: Double?, earlyStopping: Bool, history: inout TrainingHistory,
        state: inout TrainerState
    ) -> Bool {
        let improved: Bool
        if earlyStopping, let score = report.validationScore {
            // scikit-learn counts an epoch as improving when score ≥ best + tol.
            improved = previousBestScore.map { score >= $0 + configuration.tolerance } ?? true
        } else {
            improved = history.bestLoss.map { report.loss <= $0 - configuration.tolerance } ?? true
        }
        state.noImprovementCount = improved ? 0 : state.noImprovementCount + 1
        if history.bestLoss.map({ report.loss < $0 }) ?? true { history.bestLoss = report.loss }
        return improved
    }

    /// The mean loss (without L2), accuracy (classes) and score over a validation set, in chunks
    /// of ``batchCapacity`` rows split over the workers.
    func evaluate(
        _ set: TrainingSet, score: ValidationScore, totalSquares: [Double]?
    ) throws(NeuralNetworkError) -> (loss: Double, accuracy: Double?, score: Double) {
        let total = set.indices.count
        var lossSum: Double = 0
        var correct = 0
        let residualCount = workers.count &* outputCount
        for index in 0..<residualCount { workerResiduals[index] = 0 }
        let failure: NeuralNetworkError? = set.indices.withUnsafeBufferPointer { indexBuffer in
            var start = 0
            while start < total {
                let rows = Swift.min(batchCapacity, total &- start)
                do throws(NeuralNetworkError) {
                    let sums = try batchLoss(set, indices: UnsafeBufferPointer(rebasing: indexBuffer[start..<(start &+ rows)]),
                                             residuals: totalSquares != nil)
                    lossSum += sums.loss
                    correct &+= sums.correct
                } catch {
                    return error
                }
                start &+= rows
            }
            return nil
        }
        if let failure { throw failure }
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
            // Every worker's residual sums, of every rank with several processes, in global order.
            var residuals = Array(UnsafeBufferPointer(start: workerResiduals, count: residualCount))
            if communicator.size > 1 {
                do { residuals = try communicator.allgather(residuals) } catch { throw .distributed(error.message) }
            }
            var r2Sum: Double = 0
            for column in 0..<outputCount {
                var residual: Double = 0
                for worker in 0..<globalWorkerCount { residual += residuals[worker &* outputCount &+ column] }
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

}
