import Foundation
import LinearAlgebra
import NeuralNetwork
import Reporting
import MLPCore

/// One classifier trained with a progress bar, its curves captured epoch by epoch so that a run
/// that diverges still has them.
public struct ClassifierRun: Sendable {
    /// The model's name, e.g. "relu / normal".
    public var name: String
    /// The trained model, or nil when training diverged.
    public var model: MLPClassifier?
    /// The epoch in which the loss became NaN or infinite, or nil.
    public var divergedEpoch: Int?
    /// Training loss per epoch (mean over the epoch's batches).
    public var trainingLoss: [Double] = []
    /// Training accuracy per epoch (over the epoch's batches).
    public var trainingAccuracy: [Double] = []
    /// Validation loss per epoch.
    public var validationLoss: [Double] = []
    /// Validation accuracy per epoch.
    public var validationAccuracy: [Double] = []
    /// Wall-clock seconds of training.
    public var seconds: Double = 0
    /// Why training stopped.
    public var stopReason: StopReason?

    /// The epoch whose parameters the model kept: the best validation epoch with early stopping,
    /// else the last; 1-based.
    public var keptEpoch: Int {
        model?.history.bestValidationEpoch.flatMap { model?.configuration.earlyStopping == true ? $0 : nil } ?? trainingLoss.count
    }

    /// The number of epochs run.
    public var epochsRun: Int { trainingLoss.count }

    /// `curve[keptEpoch − 1]`, or NaN.
    public func atKeptEpoch(_ curve: [Double]) -> Double {
        let index = keptEpoch - 1
        return curve.indices.contains(index) ? curve[index] : .nan
    }

    /// Whether the run ended by itself (no improvement) rather than at the epoch cap.
    public var converged: Bool { divergedEpoch == nil && stopReason != nil && stopReason != .maxEpochs }

    /// Trains `configuration` on `features`/`labels`, scoring `validation` every epoch.
    /// Divergence is caught and recorded; other errors are thrown.
    public static func train(
        name: String, configuration: TrainingConfiguration,
        features: some FeatureSource, labels: [Int],
        validation: (features: any FeatureSource, labels: [Int])?,
        context: ExperimentContext, showsProgress: Bool = true
    ) throws(NeuralNetworkError) -> ClassifierRun {
        var run = ClassifierRun(name: name)
        var model = MLPClassifier(configuration: configuration)
        let bar = showsProgress ? context.progressBar(label: name, total: configuration.maxEpochs) : nil
        let recorder = CurveRecorder()
        let started = MonotonicClock.seconds()
        do {
            try model.fit(features, labels: labels, validation: validation) { report in
                recorder.record(report)
                bar?.update(step: report.epoch, loss: report.loss,
                            accuracy: report.validationAccuracy ?? report.trainingAccuracy)
            }
            run.model = model
            run.stopReason = model.history.stopReason
        } catch {
            guard case .diverged(let epoch, _, _, _) = error else {
                bar?.finish(clear: true)
                throw error
            }
            run.divergedEpoch = epoch
        }
        bar?.finish(clear: true)
        run.seconds = MonotonicClock.seconds() - started
        let curves = recorder.curves
        run.trainingLoss = curves.trainingLoss
        run.trainingAccuracy = curves.trainingAccuracy
        run.validationLoss = curves.validationLoss
        run.validationAccuracy = curves.validationAccuracy
        // A loss that turned NaN without an error still counts as divergence.
        if run.divergedEpoch == nil, let bad = run.trainingLoss.firstIndex(where: { !$0.isFinite }) {
            run.divergedEpoch = bad + 1
            run.model = nil
        }
        return run
    }
}

/// Collects epoch reports from a training callback.
final class CurveRecorder: @unchecked Sendable {
    struct Curves {
        var trainingLoss: [Double] = []
        var trainingAccuracy: [Double] = []
        var validationLoss: [Double] = []
        var validationAccuracy: [Double] = []
    }

    private let lock = NSLock()
    private var stored = Curves()

    func record(_ report: EpochReport) {
        lock.lock()
        defer { lock.unlock() }
        stored.trainingLoss.append(report.loss)
        if let value = report.trainingAccuracy { stored.trainingAccuracy.append(value) }
        if let value = report.validationLoss { stored.validationLoss.append(value) }
        if let value = report.validationAccuracy { stored.validationAccuracy.append(value) }
    }

    var curves: Curves {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
