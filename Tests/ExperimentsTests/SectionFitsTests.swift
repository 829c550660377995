import Datasets
@testable import Experiments
import Foundation
import NeuralNetwork
import Testing

/// The sections' fits as work items: the items come in the order the results are gathered, and an
/// item's result depends on nothing but the item (so items could run anywhere, in any order).
@Suite struct SectionFitsTests {
    let context = ExperimentContext(seed: 1, threads: 1, showsProgress: false, log: { _ in })

    /// 30 two-class 4×4 images as a 10 / 10 / 10 contiguous split.
    func fashionData() throws -> FashionData {
        let dataset = try halvesDataset(samples: 30, seed: 7)
        let split = try DatasetSplit.contiguous(sampleCount: 30, trainingCount: 10, validationCount: 10, testCount: 10)
        return FashionData(named: .fashionMNIST, training: dataset, test: dataset, split: split)
    }

    /// Every number of a summary, as bits.
    func bits(_ summary: ClassifierSummary) -> [UInt64] {
        [summary.trainingLoss, summary.trainingAccuracy, summary.validationLoss, summary.validationAccuracy,
         summary.testAccuracy ?? .nan, Double(summary.epochsRun)].map(\.bitPattern)
            + summary.trainingLossCurve.map(\.bitPattern) + summary.validationLossCurve.map(\.bitPattern)
    }

    @Test func scratchItemsRunInAnyOrderToTheSameResults() throws {
        let data = try halvesDataset(samples: 60, seed: 5)
        var configuration = ScratchSection.Configuration()
        configuration.activations = [.relu, .tanh]
        configuration.initializations = [.zero, .normal]
        configuration.hiddenLayerSizes = [8]
        configuration.batchSize = 8
        configuration.maxEpochs = 2
        let fits = try ScratchSection.Fits(context: context, configuration: configuration, data: (data, data))
        #expect(fits.workItems().map(\.name) == ["relu / zero", "relu / normal", "tanh / zero", "tanh / normal"])
        let inOrder = try WorkRunner().run(fits)
        let backwards = Array(try fits.workItems().reversed().map { item throws(NeuralNetworkError) in try fits.run(item) }.reversed())
        #expect(inOrder.map(\.summary.name) == backwards.map(\.summary.name))
        for (first, second) in zip(inOrder, backwards) { #expect(bits(first.summary) == bits(second.summary)) }
    }

    @Test func autoencoderItemsAreEachRateWithReluThenIdentity() throws {
        var configuration = AutoencoderSection.Configuration()
        configuration.includeOriginalRate = true
        let fits = AutoencoderSection.Fits(context: context, configuration: configuration, data: try fashionData())
        #expect(fits.workItems().map(\.name) == ["relu, lr 0.001", "identity, lr 0.001", "relu, lr 2e-5", "identity, lr 2e-5"])
        configuration.originalLearningRate = configuration.learningRate
        #expect(AutoencoderSection.Fits(context: context, configuration: configuration, data: try fashionData())
            .workItems().map(\.name) == ["relu, lr 0.001", "identity, lr 0.001"])
    }

    /// C2's classifiers and C4's autoencoders feed C5 through typed results.
    @Test func featuresCompareCodesWithRawPixels() throws {
        let data = try fashionData()
        var classifier = ActivationsSection.Configuration()
        classifier.activations = [.relu, .identity]
        classifier.hiddenLayerSizes = [8]
        classifier.batchSize = 8
        classifier.maxEpochs = 3
        let raw = try ActivationsSection.run(context, data: data, configuration: classifier)
        #expect(raw.models.map(\.activation) == [.relu, .identity])
        #expect(raw.validationAccuracy(of: .tanh) == nil)

        var autoencoder = AutoencoderSection.Configuration()
        autoencoder.hiddenLayerSizes = [8, 4, 8]
        autoencoder.batchSize = 8
        autoencoder.maxEpochs = 3
        let autoencoders = try AutoencoderSection.run(context, data: data, configuration: autoencoder)
        #expect(autoencoders.models.map(\.name) == ["relu, lr 0.001", "identity, lr 0.001"])
        #expect(autoencoders.reconstructions.count == 4)
        #expect(autoencoders.reconstructions.allSatisfy { $0.rows == 10 && $0.columns == 16 })

        var configuration = FeaturesSection.Configuration()
        configuration.classifier = classifier
        let results = try FeaturesSection.run(context, data: data, autoencoders: autoencoders, raw: raw, configuration: configuration)
        #expect(results.models.map(\.activation) == [.relu, .identity])
        #expect(results.codeWidth == 4)
        for model in results.models {
            #expect(model.rawValidationAccuracy.bitPattern == raw.validationAccuracy(of: model.activation)?.bitPattern)
        }
        let best = try #require(results.best)
        #expect(results.bestValidationAccuracy.bitPattern == best.summary.validationAccuracy.bitPattern)
        #expect(results.models.allSatisfy { $0.predictions.isEmpty || !($0.summary.validationAccuracy > results.bestValidationAccuracy) })
        #expect(results.confusion?.total == 10)

        let section = FeaturesSection.render(results, context: context)
        #expect(section.tables.map(\.rows.count) == [2, 2, 2])
        #expect(section.numbers.keys.sorted() == ["identity", "relu"].flatMap { name in
            ["rawValidationAccuracy", "testAccuracy", "validationAccuracy"].map { "features.\(name).\($0)" } })
        #expect(section.goals.count == 1)
    }
}
