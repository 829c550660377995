import Reporting

/// A model of data-parallel training on larger clusters, from the compute time per sample measured
/// on one host and the bytes of one reduction.
///
/// Assumptions: every host computes its share of each global batch in `c · B / P` seconds (as
/// fast per sample as the measurement, which overstates small shares); the network is a switch
/// with `bandwidth` bytes per second in each direction per host and `latency` seconds per message;
/// hosts exchange gradients by a ring algorithm, one reduction per batch, not overlapped with
/// compute. A ring allreduce of `M` bytes over `P` hosts costs `2(P−1)·latency + 2(P−1)/P · M / bandwidth`;
/// the ordered reduction (an allgather, then a sum in rank order) receives every other host's
/// gradient: `(P−1)·latency + (P−1) · M / bandwidth`.
public struct ScalingModel: Sendable {
    /// A network speed, with its per-message latency.
    public struct Network: Sendable, Hashable {
        public var name: String
        public var bytesPerSecond: Double
        public var latency: Double

        /// 10, 25 and 100 Gigabit Ethernet, with TCP latencies of 20, 10 and 5 µs per message.
        public static let ethernet: [Network] = [
            Network(name: "10 GbE", bytesPerSecond: 10e9 / 8, latency: 20e-6),
            Network(name: "25 GbE", bytesPerSecond: 25e9 / 8, latency: 10e-6),
            Network(name: "100 GbE", bytesPerSecond: 100e9 / 8, latency: 5e-6),
        ]
    }

    /// Compute seconds per sample on one host.
    public var computeSecondsPerSample: Double
    /// Bytes of one host's gradient.
    public var bytesPerReduction: Double
    /// Samples per epoch.
    public var sampleCount: Int

    public init(computeSecondsPerSample: Double, bytesPerReduction: Double, sampleCount: Int) {
        self.computeSecondsPerSample = computeSecondsPerSample
        self.bytesPerReduction = bytesPerReduction
        self.sampleCount = sampleCount
    }

    /// The seconds of one reduction over `hosts`.
    public func reductionSeconds(hosts: Int, network: Network, ordered: Bool) -> Double {
        guard hosts > 1 else { return 0 }
        let p = Double(hosts)
        return ordered
            ? (p - 1) * network.latency + (p - 1) * bytesPerReduction / network.bytesPerSecond
            : 2 * (p - 1) * network.latency + 2 * (p - 1) / p * bytesPerReduction / network.bytesPerSecond
    }

    /// The predicted epoch seconds and the efficiency `T₁ / (P · T_P)` on `hosts` hosts at global
    /// batch `batchSize`.
    public func epoch(hosts: Int, batchSize: Int, network: Network, ordered: Bool) -> (seconds: Double, efficiency: Double) {
        let batches = Double((sampleCount + batchSize - 1) / batchSize)
        let compute = computeSecondsPerSample * Double(sampleCount)
        let seconds = compute / Double(hosts) + batches * reductionSeconds(hosts: hosts, network: network, ordered: ordered)
        return (seconds, compute / (Double(hosts) * seconds))
    }
}



extension ScalingModel {
    /// The host counts and global batches the tables cover.
    public static let hostCounts = [1, 2, 4, 8, 16, 32, 64]
    public static let batchSizes = [128, 1_024, 8_192]

    /// Predicted epoch seconds and efficiency on `network`: one row per global batch and
    /// reduction, one column per host count.
    public func table(network: Network) -> Table {
        var table = Table(
            title: "Predicted epoch (s) and efficiency on \(network.name), \(NumberFormat.grouped(sampleCount)) samples",
            headers: ["batch", "reduction"] + ScalingModel.hostCounts.map { "\($0) host\($0 == 1 ? "" : "s")" },
            alignments: [.right, .left] + ScalingModel.hostCounts.map { _ in .right })
        for batchSize in ScalingModel.batchSizes {
            for ordered in [true, false] {
                table.addRow([NumberFormat.grouped(batchSize), ordered ? "ordered" : "allreduce"] + ScalingModel.hostCounts.map { hosts in
                    let (seconds, efficiency) = epoch(hosts: hosts, batchSize: batchSize, network: network, ordered: ordered)
                    return NumberFormat.fixed(seconds, decimals: seconds < 1 ? 3 : 2) + " (" + NumberFormat.percent(efficiency, decimals: 0) + ")"
                })
            }
        }
        return table
    }
}
