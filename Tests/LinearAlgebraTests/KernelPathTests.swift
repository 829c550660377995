import Foundation
import LinearAlgebra
import MLPCore
import Testing
import TestSupport

/// Our vector kernels on every instruction set this machine runs, each against a reference
/// computed in `Double` (closed forms and naive loops), and the paths against one another. A path
/// the CPU cannot run is skipped with the flag it lacks printed.
@Suite("vector kernels on every kernel path")
struct KernelPathTests {
    /// The implementation of `path`, or nil (with the reason printed) when this machine cannot run it.
    static func runnable(_ path: KernelPath) -> (any VectorKernelSet)? {
        guard KernelPath.compiled.contains(path) else {
            print("KernelPathTests: skipping the \(path) path: this architecture has none")
            return nil
        }
        if let missing = path.missingFlag() {
            print("KernelPathTests: skipping the \(path) path: this CPU lacks \(missing)")
            return nil
        }
        guard let kernels = Kernels.implementation(for: path) else {
            print("KernelPathTests: skipping the \(path) path: this binary has no \(path) kernels")
            return nil
        }
        return kernels
    }

    static func randomFloats(_ count: Int, in range: ClosedRange<Float>, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: range, using: &generator) }
    }

    /// A `rows × columns` row-major matrix with about `density` of its entries non-zero.
    static func sparseMatrix(rows: Int, columns: Int, density: Double, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(rows * columns)).map { _ in
            Double.random(in: 0..<1, using: &generator) < density ? Float.random(in: -1...1, using: &generator) : 0
        }
    }

    /// Calls `body` with `matrix` as compressed sparse columns (and a scratch slice).
    /// `delta`'s `rows` rows as one block, or as two split at row `split` when it is less.
    static func withDeltaBlocks<R>(_ delta: [Float], rows: Int, split: Int, stride: Int,
                                   _ body: (UnsafeBufferPointer<DeltaBlock>) -> R) -> R {
        delta.withUnsafeBufferPointer { d in
            let blocks = split >= rows ? [DeltaBlock(rows: rows, delta: d.baseAddress!, stride: stride)]
                : [DeltaBlock(rows: split, delta: d.baseAddress!, stride: stride),
                   DeltaBlock(rows: rows - split, delta: d.baseAddress! + split * stride, stride: stride)]
            return blocks.withUnsafeBufferPointer(body)
        }
    }

    /// `kernels`' `Xᵀ · delta` for the `rows × columns` matrix `x`: `columns × width`, rows
    /// `stride` apart, the columns past `width` left at `fill`.
    static func transposedProduct(_ kernels: any VectorKernelSet, _ x: [Float], rows: Int, columns: Int, delta: [Float],
                                  width: Int, stride: Int, fill: Float) -> [Float] {
        var gradient = [Float](repeating: fill, count: columns * stride)
        withSparseColumns(x, rows: rows, columns: columns) { sparse in
            gradient.withUnsafeMutableBufferPointer { g in
                kernels.sparseMultiplyTransposed(sparse, rows: rows, delta: delta, width: width, deltaStride: stride,
                                                 into: g.baseAddress!, gradientStride: stride)
            }
        }
        return gradient
    }

    static func withSparseColumns<R>(_ matrix: [Float], rows: Int, columns: Int, _ body: (SparseLists) -> R) -> R {
        var starts: [Int32] = [0], rowIndices: [Int32] = [], values: [Float] = []
        for column in 0..<columns {
            for row in 0..<rows where matrix[row * columns + column] != 0 {
                rowIndices.append(Int32(row))
                values.append(matrix[row * columns + column])
            }
            starts.append(Int32(values.count))
        }
        // Pairs of rows: the inputs non-zero in either row, with both rows' values (a last odd
        // row pairs with zeros).
        var pairStarts: [Int32] = [0], pairColumns: [Int32] = [], pairValues: [Float] = []
        for first in stride(from: 0, to: rows, by: 2) {
            func value(_ row: Int, _ column: Int) -> Float { row < rows ? matrix[row * columns + column] : 0 }
            for column in 0..<columns where value(first, column) != 0 || value(first + 1, column) != 0 {
                pairColumns.append(Int32(column))
                pairValues += [value(first, column), value(first + 1, column)]
            }
            pairStarts.append(Int32(pairColumns.count))
        }
        var slice = [Float](repeating: .nan, count: rows * 64)
        let entries = values.count
        let empty = UnsafeMutablePointer<Int32>(bitPattern: 8)!, emptyValues = UnsafeMutablePointer<Float>(bitPattern: 8)!
        return starts.withUnsafeMutableBufferPointer { s in
            rowIndices.withUnsafeMutableBufferPointer { r in
                values.withUnsafeMutableBufferPointer { v in
                    pairStarts.withUnsafeMutableBufferPointer { ps in
                        pairColumns.withUnsafeMutableBufferPointer { pc in
                            pairValues.withUnsafeMutableBufferPointer { pv in
                                slice.withUnsafeMutableBufferPointer { scratch in
                                    body(SparseLists(columnStarts: s.baseAddress!, columnRows: r.baseAddress ?? empty,
                                                       columnValues: v.baseAddress ?? emptyValues, pairStarts: ps.baseAddress!,
                                                       pairColumns: pc.baseAddress ?? empty, pairValues: pv.baseAddress ?? emptyValues,
                                                       columns: columns, entryCapacity: entries, slice: scratch.baseAddress!))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `a (m×k) · b (k×n)` in `Double`, row-major.
    static func product(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for p in 0..<k { for j in 0..<n { c[i * n + j] += Double(a[i * k + p]) * Double(b[p * n + j]) } } }
        return c
    }

    static let functions: [ElementwiseFunction] = [.sigmoid, .tanh, .relu, .leakyReLU(slope: 0.01), .identity]

    static func reference(_ function: ElementwiseFunction, _ z: Double) -> Double {
        switch function {
        case .sigmoid: return 1 / (1 + Foundation.exp(-z))
        case .tanh: return Foundation.tanh(z)
        case .relu: return max(0, z)
        case .leakyReLU(let slope): return z < 0 ? Double(slope) * z : z
        case .identity: return z
        }
    }

    static func derivative(_ function: ElementwiseFunction, output a: Double) -> Double {
        switch function {
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .relu: return a > 0 ? 1 : 0
        case .leakyReLU(let slope): return a > 0 ? 1 : Double(slope)
        case .identity: return 1
        }
    }

    @Test("MLP_KERNELS picks a path, refuses an unknown name and a path the CPU lacks; flags decide what runs")
    func selection() throws {
        #expect(try KernelPath.selected(environment: [:]) == KernelPath.widest)
        #expect(try KernelPath.selected(environment: ["MLP_KERNELS": "auto"]) == KernelPath.widest)
        #expect(try KernelPath.selected(environment: ["MLP_KERNELS": "Baseline"]) == .baseline)
        #expect(throws: KernelPathError.unknown("sse9")) { try KernelPath.selected(environment: ["MLP_KERNELS": "sse9"]) }
        for path in KernelPath.allCases where !path.isRunnable() {
            #expect(throws: KernelPathError.self) { try KernelPath.selected(environment: ["MLP_KERNELS": path.rawValue]) }
        }
        #expect(KernelPath.baseline.missingFlag(in: []) == nil)
        #expect(try KernelPath.selected(environment: ["MLP_KERNELS": "baseline"], flags: []) == .baseline)
        #if arch(x86_64)
        // What a Zen 3 (AVX2, no AVX-512) and a Zen 4 report, and a CPU without FMA.
        let zen3: Set<String> = ["pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "lahf_lm", "avx", "avx2", "fma",
                                 "bmi1", "bmi2", "f16c", "movbe", "abm"]
        let zen4 = zen3.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"])
        #expect(KernelPath.avx2.missingFlag(in: zen3) == nil)
        #expect(KernelPath.avx2.missingFlag(in: zen3.subtracting(["fma"])) == "fma")
        #expect(KernelPath.avx512.missingFlag(in: zen3) == "avx512f")
        #expect(KernelPath.avx512.missingFlag(in: zen4) == nil)
        #expect(KernelPath.runnable(flags: zen3) == [.baseline, .avx2])
        #expect(KernelPath.runnable(flags: zen4) == [.baseline, .avx2, .avx512])
        #expect(try KernelPath.selected(environment: [:], flags: zen3) == .avx2)
        #expect(try KernelPath.selected(environment: [:], flags: zen4) == .avx512)
        #expect(try KernelPath.selected(environment: [:], flags: []) == .baseline)
        #expect(throws: KernelPathError.unsupported(.avx512, missing: "avx512f", runnable: [.baseline, .avx2])) {
            try KernelPath.selected(environment: ["MLP_KERNELS": "avx512"], flags: zen3)
        }
        #expect(throws: KernelPathError.flagsUnknown(.avx2)) { try KernelPath.selected(environment: ["MLP_KERNELS": "avx2"], flags: []) }
        #expect(KernelPathError.unsupported(.avx512, missing: "avx512f", runnable: [.baseline, .avx2]).description
            == "MLP_KERNELS=avx512 needs the CPU flag avx512f, which this CPU lacks (it runs baseline, avx2)")
        #else
        #expect(throws: KernelPathError.notCompiled(.avx2)) { try KernelPath.selected(environment: ["MLP_KERNELS": "avx2"]) }
        #endif
        #expect(KernelPath.runnable.contains(Kernels.activePath))
        print("KernelPathTests: this CPU runs \(KernelPath.runnable.map(\.rawValue).joined(separator: ", ")); active \(Kernels.activePath)")
    }

    @Test("exp, the activations and their derivatives against Double", arguments: KernelPath.allCases)
    func elementwise(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        #expect(kernels.path == path)
        var worst = 0.0
        var x: Float = -80
        while x < 80 {
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(kernels.exp(x)) - expected) / expected)
            x += 0.0137
        }
        #expect(worst < 3e-7, "\(path): exp relative error \(worst)")
        #expect(kernels.exp(.nan).isNaN)
        #expect(kernels.exp(-1000) >= 0 && kernels.exp(1000).isFinite)

        let rows = 7, columns = 37
        let input = Self.randomFloats(rows * columns, in: -6...6, seed: 3)
        let bias = Self.randomFloats(columns, in: -1...1, seed: 4)
        for function in Self.functions {
            var values = input
            values.withUnsafeMutableBufferPointer { v in
                kernels.addBiasAndApply(function, to: v.baseAddress!, rows: rows, columns: columns, bias: bias)
            }
            let exact = function == .relu || function == .identity || function == .leakyReLU(slope: 0.01)
            for index in values.indices {
                let z = Double(input[index] + bias[index % columns])
                let expected = Self.reference(function, z)
                #expect(abs(Double(values[index]) - expected) <= (exact ? 1e-7 * abs(expected) : 3e-7),
                        "\(path) \(function) at \(index): \(values[index]) against \(expected)")
            }
            var delta = Self.randomFloats(rows * columns, in: -1...1, seed: 5)
            let original = delta
            delta.withUnsafeMutableBufferPointer { d in
                values.withUnsafeBufferPointer { a in
                    kernels.multiplyByDerivative(of: function, delta: d.baseAddress!, output: a.baseAddress!, count: rows * columns)
                }
            }
            for index in delta.indices {
                let expected = Double(original[index]) * Self.derivative(function, output: Double(values[index]))
                #expect(abs(Double(delta[index]) - expected) <= 1e-6 * abs(Double(original[index])) + 1e-12,
                        "\(path) \(function)′ at \(index)")
            }
        }
        var reluNaN: [Float] = [.nan, 0]
        reluNaN.withUnsafeMutableBufferPointer { v in
            kernels.addBiasAndApply(.relu, to: v.baseAddress!, rows: 1, columns: 2, bias: [0, 0])
        }
        #expect(reluNaN[0].isNaN, "\(path): ReLU must keep a NaN")
    }

    @Test("softmax and its log-sum-exp against Double", arguments: KernelPath.allCases)
    func softmax(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        for columns in [2, 10, 33] {
            let input = Self.randomFloats(columns, in: -30...30, seed: UInt64(columns))
            let bias = Self.randomFloats(columns, in: -2...2, seed: UInt64(columns) + 100)
            var row = input
            let logSum = row.withUnsafeMutableBufferPointer { kernels.addBiasAndSoftmax($0.baseAddress!, columns: columns, bias: bias) }
            let z = (0..<columns).map { Double(input[$0] + bias[$0]) }
            let largest = z.max()!
            let sum = z.map { Foundation.exp($0 - largest) }.reduce(0, +)
            #expect(isClose(Double(logSum), largest + Foundation.log(sum), absolute: 1e-5, relative: 1e-6), "\(path)")
            for j in 0..<columns {
                #expect(isClose(Double(row[j]), Foundation.exp(z[j] - largest) / sum, absolute: 1e-9, relative: 1e-6),
                        "\(path) softmax column \(j)")
            }
        }
    }

    @Test("adding one row to another, exactly Float addition, and no element past the count", arguments: KernelPath.allCases)
    func addRows(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let source = Self.randomFloats(77, in: -8...8, seed: 26), start = Self.randomFloats(77, in: -8...8, seed: 27)
        var sum = start
        kernels.add(source, to: &sum, count: 70)  // vector bodies and a tail on every path
        let expected = zip(start, source).enumerated().map { $0.offset < 70 ? $0.element.0 + $0.element.1 : $0.element.0 }
        #expect(sum.map(\.bitPattern) == expected.map(\.bitPattern), "\(path)")
    }

    @Test("SGD with momentum (and Nesterov) and Adam/AdamW steps against Double", arguments: KernelPath.allCases)
    func updates(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let count = 1_003
        let theta = Self.randomFloats(count, in: -1...1, seed: 7), gradient = Self.randomFloats(count, in: -2...2, seed: 8)
        let moment = Self.randomFloats(count, in: -0.5...0.5, seed: 9), second = Self.randomFloats(count, in: 0...0.3, seed: 10)
        for nesterov in [false, true] {
            var parameters = theta, velocity = moment
            kernels.sgd(parameters: &parameters, gradient: gradient, velocity: &velocity, count: count,
                        learningRate: 0.05, momentum: 0.9, nesterov: nesterov, gradientScale: 0.5)
            for k in 0..<count {
                let g = 0.5 * Double(gradient[k])
                let v = 0.9 * Double(moment[k]) - 0.05 * g
                let expected = Double(theta[k]) + (nesterov ? 0.9 * v - 0.05 * g : v)
                #expect(isClose(Double(velocity[k]), v, absolute: 1e-7, relative: 1e-6), "\(path) velocity \(k)")
                #expect(isClose(Double(parameters[k]), expected, absolute: 1e-7, relative: 1e-6), "\(path) sgd \(k)")
            }
        }
        var parameters = theta, first = moment, secondMoment = second
        kernels.adam(parameters: &parameters, gradient: gradient, firstMoment: &first, secondMoment: &secondMoment, count: count,
                     rate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 0.999, gradientScale: 1)
        // The kernel's constants are Float, 1 − β among them (1 − 0.999 is 0.00099998713 in Float).
        let b1 = Double(Float(0.9)), c1 = Double(1 - Float(0.9)), b2 = Double(Float(0.999)), c2 = Double(1 - Float(0.999))
        for k in 0..<count {
            let g = Double(gradient[k])
            let m = b1 * Double(moment[k]) + c1 * g
            let v = b2 * Double(second[k]) + c2 * g * g
            let expected = Double(theta[k]) * 0.999 - 0.01 * m / (v.squareRoot() + 1e-8)
            #expect(isClose(Double(first[k]), m, absolute: 1e-7, relative: 1e-6), "\(path) m \(k)")
            #expect(isClose(Double(secondMoment[k]), v, absolute: 1e-9, relative: 1e-6), "\(path) v \(k)")
            #expect(isClose(Double(parameters[k]), expected, absolute: 1e-6, relative: 1e-5), "\(path) adam \(k)")
        }
    }

    @Test("the sparse first-layer products against a naive Double product, with a tail past 32 and 64 columns",
          arguments: KernelPath.allCases)
    func sparseProducts(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let rows = 19, columns = 45
        var x = Self.sparseMatrix(rows: rows, columns: columns, density: 0.2, seed: 11)
        for row in 0..<rows { x[row * columns + 3] = 0 }  // an empty column: its gradient row must be zero
        // 300 and 200 columns reach the AVX-512 path's 128- and 64-column slices of the forward product.
        for (width, stride) in [(64, 64), (150, 160), (30, 31), (300, 300), (200, 208)] {
            let weights = Self.randomFloats(columns * stride, in: -1...1, seed: UInt64(width))
            var output = [Float](repeating: .nan, count: rows * stride)
            Self.withSparseColumns(x, rows: rows, columns: columns) { sparse in
                output.withUnsafeMutableBufferPointer { o in
                    kernels.sparseMultiply(sparse, rows: 0..<rows, weights: weights, width: width, weightStride: stride,
                                           into: o.baseAddress!, outputStride: stride)
                }
            }
            let dense = (0..<columns).flatMap { c in (0..<width).map { weights[c * stride + $0] } }
            let expected = Self.product(x, dense, m: rows, k: columns, n: width)
            for i in 0..<rows {
                for j in 0..<width {
                    #expect(isClose(Double(output[i * stride + j]), expected[i * width + j], absolute: 1e-5, relative: 1e-5),
                            "\(path) X·W [\(i), \(j)] width \(width)")
                }
            }
            // Part of the block, starting and ending inside pairs of rows or on their edges: the
            // same rows, bit for bit, and nothing written outside them (a guard row before and
            // after, and the columns past `width`).
            for part in [3..<12, 3..<11, 4..<19, 5..<6, 0..<1, 18..<19] {
                var partial = [Float](repeating: .nan, count: (part.count + 2) * stride)
                Self.withSparseColumns(x, rows: rows, columns: columns) { sparse in
                    partial.withUnsafeMutableBufferPointer { o in
                        kernels.sparseMultiply(sparse, rows: part, weights: weights, width: width, weightStride: stride,
                                               into: o.baseAddress! + stride, outputStride: stride)
                    }
                }
                for (i, row) in part.enumerated() {
                    let at = (i + 1) * stride
                    #expect(partial[at..<(at + width)].map(\.bitPattern) == output[(row * stride)..<(row * stride + width)].map(\.bitPattern),
                            "\(path) rows \(part) row \(row) width \(width)")
                }
                let written = Set((0..<part.count).flatMap { i in ((i + 1) * stride)..<((i + 1) * stride + width) })
                let untouched = partial.indices.allSatisfy { written.contains($0) || partial[$0].isNaN }
                #expect(untouched, "\(path) rows \(part) wrote outside its rows' columns")
            }
            let delta = Self.randomFloats(rows * stride, in: -1...1, seed: UInt64(width) + 1)
            let gradient = Self.transposedProduct(kernels, x, rows: rows, columns: columns, delta: delta, width: width,
                                                  stride: stride, fill: .nan)
            let xT = (0..<columns).flatMap { c in (0..<rows).map { x[$0 * columns + c] } }
            let deltaDense = (0..<rows).flatMap { r in (0..<width).map { delta[r * stride + $0] } }
            let expectedGradient = Self.product(xT, deltaDense, m: columns, k: rows, n: width)
            for c in 0..<columns {
                for j in 0..<width {
                    #expect(isClose(Double(gradient[c * stride + j]), expectedGradient[c * width + j], absolute: 1e-5, relative: 1e-5),
                            "\(path) Xᵀ·δ [\(c), \(j)] width \(width)")
                }
            }
        }
    }

    /// The fused first-layer step: the same bits from one delta block or the same rows in two;
    /// over columns whose slices start where the transposed product's do, without L2, exactly
    /// the momentum step (as Float arithmetic) on the transposed product's gradient; and every
    /// case (plain and Nesterov, with and without the L2 term, slices and tails) against the step
    /// in `Double` on that gradient.
    @Test("the fused first-layer gradient and SGD step against the transposed product and a Double step",
          arguments: KernelPath.allCases)
    func sparseGradientStep(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let rows = 37, inputs = 45, width = 150, stride = 160
        var x = Self.sparseMatrix(rows: rows, columns: inputs, density: 0.2, seed: 40)
        for row in 0..<rows { x[row * inputs + 5] = 0 }  // an empty input: its weights only decay by momentum
        let delta = Self.randomFloats(rows * stride, in: -1...1, seed: 41)
        let weights = Self.randomFloats(inputs * stride, in: -1...1, seed: 42)
        let velocity = Self.randomFloats(inputs * stride, in: -0.1...0.1, seed: 43)
        let gradient = Self.transposedProduct(kernels, x, rows: rows, columns: inputs, delta: delta, width: width, stride: stride,
                                              fill: 0)
        // Two slices and a tail of 22; one slice and a tail of 16; a tail alone.
        for columns in [0..<150, 16..<96, 100..<140] {
            for (nesterov, l2Scale) in [(false, Float(0)), (true, Float(0)), (true, Float(0.01)), (false, Float(0.003))] {
                let step = MomentumStep(learningRate: 0.05, momentum: 0.9, nesterov: nesterov, l2Scale: l2Scale)
                var results = [(parameters: [Float], velocity: [Float], squares: Double)]()
                for split in [rows, 20] {
                    var parameters = weights, moments = velocity
                    var scratch = [Float](repeating: .nan, count: (rows + 1) * 64)
                    let squares = Self.withSparseColumns(x, rows: rows, columns: inputs) { sparse in
                        Self.withDeltaBlocks(delta, rows: rows, split: split, stride: stride) { blocks in
                            kernels.sparseGradientStep(sparse, deltas: blocks, columns: columns, scratch: &scratch,
                                                       parameters: &parameters, velocity: &moments, stride: stride, step: step)
                        }
                    }
                    results.append((parameters, moments, squares))
                }
                let label = "\(path) columns \(columns) nesterov \(nesterov) l2 \(l2Scale)"
                if columns.lowerBound == 0 && l2Scale == 0 {
                    // The transposed product's own slices and tail: the gradient and the step exactly.
                    for k in 0..<inputs {
                        for j in columns {
                            let at = k * stride + j
                            let v: Float = 0.9 * velocity[at] - 0.05 * gradient[at]
                            let moved: Float = nesterov ? weights[at] + (0.9 * v - 0.05 * gradient[at]) : weights[at] + v
                            #expect(bits([results[0].velocity[at], results[0].parameters[at]]) == bits([v, moved]),
                                    "\(label): [\(k), \(j)] is not the step on the transposed product's gradient")
                        }
                    }
                }
                #expect(bits(results[0].parameters) == bits(results[1].parameters), "\(label): one block and two")
                #expect(bits(results[0].velocity) == bits(results[1].velocity), "\(label): one block and two")
                var expectedSquares: Double = 0
                for k in 0..<inputs {
                    for j in 0..<stride {
                        let at = k * stride + j
                        guard columns.contains(j) else {
                            #expect(bits([results[0].parameters[at], results[0].velocity[at]]) == bits([weights[at], velocity[at]]),
                                    "\(label): [\(k), \(j)] outside the columns changed")
                            continue
                        }
                        let theta = Double(weights[at])
                        let g = Double(gradient[at]) + Double(l2Scale) * theta
                        let v = 0.9 * Double(velocity[at]) - 0.05 * g
                        let moved = nesterov ? theta + 0.9 * v - 0.05 * g : theta + v
                        expectedSquares += theta * theta
                        #expect(isClose(Double(results[0].velocity[at]), v, absolute: 1e-6, relative: 1e-5), "\(label): v[\(k), \(j)]")
                        #expect(isClose(Double(results[0].parameters[at]), moved, absolute: 1e-6, relative: 1e-5), "\(label): θ[\(k), \(j)]")
                    }
                }
                #expect(isClose(results[0].squares, l2Scale == 0 ? 0 : expectedSquares, absolute: 1e-9, relative: 1e-5), "\(label): Σθ²")
            }
        }
    }

    /// The fused first-layer step with Adam: over columns whose slices start where the
    /// transposed product's do, the Adam kernel's step on that product's gradient bit for bit
    /// (from one delta block or two, with AdamW's decay); with the L2 term, that step on
    /// `g + l2Scale · θ` to rounding.
    @Test("the fused first-layer gradient and Adam step against the Adam kernel on the transposed product",
          arguments: KernelPath.allCases)
    func sparseGradientAdamStep(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let rows = 37, inputs = 45, width = 150, stride = 160
        let x = Self.sparseMatrix(rows: rows, columns: inputs, density: 0.2, seed: 44)
        let delta = Self.randomFloats(rows * stride, in: -1...1, seed: 45)
        let weights = Self.randomFloats(inputs * stride, in: -1...1, seed: 46)
        let firstMoment = Self.randomFloats(inputs * stride, in: -0.1...0.1, seed: 47)
        let secondMoment = Self.randomFloats(inputs * stride, in: 0...0.01, seed: 48)
        let gradient = Self.transposedProduct(kernels, x, rows: rows, columns: inputs, delta: delta, width: width, stride: stride,
                                              fill: 0)
        for l2Scale in [Float(0), 0.01] {
            let step = AdamStep(rate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 0.9995, l2Scale: l2Scale)
            // The expected step: the kernel on each row's 150 gradient columns (with the L2 term).
            var expected = (weights, firstMoment, secondMoment)
            for k in 0..<inputs {
                let g = (0..<width).map { gradient[k * stride + $0] + l2Scale * weights[k * stride + $0] }
                expected.0.withUnsafeMutableBufferPointer { p in
                    expected.1.withUnsafeMutableBufferPointer { m in
                        expected.2.withUnsafeMutableBufferPointer { v in
                            kernels.adam(parameters: p.baseAddress! + k * stride, gradient: g, firstMoment: m.baseAddress! + k * stride,
                                         secondMoment: v.baseAddress! + k * stride, count: width, rate: step.rate, beta1: step.beta1,
                                         beta2: step.beta2, epsilon: step.epsilon, decay: step.decay, gradientScale: 1)
                        }
                    }
                }
            }
            for split in [rows, 20] {
                var parameters = weights, first = firstMoment, second = secondMoment
                var scratch = [Float](repeating: .nan, count: (rows + 1) * 64)
                let squares = Self.withSparseColumns(x, rows: rows, columns: inputs) { sparse in
                    Self.withDeltaBlocks(delta, rows: rows, split: split, stride: stride) { blocks in
                        kernels.sparseGradientAdamStep(sparse, deltas: blocks, columns: 0..<width, scratch: &scratch,
                                                       parameters: &parameters, firstMoment: &first, secondMoment: &second,
                                                       stride: stride, step: step)
                    }
                }
                let label = "\(path) l2 \(l2Scale) blocks \(split == rows ? 1 : 2)"
                if l2Scale == 0 {
                    #expect(bits(parameters) == bits(expected.0) && bits(first) == bits(expected.1) && bits(second) == bits(expected.2),
                            "\(label): not the Adam kernel's step on the transposed product's gradient")
                    #expect(squares == 0, "\(label)")
                } else {
                    for (name, actual, want) in [("θ", parameters, expected.0), ("m", first, expected.1), ("v", second, expected.2)] {
                        let worst = zip(actual, want).map { abs(Double($0) - Double($1)) / max(1e-3, abs(Double($1))) }.max() ?? 0
                        #expect(worst < 1e-4, "\(label): \(name) differs by \(worst)")
                    }
                    let squaresWant = (0..<inputs).reduce(0.0) { sum, k in
                        sum + (0..<width).reduce(0.0) { $0 + Double(weights[k * stride + $1]) * Double(weights[k * stride + $1]) }
                    }
                    #expect(isClose(squares, squaresWant, absolute: 1e-9, relative: 1e-5), "\(label): Σθ²")
                }
                // Columns past the width are untouched.
                #expect((0..<inputs).allSatisfy { k in (width..<stride).allSatisfy { parameters[k * stride + $0] == weights[k * stride + $0] } })
            }
        }
    }

    @Test("listing a block's non-zeros by column, from floats and from bytes, against a naive listing",
          arguments: KernelPath.allCases)
    func collectNonZeros(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        // Rows of 150 inputs, listed whole (two 64-input groups, two 8-input groups and a tail of
        // 6 in the byte listing) and as the window 37..<120 (one 64-input group, two of 8, a tail
        // of 3), as a thread of the fused first layer lists its inputs.
        let rows = 13, stride = 150, byteRows = 40
        var x = Self.sparseMatrix(rows: rows, columns: stride, density: 0.25, seed: 30)
        // A NaN is listed (it must reach the product): in a pair's first row, in its second row, and
        // in the columns past the last group of eight of each window (149; 37 + 81 = 118).
        x[7] = .nan
        x[3 * stride + 40] = .nan
        x[1 * stride + 149] = .nan
        x[5 * stride + 118] = .nan
        var bytes = [UInt8](repeating: 0, count: byteRows * stride)
        var generator = SeededGenerator(seed: 31)
        for index in bytes.indices where Double.random(in: 0..<1, using: &generator) < 0.2 { bytes[index] = UInt8.random(in: 1...255, using: &generator) }
        let indices = [39, 2, 17, 17, 0, 25, 8, 31, 30, 12, 5]
        for (offset, columns) in [(0, stride), (37, 83)] {
            // The expected lists: column by column, rows in increasing order, and pair of rows by
            // pair, the columns listed in either row in increasing order with both rows' values
            // (an odd block's last row pairs with zeros).
            func expected(_ value: (Int, Int) -> Float, rows: Int)
                -> (starts: [Int32], rows: [Int32], values: [Float], pairStarts: [Int32], columns: [Int32], pairValues: [Float]) {
                func listed(_ row: Int, _ column: Int) -> Bool { row < rows && (value(row, column) != 0 || value(row, column).isNaN) }
                var starts: [Int32] = [0], rowList: [Int32] = [], values: [Float] = []
                for column in 0..<columns {
                    for row in 0..<rows where listed(row, column) {
                        rowList.append(Int32(row)); values.append(value(row, column))
                    }
                    starts.append(Int32(values.count))
                }
                var pairStarts: [Int32] = [0], columnList: [Int32] = [], pairValues: [Float] = []
                for first in Swift.stride(from: 0, to: rows, by: 2) {
                    for column in 0..<columns where listed(first, column) || listed(first + 1, column) {
                        columnList.append(Int32(column))
                        pairValues += [value(first, column), first + 1 < rows ? value(first + 1, column) : 0]
                    }
                    pairStarts.append(Int32(columnList.count))
                }
                return (starts, rowList, values, pairStarts, columnList, pairValues)
            }
            for (name, want) in [("floats", expected({ x[$0 * stride + offset + $1] }, rows: rows)),
                                 ("bytes", expected({ Float(bytes[indices[$0] * stride + offset + $1]) * 0.5 }, rows: indices.count))] {
                for capacity in [want.values.count, want.values.count - 1] {
                    var starts = [Int32](repeating: -1, count: columns + 1)
                    var rowList = [Int32](repeating: -1, count: max(capacity, 1)), values = [Float](repeating: -1, count: max(capacity, 1))
                    var pairStarts = [Int32](repeating: -1, count: want.pairStarts.count)
                    var columnList = [Int32](repeating: -1, count: max(capacity, 1))
                    var pairValues = [Float](repeating: -1, count: max(2 * capacity, 1))
                    var slice = [Float](repeating: 0, count: 64)  // scratch of the products, unused here
                    let load = starts.withUnsafeMutableBufferPointer { s in
                        rowList.withUnsafeMutableBufferPointer { r in
                            values.withUnsafeMutableBufferPointer { v in
                                pairStarts.withUnsafeMutableBufferPointer { ps in
                                    columnList.withUnsafeMutableBufferPointer { pc in
                                        pairValues.withUnsafeMutableBufferPointer { pv in
                                            slice.withUnsafeMutableBufferPointer { scratch in
                                                let lists = SparseLists(
                                                    columnStarts: s.baseAddress!, columnRows: r.baseAddress!, columnValues: v.baseAddress!,
                                                    pairStarts: ps.baseAddress!, pairColumns: pc.baseAddress!, pairValues: pv.baseAddress!,
                                                    columns: columns, entryCapacity: capacity, slice: scratch.baseAddress!)
                                                return name == "floats"
                                                    ? x.withUnsafeBufferPointer {
                                                        kernels.collectNonZeros($0.baseAddress! + offset, rows: rows, rowStride: stride, into: lists)
                                                    }
                                                    : bytes.withUnsafeBufferPointer { byteBuffer in
                                                        indices.withUnsafeBufferPointer {
                                                            kernels.collectNonZeros(bytes: byteBuffer.baseAddress! + offset, indices: $0, rowStride: stride,
                                                                                    scale: 0.5, into: lists)
                                                        }
                                                    }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    #expect(load.nonZeroCount == want.values.count, "\(path) \(name) window \(offset)")
                    #expect(load.isFilled == (capacity >= want.values.count), "\(path) \(name) window \(offset) capacity \(capacity)")
                    guard load.isFilled else { continue }
                    #expect(starts == want.starts, "\(path) \(name) window \(offset) column starts")
                    #expect(Array(rowList.prefix(want.rows.count)) == want.rows, "\(path) \(name) window \(offset) rows")
                    #expect(Array(values.prefix(want.values.count)).map(\.bitPattern) == want.values.map(\.bitPattern), "\(path) \(name) window \(offset) values")
                    #expect(pairStarts == want.pairStarts, "\(path) \(name) window \(offset) pair starts")
                    #expect(Array(columnList.prefix(want.columns.count)) == want.columns, "\(path) \(name) window \(offset) pair lists' columns")
                    #expect(Array(pairValues.prefix(want.pairValues.count)).map(\.bitPattern) == want.pairValues.map(\.bitPattern),
                            "\(path) \(name) window \(offset) pair lists' values")
                }
            }
        }
    }

    @Test("the blocked product across its row, depth and column blocks against Double", arguments: KernelPath.allCases)
    func blockedProduct(path: KernelPath) throws {
        guard let kernels = Self.runnable(path) else { return }
        let m = 37, k = 140, n = 530
        let a = Self.randomFloats(m * k, in: -1...1, seed: 12), b = Self.randomFloats(k * n, in: -1...1, seed: 13)
        let c0 = Self.randomFloats(m * n, in: -1...1, seed: 14)
        var c = c0
        c.withUnsafeMutableBufferPointer { kernels.blockedMultiply(m: m, n: n, k: k, alpha: 0.5, a: a, b: b, beta: 0.25, c: $0.baseAddress!) }
        let ab = Self.product(a, b, m: m, k: k, n: n)
        for index in c.indices {
            #expect(isClose(Double(c[index]), 0.5 * ab[index] + 0.25 * Double(c0[index]), absolute: 2e-5, relative: 1e-5),
                    "\(path) blocked product at \(index)")
        }
        let lanes: [KernelPath: Int] = [.baseline: 4, .avx2: 8, .avx512: 16]
        #expect(kernels.flopsPerFusedMultiplyAddRound == 10 * lanes[path]! * 2)
        // Each lane of each chain runs a ← a · x + y from 0 with x = 0.999999, y = 1e-7: after n
        // steps y (1 − xⁿ) / (1 − x), 0.5 % below the n · x · y of a loop that hoisted the multiply.
        let steps = 10_000, factor = Double(Float(0.999_999)), increment = Double(Float(1e-7))
        let sum = kernels.fusedMultiplyAddLoop(iterations: steps)
        let perLane = increment * (1 - Foundation.pow(factor, Double(steps))) / (1 - factor)
        #expect(isClose(Double(sum), Double(10 * lanes[path]!) * perLane, relative: 1e-3), "\(path): \(sum)")
    }

    /// The element-wise and update kernels have no reductions the compiler may reorder and no
    /// fused multiply-adds, so every path gives the same bits; the sparse products agree to rounding.
    @Test("the paths agree: element-wise and update kernels bit for bit, the sparse products to rounding")
    func pathsAgree() throws {
        let paths = KernelPath.allCases.filter { Self.runnable($0) != nil }
        guard paths.count >= 2 else {
            print("KernelPathTests: one kernel path runs here (\(paths.map(\.rawValue))); nothing to compare")
            return
        }
        func outputs(_ kernels: any VectorKernelSet) -> [[Float]] {
            let rows = 5, columns = 77
            let input = Self.randomFloats(rows * columns, in: -8...8, seed: 20), bias = Self.randomFloats(columns, in: -1...1, seed: 21)
            var results: [[Float]] = []
            for function in Self.functions {
                var values = input
                kernels.addBiasAndApply(function, to: &values, rows: rows, columns: columns, bias: bias)
                var delta = Self.randomFloats(rows * columns, in: -1...1, seed: 22)
                kernels.multiplyByDerivative(of: function, delta: &delta, output: values, count: rows * columns)
                results += [values, delta]
            }
            var row = Array(input.prefix(columns))
            let logSum = kernels.addBiasAndSoftmax(&row, columns: columns, bias: bias)
            results += [row, [logSum]]
            var theta = input, velocity = Self.randomFloats(input.count, in: -1...1, seed: 23)
            kernels.sgd(parameters: &theta, gradient: Array(input.reversed()), velocity: &velocity, count: input.count,
                        learningRate: 0.01, momentum: 0.9, nesterov: true, gradientScale: 1)
            var first = velocity, second = velocity.map { $0 * $0 }
            kernels.adam(parameters: &theta, gradient: input, firstMoment: &first, secondMoment: &second, count: input.count,
                         rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 1, gradientScale: 0.5)
            return results + [theta, velocity, first, second]
        }
        func sparse(_ kernels: any VectorKernelSet) -> [Float] {
            let rows = 16, columns = 50, width = 136
            let x = Self.sparseMatrix(rows: rows, columns: columns, density: 0.3, seed: 24)
            let weights = Self.randomFloats(columns * width, in: -1...1, seed: 25)
            var output = [Float](repeating: 0, count: rows * width), gradient = [Float](repeating: 0, count: columns * width)
            Self.withSparseColumns(x, rows: rows, columns: columns) { s in
                kernels.sparseMultiply(s, rows: 0..<rows, weights: weights, width: width, weightStride: width, into: &output, outputStride: width)
                kernels.sparseMultiplyTransposed(s, rows: rows, delta: output, width: width, deltaStride: width, into: &gradient, gradientStride: width)
            }
            return output + gradient
        }
        let first = try #require(Kernels.implementation(for: paths[0]))
        let elementwise = outputs(first)
        for path in paths.dropFirst() {
            let other = try #require(Kernels.implementation(for: path))
            let results = outputs(other)
            for (index, (a, b)) in zip(elementwise, results).enumerated() {
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(paths[0]) and \(path) differ in element-wise output \(index)")
            }
        }
        // The sparse products add in another order on each path (AVX-512 splits each column's
        // entries into two sums; the baseline does not fuse), so they agree to rounding only.
        let reference = sparse(first)
        for path in paths.dropFirst() {
            let other = sparse(try #require(Kernels.implementation(for: path)))
            let worst = zip(reference, other).map { abs(Double($0) - Double($1)) / max(1, abs(Double($0))) }.max() ?? 0
            #expect(worst < 1e-5, "\(paths[0]) and \(path) sparse products differ by \(worst)")
        }
    }
}
