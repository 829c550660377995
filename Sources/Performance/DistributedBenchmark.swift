import Datasets
import MLPCore
import NeuralNetwork
import Reporting

/// Section-B epochs on one rank and on every rank of an MPI job (`mpirun -np R mlp bench train
/// --distributed`): the epoch time, the time per batch spent in communication, and the scaling
/// efficiency `T₁ / (R · T_R)` of the same global batch. Rank 0 trains alone first while the other
/// ranks wait; then all train together.
public struct DistributedBenchmark: Sendable {
    public var batchSize: Int
    public var epochs: Int
    /// Threads of each rank.
    public var threads: Int
    public var reduction: GradientReduction
    public var seed: UInt64

    public init(batchSize: Int = 128, epochs: Int = 3, threads: Int = 1, reduction: GradientReduction = .ordered,
                seed: UInt64 = 1) {
        self.batchSize = batchSize
        self.epochs = epochs
        self.threads = threads
        self.reduction = reduction
        self.seed = seed
    }

    /// The epochs of one run on `ranks` ranks.
    public struct Measurement: Sendable, Hashable, Codable {
        public var ranks: Int
        public var secondsPerEpoch: [Double]
        public var medianEpochSeconds: Double
        /// The median epoch's seconds in collective operations (0 on one rank), over its batches.
        public var communicationMillisecondsPerBatch: Double
    }

    /// What rank 0 reports.
    public struct Result: Sendable, Hashable, Codable {
        public var dataDescription: String
        public var sampleCount: Int
        public var batchSize: Int
        public var threadsPerRank: Int
        public var reduction: GradientReduction
        public var parameterCount: Int
        /// The bytes one rank contributes to each batch's reduction (its gradient, `Float`s).
        public var bytesPerReduction: Int
        public var one: Measurement
        public var all: Measurement
        /// `T₁ / T_R`.
        public var speedup: Double
        /// `speedup / R`.
        public var efficiency: Double
        /// The measured compute seconds per sample on one rank (the one-rank epoch over its samples).
        public var computeSecondsPerSample: Double
        public var machine: MachineDescription
    }

    /// Runs the two measurements; returns the result on rank 0 and nil on the other ranks.
    /// - Throws: `NeuralNetworkError` when training fails, `CommunicatorError` when a collective does.
    public func run(on data: BenchmarkDataset, communicator: any Communicator,
                    progress: @escaping (String) -> Void = { _ in }) throws -> Result? {
        var configuration = TrainingBenchmark(batchSize: batchSize, epochs: epochs, threads: threads, seed: seed)
            .trainingConfiguration(inputKernel: .automatic)
        configuration.gradientReduction = reduction
        let labels = data.images.integerLabels
        func measure(_ communicator: any Communicator) throws -> (Measurement, Int) {
            var model = MLPClassifier(configuration: configuration)
            model.communicator = communicator
            try model.fit(data.images, labels: labels) { report in
                progress("  \(communicator.size) rank(s), epoch \(report.epoch)/\(report.maxEpochs): "
                         + NumberFormat.duration(seconds: report.seconds))
            }
            let history = model.history
            let median = Stopwatch.median(history.secondsPerEpoch)
            let batches = (data.images.sampleCount + batchSize - 1) / batchSize
            let communication = history.communicationSecondsPerEpoch.isEmpty ? 0 : Stopwatch.median(history.communicationSecondsPerEpoch)
            return (Measurement(ranks: communicator.size, secondsPerEpoch: history.secondsPerEpoch, medianEpochSeconds: median,
                                communicationMillisecondsPerBatch: communication / Double(batches) * 1e3),
                    model.network?.parameterCount ?? 0)
        }
        var one: (Measurement, Int)?
        if communicator.rank == 0 {
            progress("1 rank (rank 0 alone, \(threads) thread(s))")
            one = try measure(SingleProcessCommunicator.shared)
        }
        try communicator.barrier()
        progress("\(communicator.size) ranks of \(threads) thread(s), \(reduction.rawValue) reduction")
        let (all, parameterCount) = try measure(communicator)
        guard let (single, _) = one else { return nil }
        let speedup = single.medianEpochSeconds / all.medianEpochSeconds
        return Result(
            dataDescription: data.description, sampleCount: data.images.sampleCount, batchSize: batchSize,
            threadsPerRank: threads, reduction: reduction, parameterCount: parameterCount,
            bytesPerReduction: parameterCount * MemoryLayout<Float>.size, one: single, all: all, speedup: speedup,
            efficiency: speedup / Double(communicator.size),
            computeSecondsPerSample: single.medianEpochSeconds / Double(data.images.sampleCount), machine: .current())
    }
}

extension DistributedBenchmark.Result {
    /// One row per rank count.
    public var table: Table {
        var table = Table(
            title: "Section-B epoch, batch \(batchSize) (global), \(threadsPerRank) thread(s) per rank, \(reduction.rawValue) reduction",
            headers: ["ranks", "s/epoch", "samples/s", "communication ms/batch", "speed-up", "efficiency"],
            alignments: [.right] + Array(repeating: .right, count: 5))
        for measurement in [one, all] {
            let speed = one.medianEpochSeconds / measurement.medianEpochSeconds
            table.addRow([
                String(measurement.ranks), NumberFormat.fixed(measurement.medianEpochSeconds, decimals: 3),
                NumberFormat.grouped(Int((Double(sampleCount) / measurement.medianEpochSeconds).rounded())),
                NumberFormat.fixed(measurement.communicationMillisecondsPerBatch, decimals: 3),
                NumberFormat.fixed(speed, decimals: 2) + "×",
                NumberFormat.percent(speed / Double(measurement.ranks), decimals: 0),
            ])
        }
        return table
    }

    /// The setup, one fact a line.
    public var lines: [String] {
        ["Data: \(dataDescription)",
         "\(NumberFormat.grouped(parameterCount)) parameters: \(NumberFormat.grouped(bytesPerReduction)) bytes per rank per reduction",
         "Compute on one rank: \(NumberFormat.fixed(computeSecondsPerSample * 1e6, decimals: 2)) µs per sample"] + machine.lines
    }
}
