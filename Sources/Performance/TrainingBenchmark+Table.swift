import Reporting

extension TrainingBenchmark.Result {
    /// The network as `784-256-128-64-32-10`.
    public var networkLabel: String { layerSizes.map(String.init).joined(separator: "-") }

    /// One row per fit, per replay strategy and for the peak: seconds per epoch, samples per
    /// second, GFLOP/s (the dense flops of an epoch over its time), the time over the bare-GEMM
    /// time, and the share of the fp32 peak.
    public var table: Table {
        var table = Table(
            title: "Training epoch, \(networkLabel), batch \(batchSize), \(threads) thread\(threads == 1 ? "" : "s"), "
                + (data == .synthetic ? "SYNTHETIC data" : "MNIST"),
            headers: ["measurement", "s/epoch", "samples/s", "GFLOP/s", "× bare GEMM", "× dense bound", "× sparse bound"],
            alignments: [.left] + Array(repeating: .right, count: 6))
        func row(_ label: String, seconds: Double) -> [String] {
            let gflops = flopsPerEpoch / seconds / 1e9
            return [
                label, NumberFormat.fixed(seconds, decimals: 3),
                NumberFormat.grouped(Int((Double(sampleCount) / seconds).rounded())),
                NumberFormat.fixed(gflops, decimals: 1),
                NumberFormat.fixed(seconds / bareGemmSeconds, decimals: 2) + "×",
                NumberFormat.fixed(seconds / epochSecondsAtPeak, decimals: 2) + "×",
                NumberFormat.fixed(seconds / epochSecondsAtSparseBound, decimals: 2) + "×",
            ]
        }
        for engine in engines {
            table.addRow(row("engine, input kernel \(engine.inputKernel.rawValue)", seconds: engine.medianEpochSeconds))
        }
        for measurement in replay {
            table.addRow(row("bare GEMM: \(measurement.strategy.label(threads: measurement.threads))",
                             seconds: measurement.medianSeconds))
        }
        table.addRow(row("dense bound: dense flops at the fp32 peak (FMA loop, \(threads) thread\(threads == 1 ? "" : "s"))",
                         seconds: epochSecondsAtPeak))
        table.addRow(row("sparse-aware bound: the sparse kernels' flops at that peak", seconds: epochSecondsAtSparseBound))
        return table
    }

    /// The setup, one fact a line: network and optimiser, data, batch and epochs, flops, memory,
    /// the CPU and OpenBLAS's kernels.
    public var summaryLines: [String] {
        let engineRatios = engines.map {
            "\($0.inputKernel.rawValue) \(NumberFormat.fixed($0.overheadRatio, decimals: 2))×"
        }
        return [
            "Network: \(networkLabel) (ReLU, He init, softmax cross-entropy); SGD, learning rate 0.01, "
                + "momentum 0.9 (Nesterov), alpha 0, shuffled, seed \(seed)",
            "Data: \(dataDescription)",
            "Batch \(batchSize), \(NumberFormat.grouped(sampleCount)) samples, \(epochs) epochs per input kernel "
                + "(median epoch), \(threads) thread\(threads == 1 ? "" : "s")",
            "Dense flops per epoch: \(NumberFormat.fixed(flopsPerEpoch / 1e9, decimals: 2)) GFLOP; "
                + "fp32 peak \(NumberFormat.fixed(peakGflops, decimals: 1)) GFLOP/s, so at best "
                + "\(NumberFormat.fixed(epochSecondsAtPeak, decimals: 3)) s per epoch (the dense bound)",
            "Inputs \(NumberFormat.percent(nonZeroInputFraction, decimals: 1)) non-zero: the sparse first layer's products "
                + "need \(NumberFormat.fixed(sparseAwareFlopsPerEpoch / 1e9, decimals: 2)) GFLOP per epoch, at best "
                + "\(NumberFormat.fixed(epochSecondsAtSparseBound, decimals: 3)) s (the sparse-aware bound)",
            "Bare GEMM: \(NumberFormat.fixed(bareGemmSeconds, decimals: 3)) s per epoch"
                + (bareGemmStrategy.map { " (\($0.label(threads: threads)))" } ?? "")
                + "; engine overhead (median epoch / bare GEMM): " + engineRatios.joined(separator: ", "),
            "Peak resident memory: \(NumberFormat.fixed(peakResidentMegabytes, decimals: 0)) MB (whole process, dataset included)",
        ] + machine.lines
    }

    /// The notes a run always carries, with the synthetic-data note first when it applies.
    var standardNotes: [String] {
        (dataNote.map { [$0] } ?? []) + [
            "Epoch times are TrainingHistory.secondsPerEpoch: everything the training loop does (batch copy and "
                + "scaling, products, activations, loss, optimiser updates, shuffling).",
            "The bare-GEMM replay makes only the dense sgemm calls of an epoch (forward X·W, weight gradients Aᵀ·δ, "
                + "input gradients δ·Wᵀ above layer 1) on buffers allocated once; bare GEMM is the fastest of its "
                + "strategies (median of \(replay.first?.seconds.count ?? 0) epochs each). A sparse input kernel "
                + "does less work than the dense first layer, so its ratio to bare GEMM can fall below 1.",
            "GFLOP/s counts the dense flops of an epoch whichever kernel ran. The dense bound is those flops at the "
                + "fp32 peak measured in this run (the FMA loop before and after the timed work, the higher of "
                + "the two, so that a slow spell of the host during one measurement does not lower the bound); the "
                + "sparse-aware bound counts instead the flops of the kernels that run: the first layer's forward "
                + "product and weight gradient over the non-zero inputs only.",
        ]
    }

    /// The summary, the table and the notes, for a terminal.
    public var plainText: String {
        summaryLines.joined(separator: "\n") + "\n\n" + table.plainText() + "\n"
            + notes.map { "Note: " + $0 }.joined(separator: "\n")
    }

    /// The report as Markdown: a title, the summary as a list, the table and the notes.
    public var markdown: String {
        "# Training benchmark\n\n"
            + summaryLines.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            + table.markdown() + "\n"
            + notes.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }
}
