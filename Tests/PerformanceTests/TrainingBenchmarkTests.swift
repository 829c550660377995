import Foundation
import Testing
@testable import LinearAlgebra
@testable import Performance

@Suite("Training benchmark")
struct TrainingBenchmarkTests {
    @Test("dense flops of an epoch, against a hand computation")
    func flopCount() {
        // 3-4-2 on 5 samples: Σ fanIn·fanOut = 12 + 8 = 20, so per sample forward 2·20 = 40,
        // weight gradients 40, input gradient of layer 2 only 2·8 = 16: 96 flops, 480 in all.
        #expect(abs(TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5) - 480) < 1e-9)
        // One layer has no input gradient: 2·(2·3) + 2·(2·3) = 24 per sample.
        #expect(abs(TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [2, 3], sampleCount: 1) - 24) < 1e-9)
        // Section B: Σ = 200,704 + 32,768 + 8,192 + 2,048 + 320 = 244,032, without the first
        // layer 43,328: 4·244,032 + 2·43,328 = 1,062,784 per sample.
        let sectionB = TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [784, 256, 128, 64, 32, 10], sampleCount: 60_000)
        #expect(abs(sectionB - 1_062_784 * 60_000) < 1)
    }

    @Test("sparse-aware flops count the multiply-adds a sparse first layer makes, and the rest as dense")
    func sparseAwareFlopCount() {
        // 3-4-2 on 5 samples with 6 of the 15 inputs non-zero. Counted the way the kernels work: the
        // forward product adds x·W₁[k, ·] (4 multiply-adds) per non-zero input, the weight gradient
        // likewise; layer 2 is dense (forward 2·8, weight gradient 2·8, input gradient 2·8 a sample).
        let inputs: [Float] = [0, 1, 0, 2, 0, 0, 0, 0, 3, 4, 5, 0, 0, 0, 6]
        let nonZero = inputs.filter { $0 != 0 }.count
        var counted = 0.0
        for x in inputs where x != 0 { counted += 2 * 4 + 2 * 4 }
        counted += 5 * (2 * 8 + 2 * 8 + 2 * 8)
        #expect(TrainingBenchmark.sparseAwareFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: nonZero) == counted)
        // All non-zero: the dense count; all zero: only the layers above the first.
        #expect(TrainingBenchmark.sparseAwareFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: 15)
                == TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5))
        #expect(TrainingBenchmark.sparseAwareFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: 0) == 5 * 48)
        // Section B on MNIST-like data, 19.1 % non-zero: about 24.8 GFLOP instead of 63.77.
        let mnist = TrainingBenchmark.sparseAwareFlopsPerEpoch(
            layerSizes: [784, 256, 128, 64, 32, 10], sampleCount: 60_000, nonZeroInputs: Int(0.191 * 784 * 60_000))
        #expect(abs(mnist / 1e9 - 24.8) < 0.05, "\(mnist / 1e9)")
        // The automatic kernel counts as sparse at 19 % non-zero and as dense at 50 %.
        let benchmark = TrainingBenchmark()
        #expect(benchmark.boundFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: 3, inputKernel: .automatic)
                < TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5))
        #expect(benchmark.boundFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: 8, inputKernel: .automatic)
                == TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5))
        #expect(benchmark.boundFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5, nonZeroInputs: 3, inputKernel: .dense)
                == TrainingBenchmark.denseFlopsPerEpoch(layerSizes: [3, 4, 2], sampleCount: 5))
    }

    @Test("synthetic images have MNIST's shape, about 19 % non-zero pixels, every label, and depend on the seed only")
    func syntheticImages() throws {
        let data = try BenchmarkDataset.load(sampleCount: 2000, synthetic: true, seed: 5)
        #expect(data.source == .synthetic)
        #expect(data.note?.contains("Synthetic data, not MNIST") == true)
        #expect(data.images.sampleCount == 2000 && data.images.featureCount == 784)
        let nonZero = Double(data.images.pixels.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }) / Double(data.images.pixels.count)
        #expect(abs(nonZero - 0.19) < 0.005, "non-zero fraction \(nonZero)")
        #expect(Set(data.images.labels) == Set(0...9))
        #expect(BenchmarkDataset.synthetic(sampleCount: 20, seed: 5).pixels == BenchmarkDataset.synthetic(sampleCount: 20, seed: 5).pixels)
        #expect(BenchmarkDataset.synthetic(sampleCount: 20, seed: 5).pixels != BenchmarkDataset.synthetic(sampleCount: 20, seed: 6).pixels)
    }

    @Test("a tiny run gives finite positive times for every measurement, and its JSON round-trips")
    func tinyRun() throws {
        let data = try BenchmarkDataset.load(sampleCount: 512, synthetic: true)
        let benchmark = TrainingBenchmark(batchSize: 64, epochs: 2, threads: 1, inputKernels: [.dense],
                                          replayRepetitions: 1, peakIterations: 10_000)
        let result = try benchmark.run(on: data)
        func positive(_ value: Double) -> Bool { value.isFinite && value > 0 }

        #expect(result.layerSizes == [784, 256, 128, 64, 32, 10])
        #expect(result.data == .synthetic && result.sampleCount == 512 && result.threads == 1)
        #expect(result.engines.count == 1)
        let engine = try #require(result.engines.first)
        #expect(engine.secondsPerEpoch.count == 2 && engine.secondsPerEpoch.allSatisfy(positive))
        #expect(positive(engine.medianEpochSeconds) && positive(engine.overheadRatio) && positive(engine.effectiveGflops))
        #expect(abs(engine.samplesPerSecond * engine.medianEpochSeconds - 512) < 1e-6)
        #expect(engine.finalLoss.isFinite)
        #expect(result.replay.map(\.strategy) == GemmReplay.availableStrategies)
        #expect(result.replay.allSatisfy { $0.seconds.count == 1 && positive($0.medianSeconds) && positive($0.gflops) })
        let fastest = result.replay.map(\.medianSeconds).min() ?? .nan
        #expect(abs(result.bareGemmSeconds - fastest) <= 1e-12)
        #expect(abs(engine.overheadRatio - engine.medianEpochSeconds / fastest) <= 1e-9 * engine.overheadRatio)
        let flops = TrainingBenchmark.denseFlopsPerEpoch(layerSizes: result.layerSizes, sampleCount: 512)
        #expect(abs(result.flopsPerEpoch - flops) < 0.5)
        #expect(positive(result.peakGflops) && positive(result.epochSecondsAtPeak) && positive(result.peakResidentMegabytes))
        #expect(result.notes.first?.contains("Synthetic") == true)
        // One engine row, the replays, the dense bound and the sparse-aware bound.
        #expect(result.table.rows.count == 1 + result.replay.count + 2)
        #expect(positive(result.sparseAwareFlopsPerEpoch) && result.sparseAwareFlopsPerEpoch < result.flopsPerEpoch)
        #expect(result.epochSecondsAtSparseBound < result.epochSecondsAtPeak)
        #expect(result.plainText.contains("SYNTHETIC"))
        #expect(result.markdown.hasPrefix("# Training benchmark"))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(result)
        let decoded = try JSONDecoder().decode(TrainingBenchmark.Result.self, from: json)
        #expect(try encoder.encode(decoded) == json)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["data"] as? String == "synthetic")
        #expect((object["engines"] as? [[String: Any]])?.first?["inputKernel"] as? String == "dense")
    }
}
