import MLPCore

/// Inverted dropout on the hidden layers' outputs, with masks from a counter-based hash.
///
/// During training, unit `j` of hidden layer `l` for the sample at row `r` of the batch of update
/// step `s` is kept when the 24-bit draw `h(seed, s, l, r, j) >> 40` is at least `⌊p · 2²⁴⌉`
/// (probability `1 − p` up to 2⁻²⁴), and a kept output is scaled by `1 / (1 − p)`, so that its
/// expectation is unchanged and predictions (`outputs(for:)`) run the network as it is, without
/// dropout. `h` chains SplitMix64's finaliser over the five counters: the mask depends on nothing
/// else (not on which thread or worker handles the row), so a run is reproducible from its seed
/// and a resumed run, whose optimiser restores the step count, draws the same masks.
struct Dropout: Sendable, Hashable {
    /// The key of every draw of the run, from the seed.
    let seedKey: UInt64
    /// A unit is kept when its 24-bit draw is at least this.
    let threshold: UInt64
    /// `1 / (1 − p)`.
    let keepScale: Float

    /// Dropout with probability `rate`, or nil when `rate` is 0 (no dropout, no buffers).
    init?(rate: Double, seed: UInt64) {
        guard rate > 0 else { return nil }
        precondition(rate < 1, "a dropout rate must lie in [0, 1), got \(rate)")
        seedKey = SeededGenerator.splitMix64(seed ^ 0x6A09_E667_F3BC_C908)
        threshold = UInt64((rate * 16_777_216).rounded())
        keepScale = Float(1 / (1 - rate))
    }

    /// Writes the mask (`1/(1 − p)` for a kept unit, 0 for a dropped one) of rows
    /// `firstRow..<firstRow + rows` of the batch of step `step` for hidden layer `layer`, and
    /// `dropped = values ⊙ mask`. Both are `rows × columns`. A row's draws are keyed by the seed,
    /// the step, the layer and the row in the batch, chained through SplitMix64 in that order.
    func apply(to values: UnsafePointer<Float>, dropped: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,
               rows: Int, columns: Int, layer: Int, step: Int, firstRow: Int) {
        let threshold = self.threshold, scale = keepScale
        let stepKey = SeededGenerator.splitMix64(seedKey ^ UInt64(truncatingIfNeeded: step))
        let layerKey = SeededGenerator.splitMix64(stepKey ^ UInt64(truncatingIfNeeded: layer))
        for row in 0..<rows {
            let key = SeededGenerator.splitMix64(layerKey ^ UInt64(truncatingIfNeeded: firstRow &+ row))
            let offset = row &* columns
            for column in 0..<columns {
                let draw = SeededGenerator.splitMix64(key &+ UInt64(truncatingIfNeeded: column)) >> 40
                let factor: Float = draw >= threshold ? scale : 0
                mask[offset &+ column] = factor
                dropped[offset &+ column] = values[offset &+ column] * factor
            }
        }
    }
}

/// Which dropout masks a training pass draws: those of update step `step`, for the rows of the
/// batch from `firstRow` on.
struct DropoutDraw: Sendable {
    var step: Int
    var firstRow: Int
}
