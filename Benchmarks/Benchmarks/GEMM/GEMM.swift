import Benchmark
import LinearAlgebra
import MLPCore

/// Naive, tuned pure-Swift and OpenBLAS products on square sizes and on the MLP's own shapes.
/// Throughput is reported as scaled iterations; each iteration is one m×n×k product
/// (2·m·n·k floating-point operations).
let benchmarks: @Sendable () -> Void = {
    let squareSizes = [64, 128, 256, 512, 1024]
    // (m, n, k) of the section-B network's forward products at batch 128: X·W for each layer.
    let mlpShapes: [(Int, Int, Int)] = [(128, 256, 784), (128, 128, 256), (128, 64, 128), (128, 32, 64), (128, 10, 32)]

    func register(_ label: String, m: Int, n: Int, k: Int, naive: Bool) {
        var generator = SeededGenerator(seed: 1)
        let a = Matrix.random(rows: m, columns: k, using: &generator)
        let b = Matrix.random(rows: k, columns: n, using: &generator)
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .throughput], maxDuration: .seconds(2), maxIterations: 1_000)
        Benchmark("OpenBLAS \(label)", configuration: configuration) { benchmark in
            var c = Matrix(rows: m, columns: n)
            BLAS.withThreadCount(1) {
                for _ in benchmark.scaledIterations { Matrix.multiply(a, .none, b, .none, into: &c) }
            }
            blackHole(c)
        }
        Benchmark("OpenBLAS 2 threads \(label)", configuration: configuration) { benchmark in
            var c = Matrix(rows: m, columns: n)
            BLAS.withThreadCount(2) {
                for _ in benchmark.scaledIterations { Matrix.multiply(a, .none, b, .none, into: &c) }
            }
            blackHole(c)
        }
        Benchmark("Tuned Swift \(label)", configuration: configuration) { benchmark in
            var c = Matrix(rows: m, columns: n)
            for _ in benchmark.scaledIterations { Matrix.tunedMultiply(a, .none, b, .none, into: &c) }
            blackHole(c)
        }
        if naive {
            Benchmark("Naive \(label)", configuration: configuration) { benchmark in
                var c = Matrix(rows: m, columns: n)
                for _ in benchmark.scaledIterations { Matrix.naiveMultiply(a, .none, b, .none, into: &c) }
                blackHole(c)
            }
        }
    }

    for size in squareSizes {
        register("\(size)×\(size)×\(size)", m: size, n: size, k: size, naive: size <= 512)
    }
    for (m, n, k) in mlpShapes {
        register("MLP \(m)×\(n)×\(k)", m: m, n: n, k: k, naive: true)
    }
}
