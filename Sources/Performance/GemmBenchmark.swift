import LinearAlgebra
import MLPCore

/// Compares the naive triple loop, the tuned pure-Swift product and OpenBLAS at 1 and 2 threads on
/// square sizes and on the section-B network's shapes, against the machine's measured fp32 peak.
public struct GemmBenchmark: Sendable {
    /// One product shape, `C(m×n) = A(m×k)·B(k×n)`.
    public struct Shape: Sendable, Codable, Equatable {
        public var m: Int
        public var n: Int
        public var k: Int
        /// Shown in tables, e.g. `256³` or `128×256×784`.
        public var label: String

        public init(m: Int, n: Int, k: Int, label: String? = nil) {
            self.m = m
            self.n = n
            self.k = k
            self.label = label ?? (m == n && n == k ? "\(m)³" : "\(m)×\(n)×\(k)")
        }

        /// Floating-point operations of one product: 2·m·n·k.
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// The measured speeds for one shape, in GFLOP/s (`nil` where a kernel was skipped).
    public struct Row: Sendable, Codable, Equatable {
        public var shape: Shape
        public var naive: Double?
        public var tuned: Double
        public var blasOneThread: Double
        public var blasTwoThreads: Double
    }

    /// The whole run.
    public struct Result: Sendable, Codable, Equatable {
        /// The rows, squares first, then the MLP's shapes.
        public var rows: [Row]
        /// The measured fp32 peak of one core and of two, in GFLOP/s (FMA loop, same run).
        public var peakOneThread: Double
        public var peakTwoThreads: Double
        /// The CPU and OpenBLAS kernels the run measured.
        public var machine: MachineDescription
        /// Seconds spent timing each kernel and shape.
        public var secondsPerMeasurement: Double
    }

    /// The square sizes, 64–1024.
    public static let squareShapes = [64, 128, 256, 512, 1024].map { Shape(m: $0, n: $0, k: $0) }

    /// The forward products (X·W) of the section-B network 784-256-128-64-32-10 at batch 128, and the
    /// two weight-gradient products (Xᵀ·δ) of its widest layers, written as m×n×k.
    public static let networkShapes: [Shape] = [
        Shape(m: 128, n: 256, k: 784), Shape(m: 128, n: 128, k: 256), Shape(m: 128, n: 64, k: 128),
        Shape(m: 128, n: 32, k: 64), Shape(m: 128, n: 10, k: 32),
        Shape(m: 784, n: 256, k: 128), Shape(m: 256, n: 128, k: 128),
    ]

    public var shapes: [Shape]
    /// Skip the naive kernel above this many flops (it runs at about 1 GFLOP/s).
    public var naiveFlopLimit: Double
    public var secondsPerMeasurement: Double
    /// Iterations of the FMA loop in each of the peak measurement's 3 rounds; `nil` chooses a count
    /// that takes about 0.1 s (see `PeakThroughput.measure(threads:iterations:rounds:)`).
    public var peakIterations: Int?

    public init(shapes: [Shape] = squareShapes + networkShapes,
                naiveFlopLimit: Double = 2.2e9, secondsPerMeasurement: Double = 0.3,
                peakIterations: Int? = nil) {
        self.shapes = shapes
        self.naiveFlopLimit = naiveFlopLimit
        self.secondsPerMeasurement = secondsPerMeasurement
        self.peakIterations = peakIterations
    }

    /// Runs every measurement. `progress` is told each shape as it starts. The peaks are measured
    /// before and after the products, the higher of each kept (see
    /// ``PeakThroughput/measureAround(threads:iterations:_:)``).
    public func run(progress: (Shape) -> Void = { _ in }) -> Result {
        let ((rows, peakOne), peakTwo) = PeakThroughput.measureAround(threads: 2, iterations: peakIterations) {
            PeakThroughput.measureAround(threads: 1, iterations: peakIterations) { measureShapes(progress: progress) }
        }
        return Result(rows: rows, peakOneThread: peakOne, peakTwoThreads: peakTwo,
                      machine: .current(), secondsPerMeasurement: secondsPerMeasurement)
    }

    /// Each shape's naive, tuned and OpenBLAS speeds.
    private func measureShapes(progress: (Shape) -> Void) -> [Row] {
        var rows: [Row] = []
        for shape in shapes {
            progress(shape)
            var generator = SeededGenerator(seed: 1)
            let a = Matrix.random(rows: shape.m, columns: shape.k, using: &generator)
            let b = Matrix.random(rows: shape.k, columns: shape.n, using: &generator)
            var c = Matrix(rows: shape.m, columns: shape.n)
            func speed(_ body: () -> Void) -> Double {
                let seconds = Stopwatch.median(Stopwatch.measure(minimumSeconds: secondsPerMeasurement, body))
                return shape.flops / seconds / 1e9
            }
            let naive: Double? = shape.flops <= naiveFlopLimit
                ? speed { Matrix.naiveMultiply(a, .none, b, .none, into: &c) } : nil
            let tuned = speed { Matrix.tunedMultiply(a, .none, b, .none, into: &c) }
            let one = BLAS.withThreadCount(1) { speed { Matrix.multiply(a, .none, b, .none, into: &c) } }
            let two = BLAS.withThreadCount(2) { speed { Matrix.multiply(a, .none, b, .none, into: &c) } }
            rows.append(Row(shape: shape, naive: naive, tuned: tuned, blasOneThread: one, blasTwoThreads: two))
        }
        return rows
    }
}
