import LinearAlgebra
import MLPCore

/// What one call of ``Trainer/train(_:validation:options:order:history:state:control:progress:)`` does.
struct EpochOptions {
    /// The epoch count (``TrainingHistory/epochsRun``) at which the run ends: `maxEpochs` for a
    /// `fit`, one more than the history's for `partialFit`.
    var lastEpoch: Int
    /// Stop on the validation score and restore the best parameters.
    var earlyStopping: Bool
    /// One epoch, recorded with ``StopReason/partialFit``.
    var isPartialFit: Bool
    /// The validation score's kind.
    var score: ValidationScore
}

/// How a run can be stopped between batches, and what it saves when it is.
struct RunControl {
    /// Checked after every batch (see ``StopSignal``).
    var stopSignal: StopSignal?
    /// A checkpoint after every `checkpointEvery` epochs, after the last, and on a stop (on a stop
    /// only, when 0).
    var checkpointEvery = 1
    /// Writes a checkpoint of the trainer's current state, with the position inside an epoch
    /// when the run stopped in one.
    var checkpoint: ((EpochProgress?, TrainerState, TrainingHistory) throws(NeuralNetworkError) -> Void)?
}

/// How one pass over an epoch's batches ended.
enum EpochOutcome {
    /// Every batch ran; `stopRequested` when a stop was requested during the last one.
    case finished(lossSum: Double, correct: Int, stopRequested: Bool)
    /// A stop was requested, and the run stopped after the batch that `progress` ends with.
    case interrupted(EpochProgress)
}

extension Trainer {
    /// Runs the epoch loop (scikit-learn's `_fit_stochastic`): per epoch, a seeded shuffle of the
    /// training indices, one ``trainingStep(_:indices:)`` per mini-batch of `batchSize` (the last
    /// one smaller), then the epoch's record, the optimiser's schedule, the stopping rule and the
    /// checkpoint.
    ///
    /// `order` is the sample order the next shuffle starts from (the training indices, or for a
    /// resumed run their order after the epochs already run); with `resuming`, the first epoch is
    /// the one that stopped inside, in `order` as it was, from its next batch. Returns where the
    /// run stopped inside an epoch when a stop was requested there. The parameters are left as
    /// the last batch made them: with early stopping, the caller takes the best epoch's from
    /// ``bestParameters``.
    ///
    /// - Throws: ``NeuralNetworkError/diverged(epoch:batch:loss:learningRate:)`` when a batch's
    ///   loss (or gradient norm) is NaN or infinite.
    @discardableResult
    func train(
        _ training: TrainingSet, validation: TrainingSet?, options: EpochOptions, order startOrder: [Int],
        resuming: EpochProgress? = nil, history: inout TrainingHistory, state: inout TrainerState,
        control: RunControl = RunControl(), progress: ((EpochReport) -> Void)?
    ) throws(NeuralNetworkError) -> EpochProgress? {
        precondition(!training.indices.isEmpty, "training needs at least one sample")
        var training = training
        if fusedFirstLayer != nil {
            // Decided from the first samples (at most 4,096) of the set, the same on a resumed run,
            // as are the threads' input ranges balanced on them.
            let samples = Array(training.indices.prefix(4096))
            let columnNonZeros = inputNonZeros(training.features, samples: samples)
            training.mayFuseFirstLayer = inputIsSparseEnough(columnNonZeros: columnNonZeros, samples: samples.count)
            if training.mayFuseFirstLayer { balanceFusedFirstLayer(columnNonZeros: columnNonZeros) }
        }
        stopSignal = control.stopSignal
        var order = startOrder
        var inProgress = resuming
        let totalSquares = validation.flatMap { options.score == .rSquared ? targetTotalSquares($0) : nil }
        var stopReason: StopReason?
        var stopped = false
        while history.epochsRun < options.lastEpoch {
            let started = MonotonicClock.seconds()
            history.stopReason = nil
            communicationSeconds = inProgress?.communicationSeconds ?? 0
            if configuration.shuffle && inProgress == nil { seededShuffle(&order, using: &state.shuffleGenerator) }
            let learningRate = optimizer.learningRate
            let outcome = try runEpoch(training, order: order, epoch: history.epochsRun + 1, from: inProgress)
            let earlierSeconds = inProgress?.seconds ?? 0
            inProgress = nil
            guard case .finished(let lossSum, let correct, let stopRequested) = outcome else {
                if case .interrupted(var position) = outcome {
                    position.seconds = earlierSeconds + MonotonicClock.seconds() - started
                    position.communicationSeconds = communicationSeconds
                    inProgress = position
                }
                try control.checkpoint?(inProgress, state, history)
                stopped = true
                break
            }
            let previousBestScore = history.bestValidationScore
            var report = try record((lossSum, correct), of: training, validation: validation, score: options.score,
                                    totalSquares: totalSquares, learningRate: learningRate, history: &history,
                                    keepsBest: options.earlyStopping)
            report.maxEpochs = options.lastEpoch
            report.seconds = earlierSeconds + MonotonicClock.seconds() - started
            history.secondsPerEpoch.append(report.seconds)
            if communicator.size > 1 { history.communicationSecondsPerEpoch.append(communicationSeconds) }
            let improved = updateImprovement(
                report, previousBestScore: previousBestScore, earlyStopping: options.earlyStopping && validation != nil,
                history: &history, state: &state)
            progress?(report)
            stopReason = stoppingRule(
                learningRateTooSmall: optimizer.endEpoch(improved: improved, samplesSeen: history.samplesSeen),
                options: options, state: state)
            if stopReason == nil && history.epochsRun >= options.lastEpoch { stopReason = .maxEpochs }
            history.stopReason = stopReason
            let every = control.checkpointEvery
            if stopRequested || every > 0 && (stopReason != nil || history.epochsRun % every == 0) {
                try control.checkpoint?(nil, state, history)
            }
            if stopReason != nil { break }
            if stopRequested {
                stopped = true
                break
            }
        }
        history.stopReason = stopped ? .interrupted : stopReason ?? history.stopReason ?? .maxEpochs
        return inProgress
    }

    /// Why the run ends after this epoch, if it does: one epoch of `partialFit`; the adaptive
    /// schedule's floor; else more than `epochsWithoutImprovement` epochs without improvement.
    private func stoppingRule(learningRateTooSmall: Bool, options: EpochOptions, state: TrainerState) -> StopReason? {
        if options.isPartialFit { return .partialFit }
        if configuration.learningRateSchedule == .adaptive { return learningRateTooSmall ? .learningRateTooSmall : nil }
        return state.noImprovementCount > configuration.epochsWithoutImprovement ? .noImprovement : nil
    }

    /// One pass over the batches of `order` (from the position of `resuming`, with its sums);
    /// returns the epoch's summed loss (each batch's mean with the L2 term, times its rows) and
    /// correct count, or where it stopped when a stop was requested before its last batch.
    private func runEpoch(
        _ training: TrainingSet, order: [Int], epoch: Int, from resuming: EpochProgress?
    ) throws(NeuralNetworkError) -> EpochOutcome {
        let sampleCount = order.count
        let batchSize = Swift.min(configuration.batchSize, sampleCount, batchCapacity)
        let learningRate = optimizer.learningRate
        var lossSum = resuming?.lossSum ?? 0
        var correct = resuming?.correct ?? 0
        var start = resuming?.samplesDone ?? 0
        var batch = resuming?.batchesDone ?? 0
        var stopRequested = false
        let failure: NeuralNetworkError? = order.withUnsafeBufferPointer { orderBuffer in
            while start < sampleCount && !stopRequested {
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
                lossSum += step.loss * step.normalizer
                correct &+= step.correct
                start &+= rows
                stopRequested = step.stopRequested
            }
            return nil
        }
        if let failure { throw failure }
        guard start >= sampleCount else {
            return .interrupted(EpochProgress(
                samplesDone: start, batchesDone: batch, lossSum: lossSum, correct: correct, learningRate: learningRate,
                seconds: 0, communicationSeconds: 0))
        }
        return .finished(lossSum: lossSum, correct: correct, stopRequested: stopRequested)
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
        // Each batch's mean times its normaliser, over the set's: the mean over samples, or with
        // sample weights the weighted mean (scikit-learn's `loss_`).
        let epochLoss = sums.lossSum / training.normalizer
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
