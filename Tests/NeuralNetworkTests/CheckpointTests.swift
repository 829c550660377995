import Foundation
import LinearAlgebra
import MLPCore
@testable import NeuralNetwork
import Testing
import TestSupport

/// Exact resumption: training 4 epochs in one go and training 2, checkpointing, and resuming to 4
/// must give the same weights, bit for bit, and the same history (timings aside).
@Suite struct CheckpointTests {
    static let data = (features: TestData.normal(rows: 203, columns: 6, seed: 51),
                       labels: TestData.labels(count: 203, classes: 3, seed: 52))

    /// The modes the guarantee covers.
    enum Mode: String, CaseIterable, Sendable {
        case adam, sgdMomentum, earlyStopping, adaptive, clippedL2, adamwCosineWarmup, dropoutStep
    }

    static func configuration(_ mode: Mode, epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(
            hiddenLayerSizes: [12, 7], activation: .tanh, optimizer: .adam, learningRateInit: 0.01,
            batchSize: 32, maxEpochs: epochs, alpha: 1e-3, seed: 11, threads: 2)
        switch mode {
        case .adam:
            break
        case .sgdMomentum:
            configuration.optimizer = .sgd
            configuration.momentum = 0.9
            configuration.learningRateInit = 0.05
            configuration.learningRateSchedule = .inverseScaling
        case .earlyStopping:
            configuration.earlyStopping = true
            configuration.validationFraction = 0.2
            configuration.epochsWithoutImprovement = 1
            configuration.tolerance = 0.2
        case .adaptive:
            configuration.optimizer = .sgd
            configuration.learningRateSchedule = .adaptive
            configuration.adaptivePatience = 1
            configuration.tolerance = 0.5
        case .clippedL2:
            configuration.gradientClipNorm = 0.5
            configuration.alpha = 0.1
        case .adamwCosineWarmup:
            configuration.optimizer = .adamw
            configuration.weightDecay = 0.1
            configuration.learningRateSchedule = .cosine
            configuration.warmupEpochs = 1
            configuration.scheduleEpochs = 4
            configuration.minimumLearningRate = 0.001
        case .dropoutStep:
            configuration.dropout = 0.3
            configuration.learningRateSchedule = .step
            configuration.stepSize = 1
            configuration.stepFactor = 0.5
            configuration.warmupEpochs = 1
        }
        return configuration
    }

    /// The history without its timings.
    static func timeless(_ history: TrainingHistory) -> TrainingHistory {
        var history = history
        history.secondsPerEpoch = []
        history.communicationSecondsPerEpoch = []
        return history
    }

    @Test(arguments: Mode.allCases)
    func fourEpochsEqualTwoThenTwoResumed(mode: Mode) throws {
        var whole = MLPClassifier(configuration: Self.configuration(mode, epochs: 4))
        try whole.fit(Self.data.features, labels: Self.data.labels)

        try withTemporaryDirectory("checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            var first = MLPClassifier(configuration: Self.configuration(mode, epochs: 2))
            first.checkpointing = Checkpointing(path: path)
            try first.fit(Self.data.features, labels: Self.data.labels)

            let checkpoint = try TrainingCheckpoint.load(from: path)
            #expect(checkpoint.epochsCompleted == 2)
            var resumed = try MLPClassifier(resumingFrom: checkpoint)
            resumed.configuration.maxEpochs = 4
            try resumed.fit(Self.data.features, labels: Self.data.labels)

            #expect(bits(resumed.network!.parameters) == bits(whole.network!.parameters))
            #expect(Self.timeless(resumed.history) == Self.timeless(whole.history))
            #expect(resumed.history.epochsRun == whole.history.epochsRun)
        }
    }

    @Test func aStopMidEpochResumesToTheSameWeights() throws {
        let configuration = Self.configuration(.adam, epochs: 3)
        var whole = MLPClassifier(configuration: configuration)
        try whole.fit(Self.data.features, labels: Self.data.labels)

        try withTemporaryDirectory("checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            var stopped = MLPClassifier(configuration: configuration)
            stopped.checkpointing = Checkpointing(path: path, every: 5)
            let signal = StopSignal()
            stopped.stopSignal = signal
            var batches = 0
            // The signal is raised during epoch 2's training (after the first epoch's report).
            try stopped.fit(Self.data.features, labels: Self.data.labels) { report in
                batches += 1
                if report.epoch == 1 { signal.raise() }
            }
            #expect(stopped.history.stopReason == .interrupted)
            let checkpoint = try TrainingCheckpoint.load(from: path)
            // Raised between epochs: the stop comes after epoch 2's first batch.
            #expect(checkpoint.epochsCompleted == 1)
            #expect(checkpoint.samplesIntoEpoch == 32)

            var resumed = try MLPClassifier(resumingFrom: checkpoint)
            try resumed.fit(Self.data.features, labels: Self.data.labels)
            #expect(bits(resumed.network!.parameters) == bits(whole.network!.parameters))
            #expect(Self.timeless(resumed.history) == Self.timeless(whole.history))
        }
    }

    @Test func ranksResumeTheCheckpointRankZeroWrote() throws {
        let configuration = Self.configuration(.earlyStopping, epochs: 4)
        var whole = MLPClassifier(configuration: configuration)
        try whole.fit(Self.data.features, labels: Self.data.labels)

        try withTemporaryDirectory("checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            var half = Self.configuration(.earlyStopping, epochs: 2)
            half.threads = 1
            let firstHalf = half
            _ = try ThreadCommunicator.run(ranks: 2) { _, communicator in
                var model = MLPClassifier(configuration: firstHalf)
                model.communicator = communicator
                model.checkpointing = Checkpointing(path: path)
                try model.fit(Self.data.features, labels: Self.data.labels)
                return true
            }.map { try $0.get() }
            let models = try ThreadCommunicator.run(ranks: 2) { _, communicator in
                var model = try MLPClassifier(resumingFrom: TrainingCheckpoint.load(from: path))
                model.communicator = communicator
                model.configuration.maxEpochs = 4
                try model.fit(Self.data.features, labels: Self.data.labels)
                return model
            }.map { try $0.get() }
            for model in models {
                #expect(bits(model.network!.parameters) == bits(whole.network!.parameters))
                #expect(Self.timeless(model.history) == Self.timeless(whole.history))
            }
        }
    }

    @Test func regressorsAndAutoencodersResumeExactly() throws {
        let targets = Matrix(rows: 203, columns: 2) { row, column in Self.data.features[row, column] * 0.5 + 0.1 }
        var configuration = Self.configuration(.sgdMomentum, epochs: 4)
        configuration.learningRateInit = 0.01
        var whole = MLPRegressor(configuration: configuration)
        try whole.fit(Self.data.features, targets: targets)
        var wholeAutoencoder = Autoencoder(configuration: configuration)
        try wholeAutoencoder.fit(Self.data.features)
        try withTemporaryDirectory("checkpoint") { directory in
            configuration.maxEpochs = 2
            var first = MLPRegressor(configuration: configuration)
            first.checkpointing = Checkpointing(path: directory + "/regressor")
            try first.fit(Self.data.features, targets: targets)
            var resumed = try MLPRegressor(resumingFrom: TrainingCheckpoint.load(from: directory + "/regressor"))
            resumed.configuration.maxEpochs = 4
            try resumed.fit(Self.data.features, targets: targets)
            #expect(bits(resumed.network!.parameters) == bits(whole.network!.parameters))

            var firstAutoencoder = Autoencoder(configuration: configuration)
            try firstAutoencoder.partialFit(Self.data.features)
            firstAutoencoder.checkpointing = Checkpointing(path: directory + "/unused")
            try firstAutoencoder.partialFit(Self.data.features)
            try firstAutoencoder.saveCheckpoint(to: directory + "/autoencoder")
            var continued = try Autoencoder(resumingFrom: TrainingCheckpoint.load(from: directory + "/autoencoder"))
            try continued.partialFit(Self.data.features)
            var reference = Autoencoder(configuration: configuration)
            for _ in 0..<3 { try reference.partialFit(Self.data.features) }
            #expect(bits(continued.network!.parameters) == bits(reference.network!.parameters))
            // A partialFit series continues with partialFit; fit refuses it.
            var refused = try Autoencoder(resumingFrom: TrainingCheckpoint.load(from: directory + "/autoencoder"))
            #expect(throws: NeuralNetworkError.self) { try refused.fit(Self.data.features) }
            _ = wholeAutoencoder
        }
    }

    @Test func resumingOnOtherDataOrAnotherConfigurationIsRefused() throws {
        try withTemporaryDirectory("checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            var first = MLPClassifier(configuration: Self.configuration(.adam, epochs: 1))
            first.checkpointing = Checkpointing(path: path)
            try first.fit(Self.data.features, labels: Self.data.labels)
            let checkpoint = try TrainingCheckpoint.load(from: path)

            var otherData = try MLPClassifier(resumingFrom: checkpoint)
            var changed = Self.data.features
            changed[0, 0] += 1
            let dataError = #expect(throws: NeuralNetworkError.self) { try otherData.fit(changed, labels: Self.data.labels) }
            #expect(dataError?.description.contains("training data") == true)

            var otherBatch = try MLPClassifier(resumingFrom: checkpoint)
            otherBatch.configuration.batchSize = 16
            let batchError = #expect(throws: NeuralNetworkError.self) { try otherBatch.fit(Self.data.features, labels: Self.data.labels) }
            #expect(batchError?.description.contains("batchSize: 32 → 16") == true)

            #expect(throws: NeuralNetworkError.self) { try MLPRegressor(resumingFrom: checkpoint) }
            #expect(throws: ModelFileError.self) { try SavedModel.load(from: path) }
            // Raising the epochs and the threads is allowed.
            var more = try MLPClassifier(resumingFrom: checkpoint)
            more.configuration.maxEpochs = 2
            more.configuration.threads = 1
            try more.fit(Self.data.features, labels: Self.data.labels)
            #expect(more.history.epochsRun == 2)
        }
    }

    @Test func corruptedCheckpointsAreRefusedWithOneLine() throws {
        try withTemporaryDirectory("checkpoint") { directory in
            let path = directory + "/run.checkpoint"
            var model = MLPClassifier(configuration: Self.configuration(.earlyStopping, epochs: 2))
            model.checkpointing = Checkpointing(path: path)
            try model.fit(Self.data.features, labels: Self.data.labels)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let file = try SafeTensors.parse(bytes)

            var damaged: [(String, [UInt8])] = [
                ("truncated", Array(bytes.prefix(bytes.count / 2))),
                ("header only", Array(bytes.prefix(8))),
            ]
            func variant(_ name: String, _ change: (inout SafeTensors) -> Void) {
                var copy = file
                change(&copy)
                damaged.append((name, copy.serialized()))
            }
            variant("no checkpoint entry") { $0.metadata["checkpoint"] = nil }
            variant("bad JSON") { $0.metadata["checkpoint"] = "{" }
            variant("wrong moment count") { file in
                file.tensors = file.tensors.map { tensor in
                    tensor.name == "optimizer.first_moment" ? .init(name: tensor.name, shape: [3], values: [0, 0, 0]) : tensor
                }
            }
            variant("NaN moment") { file in
                file.tensors = file.tensors.map { tensor in
                    guard tensor.name == "optimizer.second_moment" else { return tensor }
                    var values = tensor.values
                    values[0] = .nan
                    return .init(name: tensor.name, shape: tensor.shape, values: values)
                }
            }
            variant("zero generator") { file in
                file.metadata["checkpoint"] = file.metadata["checkpoint"]!.replacingOccurrences(
                    of: #""shuffleGenerator":\[[^\]]*\]"#, with: #""shuffleGenerator":["0","0","0","0"]"#, options: .regularExpression)
            }
            variant("negative step") { file in
                file.metadata["checkpoint"] = file.metadata["checkpoint"]!.replacingOccurrences(
                    of: #""step":[0-9]+"#, with: #""step":-4"#, options: .regularExpression)
            }
            variant("model file") { $0.metadata["format"] = "swift-mlp" }
            for (name, contents) in damaged {
                let damagedPath = directory + "/" + name.replacingOccurrences(of: " ", with: "-")
                try writeBytes(contents, to: damagedPath)
                let error = #expect(throws: ModelFileError.self, "\(name)") { try TrainingCheckpoint.load(from: damagedPath) }
                #expect(error?.description.contains("\n") == false, "\(name)")
            }
            // Every byte flipped in turn, in the header, never crashes.
            let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
            for offset in stride(from: 8, to: 8 + headerLength, by: 7) {
                var flipped = bytes
                flipped[offset] ^= 0x5a
                let flippedPath = directory + "/flipped"
                try writeBytes(flipped, to: flippedPath)
                _ = try? TrainingCheckpoint.load(from: flippedPath)
            }
        }
    }
}
