import CPrefetch
import MLPCore

/// The sparse first layer's weight gradient fused with its optimiser's step (see
/// ``VectorKernelSet/sparseGradientStep(_:deltas:columns:scratch:parameters:velocity:stride:step:)``
/// for SGD and ``VectorKernelSet/sparseGradientAdamStep(_:deltas:columns:scratch:parameters:firstMoment:secondMoment:stride:step:)``
/// for Adam): each 64-column gradient slice is summed in registers, as ``sparseMultiplyTransposed``
/// sums it, gets the L2 term, and goes to the optimiser's own ``sgd`` or ``adam`` kernel from a
/// 64-float buffer that stays in L1, so the gradient never goes to memory and the step is the
/// unfused one applied to that gradient, bit for bit.
extension KernelTable {
    func sparseGradientStep(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                            scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>,
                            velocity: UnsafeMutablePointer<Float>, stride: Int, step: MomentumStep) -> Double {
        fusedGradient(input, deltas: deltas, columns: columns, scratch: scratch, parameters: parameters, stride: stride,
                      l2Scale: step.l2Scale, state: (velocity, velocity)) { gradient, count, at in
            sgd(parameters: parameters + at, gradient: gradient, velocity: velocity + at, count: count,
                learningRate: step.learningRate, momentum: step.momentum, nesterov: step.nesterov, gradientScale: 1)
        }
    }

    func sparseGradientAdamStep(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                                scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>,
                                firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>,
                                stride: Int, step: AdamStep) -> Double {
        fusedGradient(input, deltas: deltas, columns: columns, scratch: scratch, parameters: parameters, stride: stride,
                      l2Scale: step.l2Scale, state: (firstMoment, secondMoment)) { gradient, count, at in
            adam(parameters: parameters + at, gradient: gradient, firstMoment: firstMoment + at, secondMoment: secondMoment + at,
                 count: count, rate: step.rate, beta1: step.beta1, beta2: step.beta2, epsilon: step.epsilon, decay: step.decay,
                 gradientScale: 1)
        }
    }

    /// The gradient slices of ``sparseGradientStep(_:deltas:columns:scratch:parameters:velocity:stride:step:)``,
    /// each with its L2 term, handed to `apply(gradient, count, offset)` for the `count` weights
    /// at `parameters + offset`; returns `Σ θ²` when `l2Scale` is not 0. `state` holds the
    /// optimiser's one or two arrays laid out as `parameters` (the same one twice for SGD): a
    /// slice's weights and state are asked for ``stateLookahead`` weight rows ahead, since the
    /// slices of successive rows lie a row apart and the hardware prefetchers miss them.
    @inline(__always)
    private func fusedGradient(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                               scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>, stride: Int,
                               l2Scale: Float, state: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
                               apply: (UnsafePointer<Float>, Int, Int) -> Void) -> Double {
        let rows = deltas.reduce(0) { $0 &+ $1.rows }
        // The packed delta slice in scratch[0..<rows × 64], one gradient slice after it.
        let gradient = scratch + rows &* 64
        var squares: Double = 0
        var first = columns.lowerBound
        while first &+ 64 <= columns.upperBound {
            Self.pack(deltas, columns: first..<(first &+ 64), into: scratch)
            for column in 0..<input.columns {
                if column &+ Self.stateLookahead < input.columns {
                    let ahead = (column &+ Self.stateLookahead) &* stride &+ first
                    Self.prefetchSlice(parameters + ahead)
                    Self.prefetchSlice(state.0 + ahead)
                    if state.1 != state.0 { Self.prefetchSlice(state.1 + ahead) }
                }
                var (g0, g1, g2, g3) = Self.sliceSums(input, column: column, slice: scratch)
                let at = column &* stride &+ first
                if l2Scale != 0 {
                    squares += Self.addPenalty(&g0, parameters + at, l2Scale)
                    squares += Self.addPenalty(&g1, parameters + (at &+ 16), l2Scale)
                    squares += Self.addPenalty(&g2, parameters + (at &+ 32), l2Scale)
                    squares += Self.addPenalty(&g3, parameters + (at &+ 48), l2Scale)
                }
                let g = UnsafeMutableRawPointer(gradient)
                g.storeBytes(of: g0, as: Lanes.self)
                g.storeBytes(of: g1, toByteOffset: 64, as: Lanes.self)
                g.storeBytes(of: g2, toByteOffset: 128, as: Lanes.self)
                g.storeBytes(of: g3, toByteOffset: 192, as: Lanes.self)
                apply(gradient, 64, at)
            }
            first &+= 64
        }
        // The last columns.count % 64 columns, one weight row at a time into scratch[0..<64], as
        // sparseMultiplyTransposed's tail sums them, from the packed tail (rows 64 floats apart,
        // after the first 64 floats).
        let count = columns.upperBound &- first
        if count > 0 {
            let sum = scratch, packed = scratch + 64
            Self.pack(deltas, columns: first..<columns.upperBound, into: packed)
            for column in 0..<input.columns {
                sum.update(repeating: 0, count: count)
                for entry in Int(input.columnStarts[column])..<Int(input.columnStarts[column &+ 1]) {
                    Self.addScaledRow(input.columnValues[entry], packed + Int(input.columnRows[entry]) &* 64, into: sum, count: count)
                }
                let at = column &* stride &+ first
                if l2Scale != 0 {
                    for j in 0..<count {
                        let weight = parameters[at &+ j]
                        squares += Double(weight * weight)
                        sum[j] = multiplyAdd(l2Scale, weight, sum[j])
                    }
                }
                apply(sum, count, at)
            }
        }
        return squares
    }

    /// Weight rows ahead whose slices of weights and optimiser state are asked for.
    private static let stateLookahead = 4

    /// Asks for the four cache lines of a 64-float slice.
    @inline(__always)
    private static func prefetchSlice(_ slice: UnsafeMutablePointer<Float>) {
        mlp_prefetch(slice)
        mlp_prefetch(slice + 16)
        mlp_prefetch(slice + 32)
        mlp_prefetch(slice + 48)
    }

    /// `g ← g + l2Scale · θ` on sixteen weights; returns their `Σ θ²`.
    @inline(__always)
    private static func addPenalty(_ g: inout Lanes, _ theta: UnsafeMutablePointer<Float>, _ l2Scale: Float) -> Double {
        let weights = UnsafeRawPointer(theta).loadUnaligned(as: Lanes.self)
        g = multiplyAdd(Lanes(repeating: l2Scale), weights, g)
        return Double((weights * weights).sum())
    }

    /// Copies `columns` (at most 64) of the blocks' rows, one block after another, into rows 64
    /// floats apart.
    @inline(__always)
    private static func pack(_ deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        var row = 0
        for block in deltas {
            for index in 0..<block.rows {
                (packed + (row &+ index) &* 64).update(from: block.delta + (index &* block.stride &+ columns.lowerBound),
                                                       count: columns.count)
            }
            row &+= block.rows
        }
    }
}
