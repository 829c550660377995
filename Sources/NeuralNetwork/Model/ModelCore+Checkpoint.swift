import MLPCore

/// Checkpoints of a run, and resuming one (see ``TrainingCheckpoint``).
extension ModelCore {
    /// Refuses to resume `point` on other data, with a changed configuration or network, or from a
    /// series of `partialFit` calls.
    func checkResume(
        _ point: ResumePoint, data: DataFingerprint?, layerSizes: [Int], loss: LossFunction
    ) throws(NeuralNetworkError) {
        guard point.continuesFit else {
            throw .cannotResume("the checkpoint was saved after partialFit calls; continue it with partialFit, not fit")
        }
        let differences = configuration.fieldsThatChangeTheRun(comparedTo: point.configuration).map { field in
            "\(field): \(point.configuration.value(of: field)) → \(configuration.value(of: field))"
        }
        guard differences.isEmpty else {
            let cosine = point.configuration.learningRateSchedule == .cosine && point.configuration.scheduleEpochs == nil
            throw .cannotResume("the configuration differs from the checkpoint's (\(differences.joined(separator: ", "))); "
                                + (cosine ? "only threads, parallelism and gradientReduction may change (maxEpochs sets this run's "
                                            + "cosine schedule, as scheduleEpochs was not set)"
                                          : "only maxEpochs, threads, parallelism and gradientReduction may change"))
        }
        if let data, let saved = point.data, data != saved {
            throw .cannotResume("the training data is \(data), the checkpoint's was \(saved)")
        }
        guard let network, network.layerSizes == layerSizes, network.loss == loss else {
            throw .cannotResume("the data and configuration give layer sizes \(layerSizes), "
                                + "the checkpoint's network has \(network?.layerSizes ?? [])")
        }
    }

    /// The training samples' order after the epochs a checkpoint has started, replayed from the
    /// seed (every epoch shuffles the previous epoch's order), checked against the checkpoint's
    /// shuffling generator.
    static func replayedOrder(
        of training: TrainingSet, resuming point: ResumePoint, history: TrainingHistory, shuffle: Bool,
        from generator: SeededGenerator
    ) throws(NeuralNetworkError) -> [Int] {
        var order = training.indices
        var generator = generator
        let started = history.epochsRun + (point.epochInProgress == nil ? 0 : 1)
        if shuffle {
            for _ in 0..<started { seededShuffle(&order, using: &generator) }
        }
        guard generator.stateWords == point.trainer.shuffleGenerator.stateWords else {
            throw .cannotResume("the checkpoint's shuffling state does not follow from its seed and its \(started) epochs")
        }
        return order
    }

    /// Writes a checkpoint of a run at `point` (with `history`, and `network`'s shape) to `path`.
    func writeCheckpoint(
        _ point: ResumePoint, network: Network, history: TrainingHistory, request: Request, to path: String
    ) throws(NeuralNetworkError) {
        var snapshot = self
        var current = network
        current.setParameters(point.parameters)
        snapshot.network = current
        snapshot.history = history
        snapshot.resumePoint = point
        guard let checkpoint = TrainingCheckpoint(model: request.model(snapshot)) else {
            throw .cannotWriteCheckpoint("the run has no data fingerprint")
        }
        do {
            try checkpoint.save(to: path)
        } catch {
            throw .cannotWriteCheckpoint(error.description)
        }
    }
}
