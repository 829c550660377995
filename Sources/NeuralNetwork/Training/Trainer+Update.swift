import LinearAlgebra

/// A contiguous run of parameters of one kind (weights or biases) that one thread updates.
struct UpdateSegment: Sendable, Hashable {
    let start: Int
    let end: Int
    /// Whether these are weights (penalised by L2) rather than biases.
    let isWeight: Bool

    /// The parameter indices `start..<end`.
    var range: Range<Int> { start..<end }

    /// Pieces of at most this many parameters, so that a piece's gradient, parameters and
    /// moments stay in cache between the reduction and the update.
    static let pieceLength = 4096

    /// Splits the parameters into `threads` ranges of nearly equal length (fewer for small
    /// networks: at least 16 384 parameters per thread), each cut at the layers' weight/bias
    /// boundaries and into pieces of ``pieceLength``. With `skippingFirstWeights`, the first
    /// layer's weights are left out (a ``Trainer/FusedFirstLayer`` updates them) and the rest is
    /// split evenly.
    static func partition(layers: [DenseLayer], threads: Int, skippingFirstWeights: Bool = false) -> [[UpdateSegment]] {
        var spans = [UpdateSegment]()
        for (index, layer) in layers.enumerated() {
            if !(skippingFirstWeights && index == 0) {
                spans.append(UpdateSegment(start: layer.offset, end: layer.biasOffset, isWeight: true))
            }
            spans.append(UpdateSegment(start: layer.biasOffset, end: layer.endOffset, isWeight: false))
        }
        // Positions count the parameters of the spans, one span after another.
        let total = spans.reduce(0) { $0 + ($1.end - $1.start) }
        let count = Swift.max(1, Swift.min(threads, total / 16_384))
        return (0..<count).map { thread in
            // Range boundaries on multiples of 8 keep vectorised loops on whole vectors.
            let lower = Swift.min(total, (total * thread / count) & ~7)
            let upper = thread == count - 1 ? total : Swift.min(total, (total * (thread + 1) / count) & ~7)
            var pieces = [UpdateSegment]()
            var position = 0
            for span in spans {
                let length = span.end - span.start
                defer { position += length }
                var start = span.start + Swift.max(0, lower - position)
                let end = span.start + Swift.min(length, upper - position)
                while start < end {
                    let pieceEnd = Swift.min(end, start + pieceLength)
                    pieces.append(UpdateSegment(start: start, end: pieceEnd, isWeight: span.isWeight))
                    start = pieceEnd
                }
            }
            return pieces
        }
    }
}

extension Trainer {
    /// What the update stage measured.
    struct UpdateResult {
        /// `Σₗ ‖Wₗ‖²` of the weights before the update (for the L2 term of the loss).
        var squaredWeights: Double
        /// `‖g‖₂` of the summed gradient before clipping (only when clipping).
        var gradientNorm: Double?
    }

    /// The reduction and update stage of one batch whose gradient `workersUsed` global workers
    /// computed, split over threads by parameter range (element-wise, so the result does not
    /// depend on the split): for each piece, `g ← g₀ + g₁ + …` (the workers' gradients in worker
    /// order, then, with several processes, the ranks' in rank order), `g ← g + (α/n) · θ` (n the batch's normaliser: rows, or `Σ w`) on the
    /// weights, and the optimiser's step. With a clip norm, the global `‖g‖₂` is needed first:
    /// the sums run over every piece, then the step uses `g · min(1, clip / ‖g‖₂)`.
    func reduceAndUpdate(workersUsed: Int, normalizer: Double) throws(NeuralNetworkError) -> UpdateResult {
        let threads = updateSegments.count
        let clipping = configuration.gradientClipNorm != nil
        let local = localWorkersUsed(of: workersUsed)
        if communicator.size == 1 {
            runJob(.update(localWorkers: local, normalizer: normalizer, phase: clipping ? .reduce : .fused), threads: threads)
        } else {
            if local > 1 { runJob(.update(localWorkers: local, normalizer: normalizer, phase: .sumWorkers), threads: threads) }
            try exchangeGradients(localWorkers: local)
            runJob(.update(localWorkers: local, normalizer: normalizer,
                           phase: .combineRanks(usedRanks: ranksUsed(of: workersUsed), clipping: clipping)),
                   threads: threads)
        }
        var result = UpdateResult(squaredWeights: 0)
        var squaredGradient: Double = 0
        for thread in 0..<threads {
            result.squaredWeights += updatePartials[2 &* thread]
            squaredGradient += updatePartials[2 &* thread &+ 1]
        }
        if let clipNorm = configuration.gradientClipNorm {
            let norm = squaredGradient.squareRoot()
            result.gradientNorm = norm
            guard norm.isFinite else { return result }
            let scale = Float(norm > clipNorm ? clipNorm / norm : 1)
            runJob(.update(localWorkers: local, normalizer: normalizer, phase: .step(scale)), threads: threads)
        }
        return result
    }

    /// Update thread `thread`'s share of a phase, over its own segments (of `segments`,
    /// ``updateSegments`` unless given).
    func updateShare(_ thread: Int, localWorkers: Int, normalizer: Double, phase: UpdatePhase,
                     segments: [[UpdateSegment]]? = nil) {
        let l2Scale = L2Penalty.gradientScale(alpha: configuration.alpha, normalizer: normalizer)
        var squaredWeights: Double = 0
        var squaredGradient: Double = 0
        for segment in (segments ?? updateSegments)[thread] {
            switch phase {
            case .fused:
                sumWorkers(segment, localWorkers: localWorkers)
                squaredWeights += penalize(segment, l2Scale: l2Scale, gradientSquares: false).weights
                optimizer.update(parameters: parameters, gradient: gradient, range: segment.range, gradientScale: 1,
                                     isWeight: segment.isWeight)
            case .reduce:
                sumWorkers(segment, localWorkers: localWorkers)
                let sums = penalize(segment, l2Scale: l2Scale, gradientSquares: true)
                squaredWeights += sums.weights
                squaredGradient += sums.gradient
            case .sumWorkers:
                sumWorkers(segment, localWorkers: localWorkers)
            case .combineRanks(let usedRanks, let clipping):
                sumRanks(segment, usedRanks: usedRanks)
                let sums = penalize(segment, l2Scale: l2Scale, gradientSquares: clipping)
                squaredWeights += sums.weights
                squaredGradient += sums.gradient
                if !clipping {
                    optimizer.update(parameters: parameters, gradient: gradient, range: segment.range, gradientScale: 1,
                                     isWeight: segment.isWeight)
                }
            case .step(let scale):
                optimizer.update(parameters: parameters, gradient: gradient, range: segment.range, gradientScale: scale,
                                 isWeight: segment.isWeight)
            }
        }
        if case .step = phase { return }
        updatePartials[2 &* thread] = squaredWeights
        updatePartials[2 &* thread &+ 1] = squaredGradient
    }

    /// Sums the worker gradients and adds the L2 term, without an update (for tests).
    func reduceGradients(workersUsed: Int, rows: Int, normalizer: Double? = nil) {
        let l2Scale = L2Penalty.gradientScale(alpha: configuration.alpha, normalizer: normalizer ?? Double(rows))
        for thread in updateSegments.indices {
            for segment in updateSegments[thread] {
                sumWorkers(segment, localWorkers: localWorkersUsed(of: workersUsed))
                _ = penalize(segment, l2Scale: l2Scale, gradientSquares: false)
            }
        }
    }

    /// `g ← g + Σ_{1 ≤ w < localWorkers} g_w` over `segment` (worker 0 wrote into `g`).
    @inline(__always)
    private func sumWorkers(_ segment: UpdateSegment, localWorkers: Int) {
        let count = segment.end &- segment.start
        let g = gradient + segment.start
        for worker in 1..<Swift.max(localWorkers, 1) {
            if let other = workers[worker].ownGradient {
                BLAS.axpy(count: count, alpha: 1, x: other + segment.start, y: g)
            }
        }
    }

    /// `g ← g + l2Scale · θ` over the weights of `segment`; returns `Σ θ²` over the weights (0
    /// without L2) and, when asked, `Σ g²` of the result.
    @inline(__always)
    private func penalize(_ segment: UpdateSegment, l2Scale: Float, gradientSquares wantsGradientSquares: Bool)
        -> (weights: Double, gradient: Double) {
        let count = segment.end &- segment.start
        let g = gradient + segment.start
        let theta = UnsafePointer(parameters + segment.start)
        var weightSquares: Double = 0
        // Without an L2 penalty the loss has no weight term, so ‖θ‖² is not needed.
        if segment.isWeight && l2Scale != 0 {
            weightSquares = Double(BLAS.dot(count: count, x: theta, y: theta))
            L2Penalty.addGradient(scale: l2Scale, weights: theta, to: g, count: count)
        }
        let gradientSquares = wantsGradientSquares ? Double(BLAS.dot(count: count, x: g, y: g)) : 0
        return (weightSquares, gradientSquares)
    }
}
