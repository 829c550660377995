import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// The cosine and step schedules and their warm-up against PyTorch's closed forms.
@Suite struct ScheduleTests {
    static func configuration(_ schedule: LearningRateSchedule, warmup: Int = 0) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(hiddenLayerSizes: [6], learningRateInit: 0.1, batchSize: 25, maxEpochs: 12,
                                                  seed: 2, threads: 1)
        configuration.learningRateSchedule = schedule
        configuration.warmupEpochs = warmup
        configuration.stepSize = 3
        configuration.stepFactor = 0.5
        configuration.minimumLearningRate = 0.01
        configuration.tolerance = 0
        configuration.epochsWithoutImprovement = 1_000
        return configuration
    }

    /// PyTorch's `CosineAnnealingLR._get_closed_form_lr`: `η_min + (η₀ − η_min)(1 + cos(π t / T)) / 2`.
    static func cosine(_ t: Int, initial: Double, minimum: Double, horizon: Int) -> Double {
        minimum + (initial - minimum) * (1 + cos(Double.pi * Double(t) / Double(horizon))) / 2
    }

    /// PyTorch's `StepLR._get_closed_form_lr`: `η₀ · γ^⌊t / step_size⌋`.
    static func step(_ t: Int, initial: Double, gamma: Double, stepSize: Int) -> Double {
        initial * pow(gamma, Double(t / stepSize))
    }

    @Test func cosineFollowsTheClosedForm() {
        let configuration = Self.configuration(.cosine)
        for epoch in 0..<12 {
            let expected = Self.cosine(epoch, initial: 0.1, minimum: 0.01, horizon: 12)
            #expect(isClose(configuration.learningRate(atEpoch: epoch), expected, absolute: 1e-15, relative: 1e-12))
        }
        #expect(configuration.learningRate(atEpoch: 0) == 0.1)
        #expect(configuration.learningRate(atEpoch: 12) == 0.01)
        #expect(configuration.learningRate(atEpoch: 40) == 0.01)
    }

    @Test func stepFollowsTheClosedForm() {
        let configuration = Self.configuration(.step)
        for epoch in 0..<12 {
            #expect(isClose(configuration.learningRate(atEpoch: epoch), Self.step(epoch, initial: 0.1, gamma: 0.5, stepSize: 3),
                            absolute: 1e-15, relative: 1e-12))
        }
    }

    /// Warm-up is PyTorch's `LinearLR(start_factor = 1/(W+1), total_iters = W)` followed by the
    /// schedule on `e − W` (`SequentialLR`).
    @Test(arguments: [LearningRateSchedule.constant, .cosine, .step])
    func warmUpIsLinearThenTheSchedule(schedule: LearningRateSchedule) {
        let warmup = 3
        let configuration = Self.configuration(schedule, warmup: warmup)
        for epoch in 0..<12 {
            let expected: Double
            if epoch < warmup {
                let startFactor = 1 / Double(warmup + 1)
                expected = 0.1 * (startFactor + (1 - startFactor) * Double(epoch) / Double(warmup))
            } else {
                let t = epoch - warmup
                switch schedule {
                case .cosine: expected = Self.cosine(t, initial: 0.1, minimum: 0.01, horizon: 12 - warmup)
                case .step: expected = Self.step(t, initial: 0.1, gamma: 0.5, stepSize: 3)
                default: expected = 0.1
                }
            }
            #expect(isClose(configuration.learningRate(atEpoch: epoch), expected, absolute: 1e-15, relative: 1e-12),
                    "\(schedule) epoch \(epoch)")
        }
    }

    /// `fit` trains each epoch at the scheduled rate (the history records it).
    @Test(arguments: [LearningRateSchedule.cosine, .step])
    func trainingUsesTheSchedule(schedule: LearningRateSchedule) throws {
        var configuration = Self.configuration(schedule, warmup: 2)
        configuration.maxEpochs = 8
        configuration.optimizer = .sgd
        var model = MLPClassifier(configuration: configuration)
        try model.fit(TestData.normal(rows: 100, columns: 4, seed: 1), labels: TestData.labels(count: 100, classes: 2, seed: 2))
        #expect(model.history.learningRates == (0..<8).map { configuration.learningRate(atEpoch: $0) })
        #expect(model.core.state?.optimizer.epoch == 8)
    }

    @Test func invalidSettingsAreRefused() {
        func refused(_ change: (inout TrainingConfiguration) -> Void) -> Bool {
            var configuration = Self.configuration(.cosine)
            change(&configuration)
            do { try configuration.validate() } catch { return true }
            return false
        }
        #expect(refused { $0.warmupEpochs = -1 })
        #expect(refused { $0.learningRateSchedule = .adaptive; $0.warmupEpochs = 2 })
        #expect(refused { $0.learningRateSchedule = .inverseScaling; $0.warmupEpochs = 1 })
        #expect(refused { $0.stepSize = 0 })
        #expect(refused { $0.stepFactor = 0 })
        #expect(refused { $0.stepFactor = .nan })
        #expect(refused { $0.minimumLearningRate = 0.2 })
        #expect(refused { $0.minimumLearningRate = -0.1 })
        #expect(refused { $0.scheduleEpochs = 0 })
        #expect(!refused { $0.scheduleEpochs = 30 })
    }

    /// A cosine run whose length is `maxEpochs` may not resume with another `maxEpochs`.
    @Test func maxEpochsShapesACosineRun() {
        let saved = Self.configuration(.cosine)
        var longer = saved
        longer.maxEpochs = 20
        #expect(longer.fieldsThatChangeTheRun(comparedTo: saved) == ["maxEpochs"])
        var fixed = saved
        fixed.scheduleEpochs = 12
        var fixedLonger = fixed
        fixedLonger.maxEpochs = 20
        #expect(fixedLonger.fieldsThatChangeTheRun(comparedTo: fixed).isEmpty)
        var stepped = Self.configuration(.step)
        let steppedSaved = stepped
        stepped.maxEpochs = 20
        #expect(stepped.fieldsThatChangeTheRun(comparedTo: steppedSaved).isEmpty)
        var dropped = saved
        dropped.dropout = 0.2
        dropped.weightDecay = 0.1
        #expect(dropped.fieldsThatChangeTheRun(comparedTo: saved) == ["dropout", "weightDecay"])
    }

    /// A configuration written before the new fields existed decodes with their defaults.
    @Test func olderConfigurationsDecodeWithDefaults() throws {
        let json = #"{"hiddenLayerSizes":[5],"optimizer":"adam","learningRateInit":0.01}"#
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8))
        #expect(configuration.warmupEpochs == 0 && configuration.stepSize == 10 && configuration.stepFactor == 0.1)
        #expect(configuration.minimumLearningRate == 0 && configuration.scheduleEpochs == nil)
        #expect(configuration.weightDecay == 0.01 && configuration.dropout == 0)
        var changed = TrainingConfiguration()
        changed.learningRateSchedule = .cosine
        changed.warmupEpochs = 2
        changed.scheduleEpochs = 9
        changed.optimizer = .adamw
        changed.dropout = 0.25
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(ModelFile.json(changed).utf8))
        #expect(decoded == changed)
    }
}
