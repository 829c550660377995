import Testing
@testable import LinearAlgebra
@testable import Performance
import MLPCore

@Suite("Bare-GEMM replay")
struct GemmReplayTests {
    static let sectionB = [784, 256, 128, 64, 32, 10]

    static func maximumDifference(_ left: [Float], _ right: [Float]) -> Float {
        precondition(left.count == right.count, "\(left.count) vs \(right.count) values")
        return zip(left, right).reduce(Float(0)) { Swift.max($0, abs($1.0 - $1.1)) }
    }

    @Test("one batch of the section-B network makes 14 calls with the layer shapes")
    func callList() {
        let calls = GemmCall.trainingStep(layerSizes: Self.sectionB, rows: 128)
        #expect(calls.count == 14)
        let described = calls.map { "\($0.role.rawValue) \($0.layer): \($0.m)×\($0.n)×\($0.k)" }
        #expect(described == [
            "forward 1: 128×256×784", "forward 2: 128×128×256", "forward 3: 128×64×128",
            "forward 4: 128×32×64", "forward 5: 128×10×32",
            "weight-gradient 5: 32×10×128", "input-gradient 5: 128×32×10",
            "weight-gradient 4: 64×32×128", "input-gradient 4: 128×64×32",
            "weight-gradient 3: 128×64×128", "input-gradient 3: 128×128×64",
            "weight-gradient 2: 256×128×128", "input-gradient 2: 128×256×128",
            "weight-gradient 1: 784×256×128",
        ])
        #expect(calls.filter { $0.role == .forward }.allSatisfy { $0.transposeA == .none && $0.transposeB == .none })
        #expect(calls.filter { $0.role == .weightGradient }.allSatisfy { $0.transposeA == .transposed && $0.transposeB == .none })
        #expect(calls.filter { $0.role == .inputGradient }.allSatisfy { $0.transposeA == .none && $0.transposeB == .transposed })
        #expect(!calls.contains { $0.role == .inputGradient && $0.layer == 1 })
    }

    @Test("an epoch's batches: whole batches, then the remainder")
    func batches() {
        #expect(GemmCall.batchRows(sampleCount: 1000, batchSize: 128) == Array(repeating: 128, count: 7) + [104])
        #expect(GemmCall.batchRows(sampleCount: 1024, batchSize: 128) == Array(repeating: 128, count: 8))
        #expect(GemmCall.batchRows(sampleCount: 60_000, batchSize: 128).count == 469)
        #expect(GemmCall.batchRows(sampleCount: 60_000, batchSize: 128).last == 96)
        #expect(GemmCall.batchRows(sampleCount: 50, batchSize: 128) == [50])
        let replay = GemmReplay(layerSizes: [6, 4, 2], sampleCount: 1000, batchSize: 128, threads: 1)
        #expect(replay.batchRows == Array(repeating: 128, count: 7) + [104])
        #expect(replay.callsByRows[104]?.first?.m == 104)
        #expect(replay.callsByRows[104]?.count == 5)
    }

    @Test("the replay's flops are the closed form's")
    func replayFlops() {
        let replay = GemmReplay(layerSizes: Self.sectionB, sampleCount: 1000, batchSize: 128, threads: 1)
        let closedForm = TrainingBenchmark.denseFlopsPerEpoch(layerSizes: Self.sectionB, sampleCount: 1000)
        #expect(abs(replay.flopsPerEpoch - closedForm) <= 1e-12 * closedForm)
        #expect(abs(closedForm - 1_062_784_000) < 0.5)
    }

    @Test("row and column pieces of every call add up to the naive product", arguments: [1, 2, 3])
    func piecesMatchNaiveProduct(parts: Int) {
        var generator = SeededGenerator(seed: 7)
        for call in GemmCall.trainingStep(layerSizes: [7, 5, 3, 4], rows: 6) {
            let (aRows, aColumns) = call.transposeA == .none ? (call.m, call.k) : (call.k, call.m)
            let (bRows, bColumns) = call.transposeB == .none ? (call.k, call.n) : (call.n, call.k)
            let a = Matrix.random(rows: aRows, columns: aColumns, using: &generator)
            let b = Matrix.random(rows: bRows, columns: bColumns, using: &generator)
            var expected = Matrix(rows: call.m, columns: call.n)
            Matrix.naiveMultiply(a, call.transposeA, b, call.transposeB, into: &expected)

            // Column split: every part writes its own columns of one C.
            var columnSplit = [Float](repeating: .nan, count: call.m * call.n)
            // Row split: forward and input-gradient parts write their rows of one C; weight-gradient
            // parts each write a whole partial C, summed afterwards.
            var rowSplit = [Float](repeating: call.role == .weightGradient ? 0 : .nan, count: call.m * call.n)
            a.elements.withUnsafeBufferPointer { aBuffer in
                b.elements.withUnsafeBufferPointer { bBuffer in
                    let (aBase, bBase) = (aBuffer.baseAddress!, bBuffer.baseAddress!)
                    for part in 0..<parts {
                        columnSplit.withUnsafeMutableBufferPointer { c in
                            call.multiply(call.columnPiece(part, of: parts), a: aBase, b: bBase, c: c.baseAddress!)
                        }
                        if call.role == .weightGradient {
                            var partial = [Float](repeating: .nan, count: call.m * call.n)
                            partial.withUnsafeMutableBufferPointer { c in
                                call.multiply(call.rowPiece(part, of: parts), a: aBase, b: bBase, c: c.baseAddress!)
                            }
                            for index in rowSplit.indices { rowSplit[index] += partial[index] }
                        } else {
                            rowSplit.withUnsafeMutableBufferPointer { c in
                                call.multiply(call.rowPiece(part, of: parts), a: aBase, b: bBase, c: c.baseAddress!)
                            }
                        }
                    }
                }
            }
            let label = "\(call.role.rawValue) \(call.layer) in \(parts) parts"
            #expect(Self.maximumDifference(columnSplit, expected.elements) < 1e-5, "\(label), columns")
            #expect(Self.maximumDifference(rowSplit, expected.elements) < 1e-5, "\(label), rows")
        }
    }

    @Test("every strategy leaves the buffers the sequential replay leaves, and it matches the naive product")
    func strategiesAgree() {
        let layers = [9, 7, 5, 3]
        func replayed(_ strategy: GemmReplay.Strategy) -> GemmReplay {
            let replay = GemmReplay(layerSizes: layers, sampleCount: 11, batchSize: 4, threads: 2, seed: 3)
            replay.replayEpoch(strategy)
            return replay
        }
        let reference = replayed(.sequential)
        // The last batch (3 rows): the first layer's output is X·W₁ on its rows.
        let input = Matrix(rows: 3, columns: 9, elements: Array(reference.values(of: .activation, layer: 0).prefix(3 * 9)))
        let weights = Matrix(rows: 9, columns: 7, elements: reference.values(of: .weight, layer: 1))
        var expected = Matrix(rows: 3, columns: 7)
        Matrix.naiveMultiply(input, .none, weights, .none, into: &expected)
        let output = Array(reference.values(of: .activation, layer: 1).prefix(3 * 7))
        #expect(Self.maximumDifference(output, expected.elements) < 1e-5)

        for strategy in GemmReplay.availableStrategies where strategy != .sequential {
            let replay = replayed(strategy)
            for layer in 1..<layers.count {
                #expect(Self.maximumDifference(replay.values(of: .activation, layer: layer),
                                               reference.values(of: .activation, layer: layer)) < 1e-5,
                        "\(strategy.rawValue): activations of layer \(layer)")
                #expect(Self.maximumDifference(replay.values(of: .gradientSum, layer: layer),
                                               reference.values(of: .gradientSum, layer: layer)) < 1e-5,
                        "\(strategy.rawValue): weight gradient of layer \(layer)")
            }
            for layer in 1..<(layers.count - 1) {
                #expect(Self.maximumDifference(replay.values(of: .delta, layer: layer),
                                               reference.values(of: .delta, layer: layer)) < 1e-5,
                        "\(strategy.rawValue): delta of layer \(layer)")
            }
        }
        #expect(GemmReplay.availableStrategies.count == 4)
    }
}
