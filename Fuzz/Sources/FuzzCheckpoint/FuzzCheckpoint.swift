import FuzzSupport
import LinearAlgebra
import NeuralNetwork

/// Feeds the input to `TrainingCheckpoint.decode` (what `TrainingCheckpoint.load(from:)` and
/// `mlp train --resume` read). A checkpoint that loads is used as a resumed run uses it: its
/// properties, a prediction with its model (see ``LoadedModelUse``), and, when it is small, one
/// more epoch of the run it saved, on ``SyntheticTrainingData`` of its fingerprint's shape. The
/// seed checkpoints were trained on that data, so mutants that keep the fingerprint really resume
/// (the epoch position, optimiser state and generator words then reach the trainer); the others
/// are refused with `cannotResume`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    let checkpoint: TrainingCheckpoint
    do {
        checkpoint = try TrainingCheckpoint.decode(bytes)
    } catch {
        _ = error.description
        return 0
    }
    _ = checkpoint.dataFingerprint.description
    _ = checkpoint.samplesIntoEpoch
    _ = checkpoint.isFinished
    LoadedModelUse.exercise(checkpoint.model)
    resumeOneEpoch(checkpoint)
    return 0
}

/// The largest run the harness resumes: it must take milliseconds, not seconds.
private let largestSampleCount = 64
private let largestFeatureCount = 64
private let largestParameterCount = 4_096
private let mostEpochsCompleted = 100

/// Trains the run `checkpoint` saved for one more epoch, on one thread, when it is small.
private func resumeOneEpoch(_ checkpoint: TrainingCheckpoint) {
    let fingerprint = checkpoint.dataFingerprint
    guard let network = checkpoint.model.network,
          fingerprint.sampleCount <= largestSampleCount, fingerprint.featureCount <= largestFeatureCount,
          network.parameterCount <= largestParameterCount,
          (0...mostEpochsCompleted).contains(checkpoint.epochsCompleted) else { return }
    let data = SyntheticTrainingData(sampleCount: fingerprint.sampleCount, featureCount: fingerprint.featureCount)
    var configuration = checkpoint.configuration
    configuration.threads = 1
    configuration.maxEpochs = checkpoint.epochsCompleted + 1
    do {
        switch checkpoint.model {
        case .classifier:
            var model = try MLPClassifier(resumingFrom: checkpoint)
            model.configuration = configuration
            try model.fit(data.features, labels: data.labels)
            LoadedModelUse.exercise(model.savedModel)
        case .regressor:
            var model = try MLPRegressor(resumingFrom: checkpoint)
            model.configuration = configuration
            try model.fit(data.features, targets: data.targets(outputCount: network.outputCount))
            LoadedModelUse.exercise(model.savedModel)
        case .autoencoder:
            var model = try Autoencoder(resumingFrom: checkpoint)
            model.configuration = configuration
            try model.fit(data.features)
            LoadedModelUse.exercise(model.savedModel)
        }
    } catch {
        _ = error.description
    }
}
