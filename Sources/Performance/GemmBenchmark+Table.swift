import Reporting

extension GemmBenchmark.Result {
    /// The results as a table: GFLOP/s of each kernel, the speed-ups between them, and the share of
    /// the measured fp32 peak that OpenBLAS reaches at 1 and 2 threads.
    public var table: Table {
        var table = Table(
            title: "GEMM, GFLOP/s (fp32, median)",
            headers: ["m×n×k", "naive", "tuned Swift", "BLAS 1t", "BLAS 2t",
                      "tuned/naive", "BLAS 1t/tuned", "2t/1t", "peak 1t", "peak 2t"],
            alignments: [.left] + Array(repeating: .right, count: 9))
        func gflops(_ value: Double?) -> String { value.map { NumberFormat.fixed($0, decimals: $0 < 10 ? 2 : 1) } ?? "–" }
        func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
            guard let numerator, let denominator, denominator > 0 else { return "–" }
            return NumberFormat.fixed(numerator / denominator, decimals: numerator / denominator < 10 ? 2 : 0) + "×"
        }
        for row in rows {
            table.addRow([
                row.shape.label, gflops(row.naive), gflops(row.tuned), gflops(row.blasOneThread),
                gflops(row.blasTwoThreads), ratio(row.tuned, row.naive), ratio(row.blasOneThread, row.tuned),
                ratio(row.blasTwoThreads, row.blasOneThread),
                NumberFormat.percent(row.blasOneThread / peakOneThread, decimals: 0),
                NumberFormat.percent(row.blasTwoThreads / peakTwoThreads, decimals: 0),
            ])
        }
        return table
    }

    /// How the peak was obtained, for printing under the table.
    public var peakNote: String {
        "Peak measured in this run with an FMA loop (10 independent one-register FMA chains per thread, "
            + "the threads started together, best of 3 rounds before and 3 after the products): "
            + "\(NumberFormat.fixed(peakOneThread, decimals: 1)) GFLOP/s on 1 thread, "
            + "\(NumberFormat.fixed(peakTwoThreads, decimals: 1)) GFLOP/s on 2."
    }
}
