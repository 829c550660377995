import Datasets
@testable import Experiments
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinearAlgebra
import NeuralNetwork
import Testing
import MLPCore

/// Section B with draws so large that the logits overflow: the run must become a
/// "diverged at epoch k" row, and no NaN may reach the table, the JSON or the plot.
@Suite struct ScratchDivergenceTests {
    func dataset() throws -> Dataset { try halvesDataset(samples: 60, seed: 5) }

    @Test func hugeInitialisationIsReportedAsDivergedWithoutNaN() throws {
        let data = try dataset()
        var configuration = ScratchSection.Configuration()
        configuration.activations = [.relu]
        configuration.initializations = [.zero, .random]
        configuration.hiddenLayerSizes = [8, 8]
        configuration.batchSize = 8
        configuration.maxEpochs = 2
        configuration.initScale = 1e15   // 16 · 1e15 · 8 · 1e15 · 8 · 1e15 overflows Float
        let context = ExperimentContext(seed: 1, threads: 1, showsProgress: false, log: { _ in })
        let results = try ScratchSection.run(context, configuration: configuration, data: (data, data))
        #expect(results.models.map(\.summary.name) == ["relu / zero", "relu / random"])
        let random = try #require(results.models.first { $0.initialization == .random })
        #expect(random.summary.testAccuracy == nil && random.summary.divergedEpoch == 1)
        let result = ScratchSection.render(results, context: context)

        let table = try #require(result.tables.first)
        #expect(table.title == "2 MNIST models")
        #expect(table.rows.count == 2)
        let randomRow = try #require(table.rows.first { $0[1] == "random" })
        #expect(randomRow[2] == "diverged at epoch 1")
        #expect(randomRow[7] == "1")
        let zeroRow = try #require(table.rows.first { $0[1] == "zero" })
        #expect(!zeroRow[2].contains("diverged"))
        for row in table.rows { #expect(!row.contains { $0.lowercased().contains("nan") }, "\(row)") }
        #expect(result.numbers["scratch.relu.random.divergedEpoch"] == 1)
        #expect(result.numbers.values.allSatisfy { $0.isFinite })
        #expect(result.terminalText().contains("Diverged (a batch's loss or gradient became NaN or infinite"))

        // The default encoder throws on NaN and infinities, so this fails if any reached the record.
        let json = try JSONEncoder().encode(result.record)
        #expect((try? JSONSerialization.jsonObject(with: json)) != nil)

        let figure = try #require(result.figures.first { $0.fileName == "scratch-loss.svg" })
        guard case .svg(let svg) = figure.content else {
            Issue.record("the loss plot is not an SVG")
            return
        }
        #expect(!svg.contains("NaN") && !svg.lowercased().contains("nan\""))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }
}
