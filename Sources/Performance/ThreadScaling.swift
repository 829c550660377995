import Reporting

/// One benchmark at 1 thread and at several, side by side: the epoch, its ratio to the dense and
/// the sparse-aware bounds at each thread count, and the 1→N scaling of the epoch and of the peak.
public struct ThreadScaling: Sendable, Hashable, Codable {
    /// One measured configuration (an input kernel of `bench train`, or the autoencoder).
    public struct Row: Sendable, Hashable, Codable {
        public var label: String
        /// The median epoch at one thread and at ``ThreadScaling/threads``.
        public var seconds: [Double]
        /// The dense and sparse-aware bounds at each thread count (flops at that count's peak).
        public var denseBoundSeconds: [Double]
        public var sparseBoundSeconds: [Double]

        public init(label: String, seconds: [Double], denseBoundSeconds: [Double], sparseBoundSeconds: [Double]) {
            self.label = label
            self.seconds = seconds
            self.denseBoundSeconds = denseBoundSeconds
            self.sparseBoundSeconds = sparseBoundSeconds
        }
    }

    /// The thread counts, fewest first (1, then every core).
    public var threads: [Int]
    /// The fp32 peak measured at each thread count, GFLOP/s.
    public var peakGflops: [Double]
    public var rows: [Row]

    public init(threads: [Int], peakGflops: [Double], rows: [Row]) {
        self.threads = threads
        self.peakGflops = peakGflops
        self.rows = rows
    }

    /// Per row: the epoch, × dense bound and × sparse-aware bound at each thread count, then the
    /// 1→N speed-up of the epoch; and a row for the peak's own speed-up.
    public var table: Table {
        let counts = threads.map { "\($0)t" }
        var headers = ["measurement"]
        for count in counts { headers += ["s/epoch \(count)", "× dense \(count)", "× sparse \(count)"] }
        headers.append("speed-up \(threads.first ?? 1)→\(threads.last ?? 1)")
        var table = Table(title: "Thread scaling", headers: headers, alignments: [.left] + Array(repeating: .right, count: headers.count - 1))
        for row in rows {
            var cells = [row.label]
            for index in threads.indices {
                cells += [NumberFormat.fixed(row.seconds[index], decimals: 3),
                          NumberFormat.fixed(row.seconds[index] / row.denseBoundSeconds[index], decimals: 2) + "×",
                          NumberFormat.fixed(row.seconds[index] / row.sparseBoundSeconds[index], decimals: 2) + "×"]
            }
            cells.append(NumberFormat.fixed((row.seconds.first ?? .nan) / (row.seconds.last ?? .nan), decimals: 2) + "×")
            table.addRow(cells)
        }
        var peak = ["fp32 peak (FMA loop), GFLOP/s"]
        for value in peakGflops { peak += [NumberFormat.fixed(value, decimals: 1), "", ""] }
        peak.append(NumberFormat.fixed((peakGflops.last ?? .nan) / (peakGflops.first ?? .nan), decimals: 2) + "×")
        table.addRow(peak)
        return table
    }
}
