import LinearAlgebra
import MLPCore

/// Replays the `sgemm` calls of one training epoch of a dense network, and nothing else, on
/// buffers allocated once: the time a trainer could not beat without doing fewer flops.
///
/// Each batch makes the calls of ``GemmCall/trainingStep(layerSizes:rows:)`` (14 for the
/// section-B network 784-256-128-64-32-10), for every batch of ``GemmCall/batchRows(sampleCount:batchSize:)``.
/// The buffers hold seeded values of order 1; their contents do not change the time of a product.
/// A ``Strategy`` says how the calls are spread over the threads.
///
/// The class is `@unchecked Sendable` because the threads of one replay share its buffers: between
/// two barriers each writes only its own rows, its own columns or its own weight gradients.
public final class GemmReplay: @unchecked Sendable {
    /// How the calls of an epoch are spread over ``threadCount`` threads.
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        /// One thread, the calls one after another (`BLAS.setThreadCount(1)`).
        case sequential
        /// One caller, OpenBLAS splitting each call over the threads (`BLAS.setThreadCount(T)`).
        case blasThreads = "blas-threads"
        /// Each thread makes every call on its contiguous block of the batch's rows, with
        /// single-threaded BLAS and its own weight gradients; the threads meet at a barrier after
        /// each batch.
        case dataParallel = "data-parallel"
        /// Each thread computes its share of every call's output columns with single-threaded
        /// BLAS; the threads meet at a barrier after each call (the next call reads its output).
        case columnSplit = "column-split"

        /// A description for tables: `1 thread, sequential`, `OpenBLAS, 2 threads`, ….
        public func label(threads: Int) -> String {
            switch self {
            case .sequential: return "1 thread, sequential"
            case .blasThreads: return "OpenBLAS split, \(threads) threads"
            case .dataParallel: return "data-parallel rows, \(threads) threads"
            case .columnSplit: return "column split, \(threads) threads"
            }
        }
    }

    /// The timing of one strategy.
    public struct Measurement: Sendable, Hashable, Codable {
        public var strategy: Strategy
        /// Threads the strategy used (1 for ``Strategy/sequential``).
        public var threads: Int
        /// The seconds of each replayed epoch.
        public var seconds: [Double]
        /// The median of ``seconds``.
        public var medianSeconds: Double
        /// The epoch's flops divided by ``medianSeconds``, in GFLOP/s.
        public var gflops: Double
    }

    /// The widths of the input, the hidden layers and the output.
    public let layerSizes: [Int]
    /// The rows of each batch of the epoch.
    public let batchRows: [Int]
    /// The threads of the parallel strategies.
    public let threadCount: Int
    /// The calls of one batch, for each distinct batch size.
    let callsByRows: [Int: [GemmCall]]

    /// Activations `0…L` (`maxRows × layerSizes[l]`; 0 is the input).
    private let activations: [UnsafeMutablePointer<Float>]
    /// Deltas `0…L` (`maxRows × layerSizes[l]`; 0 is unused, as layer 1 passes no delta down).
    private let deltas: [UnsafeMutablePointer<Float>]
    /// Weights `1…L` at index `l − 1` (`fanIn × fanOut`).
    private let weights: [UnsafeMutablePointer<Float>]
    /// Each thread's weight gradients `1…L` at `[thread][l − 1]`.
    private let gradients: [[UnsafeMutablePointer<Float>]]
    private let allocations: [UnsafeMutablePointer<Float>]

    /// The strategies this platform can run: the parallel ones need `Synchronization`'s atomics
    /// (macOS 15 or later; always on Linux).
    public static var availableStrategies: [Strategy] {
        if #available(macOS 15, *) { return Strategy.allCases }
        return [.sequential, .blasThreads]
    }

    /// Buffers for an epoch of `sampleCount` samples in batches of `batchSize`, with values drawn
    /// from `seed`: inputs, deltas and weights `U(−1, 1)`, the weights scaled by `1/√fanIn`.
    public init(layerSizes: [Int], sampleCount: Int, batchSize: Int, threads: Int, seed: UInt64 = 1) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 >= 1 }, "invalid layer sizes \(layerSizes)")
        precondition(threads >= 1, "a replay needs at least one thread, got \(threads)")
        self.layerSizes = layerSizes
        batchRows = GemmCall.batchRows(sampleCount: sampleCount, batchSize: batchSize)
        threadCount = threads
        var callsByRows: [Int: [GemmCall]] = [:]
        for rows in Set(batchRows) { callsByRows[rows] = GemmCall.trainingStep(layerSizes: layerSizes, rows: rows) }
        self.callsByRows = callsByRows

        let maxRows = batchRows.max() ?? 1
        var generator = SeededGenerator(seed: seed)
        var allocations: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int, scale: Float) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for index in 0..<count { pointer[index] = (2 * generator.nextUnitFloat() - 1) * scale }
            allocations.append(pointer)
            return pointer
        }
        let layerCount = layerSizes.count - 1
        activations = layerSizes.map { buffer(maxRows * $0, scale: 1) }
        deltas = layerSizes.map { buffer(maxRows * $0, scale: 1) }
        weights = (1...layerCount).map { layer in
            buffer(layerSizes[layer - 1] * layerSizes[layer], scale: 1 / Float(layerSizes[layer - 1]).squareRoot())
        }
        gradients = (0..<threads).map { _ in
            (1...layerCount).map { layer in buffer(layerSizes[layer - 1] * layerSizes[layer], scale: 0) }
        }
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// The flops of one epoch's calls (the sum of 2·m·n·k).
    public var flopsPerEpoch: Double {
        batchRows.reduce(0) { total, rows in total + (callsByRows[rows] ?? []).reduce(0) { $0 + $1.flops } }
    }

    /// The operands of `call` (C being `thread`'s own weight gradient for a weight-gradient call).
    @inline(__always)
    func operands(of call: GemmCall, thread: Int)
        -> (a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>)
    {
        let layer = call.layer
        switch call.role {
        case .forward: return (UnsafePointer(activations[layer - 1]), UnsafePointer(weights[layer - 1]), activations[layer])
        case .weightGradient: return (UnsafePointer(activations[layer - 1]), UnsafePointer(deltas[layer]), gradients[thread][layer - 1])
        case .inputGradient: return (UnsafePointer(deltas[layer]), UnsafePointer(weights[layer - 1]), deltas[layer - 1])
        }
    }

    /// Replays one epoch with `strategy`, leaving OpenBLAS's thread count as the strategy set it.
    public func replayEpoch(_ strategy: Strategy) {
        replay(strategy, batches: batchRows[...])
    }

    /// Replays the calls of `batches` (each a row count) with `strategy`.
    private func replay(_ strategy: Strategy, batches: ArraySlice<Int>) {
        precondition(GemmReplay.availableStrategies.contains(strategy), "\(strategy.rawValue) needs macOS 15 or later")
        switch strategy {
        case .sequential, .blasThreads:
            BLAS.setThreadCount(strategy == .sequential ? 1 : threadCount)
            for rows in batches {
                for call in callsByRows[rows] ?? [] {
                    let (a, b, c) = operands(of: call, thread: 0)
                    call.multiply(call.whole, a: a, b: b, c: c)
                }
            }
        case .dataParallel, .columnSplit:
            BLAS.setThreadCount(1)
            if #available(macOS 15, *) { replayInTeam(batches: batches, splittingRows: strategy == .dataParallel) }
        }
    }

    /// The threads of ``Strategy/dataParallel`` (a barrier per batch) or ``Strategy/columnSplit``
    /// (a barrier per call).
    @available(macOS 15, *)
    private func replayInTeam(batches: ArraySlice<Int>, splittingRows: Bool) {
        let barrier = SpinBarrier(threadCount: threadCount)
        let threads = threadCount
        _ = ThreadTeam.run(threads: threads, name: "GEMM replay") { [self] thread in
            for rows in batches {
                for call in callsByRows[rows] ?? [] {
                    let (a, b, c) = operands(of: call, thread: splittingRows ? thread : 0)
                    if splittingRows {
                        call.multiply(call.rowPiece(thread, of: threads), a: a, b: b, c: c)
                    } else {
                        call.multiply(call.columnPiece(thread, of: threads), a: a, b: b, c: c)
                        barrier.wait()
                    }
                }
                if splittingRows { barrier.wait() }
            }
        }
    }

    /// Times `repetitions` epochs of `strategy` after a warm-up epoch of one batch, and restores
    /// OpenBLAS's thread count.
    public func measure(_ strategy: Strategy, repetitions: Int = 3) -> Measurement {
        precondition(repetitions >= 1, "repetitions must be at least 1, got \(repetitions)")
        return BLAS.withThreadCount(BLAS.threadCount) { timed(strategy, repetitions: repetitions) }
    }

    /// ``measure(_:repetitions:)`` without restoring OpenBLAS's thread count.
    private func timed(_ strategy: Strategy, repetitions: Int) -> Measurement {
        replay(strategy, batches: batchRows.prefix(1))
        var seconds: [Double] = []
        for _ in 0..<repetitions {
            let start = Stopwatch.now()
            replayEpoch(strategy)
            seconds.append(Stopwatch.now() - start)
        }
        let median = Stopwatch.median(seconds)
        return Measurement(
            strategy: strategy, threads: strategy == .sequential ? 1 : threadCount,
            seconds: seconds, medianSeconds: median, gflops: flopsPerEpoch / median / 1e9)
    }

    /// A buffer that tests read.
    enum Buffer {
        case activation, delta, weight
        /// The weight gradient summed over the threads' copies.
        case gradientSum
    }

    /// The values of `buffer` of `layer` (activations and deltas hold the rows of the largest
    /// batch), for tests.
    func values(of buffer: Buffer, layer: Int) -> [Float] {
        let maxRows = batchRows.max() ?? 1
        func read(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> [Float] {
            Array(UnsafeBufferPointer(start: pointer, count: count))
        }
        switch buffer {
        case .activation: return read(activations[layer], maxRows * layerSizes[layer])
        case .delta: return read(deltas[layer], maxRows * layerSizes[layer])
        case .weight: return read(weights[layer - 1], layerSizes[layer - 1] * layerSizes[layer])
        case .gradientSum:
            let count = layerSizes[layer - 1] * layerSizes[layer]
            return (0..<count).map { index in gradients.reduce(Float(0)) { $0 + $1[layer - 1][index] } }
        }
    }
}
