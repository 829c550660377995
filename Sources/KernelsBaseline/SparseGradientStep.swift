import MLPCore

/// The sparse first layer's weight gradient fused with its SGD step (see
/// ``VectorKernelSet/sparseGradientStep(_:deltas:columns:scratch:parameters:velocity:stride:step:)``):
/// each gradient slice is summed in registers, as ``sparseMultiplyTransposed`` sums it, and
/// updates its weights and velocities at once, so the gradient never goes to memory.
extension KernelTable {
    func sparseGradientStep(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                            scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>,
                            velocity: UnsafeMutablePointer<Float>, stride: Int, step: MomentumStep) -> Double {
        var squares: Double = 0
        var first = columns.lowerBound
        while first &+ 64 <= columns.upperBound {
            Self.pack(deltas, columns: first..<(first &+ 64), into: scratch)
            for column in 0..<input.columns {
                var (g0, g1, g2, g3) = Self.sliceSums(input, column: column, slice: scratch)
                let at = column &* stride &+ first
                squares += Self.momentumStep(&g0, parameters + at, velocity + at, step)
                squares += Self.momentumStep(&g1, parameters + (at &+ 16), velocity + (at &+ 16), step)
                squares += Self.momentumStep(&g2, parameters + (at &+ 32), velocity + (at &+ 32), step)
                squares += Self.momentumStep(&g3, parameters + (at &+ 48), velocity + (at &+ 48), step)
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
                for j in 0..<count {
                    squares += Self.momentumStep(sum[j], parameters + (at &+ j), velocity + (at &+ j), step)
                }
            }
        }
        return squares
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

    /// The step on sixteen weights from their gradient `g`; returns `Σ θ²` before it (with L2).
    @inline(__always)
    private static func momentumStep(_ g: inout Lanes, _ theta: UnsafeMutablePointer<Float>,
                                     _ velocity: UnsafeMutablePointer<Float>, _ step: MomentumStep) -> Double {
        let weights = UnsafeRawPointer(theta).loadUnaligned(as: Lanes.self)
        var squares: Double = 0
        if step.l2Scale != 0 {
            squares = Double((weights * weights).sum())
            g = multiplyAdd(Lanes(repeating: step.l2Scale), weights, g)
        }
        let mu = Lanes(repeating: step.momentum), eta = Lanes(repeating: step.learningRate)
        let v = mu * UnsafeRawPointer(velocity).loadUnaligned(as: Lanes.self) - eta * g
        UnsafeMutableRawPointer(velocity).storeBytes(of: v, as: Lanes.self)
        let moved = step.nesterov ? weights + (mu * v - eta * g) : weights + v
        UnsafeMutableRawPointer(theta).storeBytes(of: moved, as: Lanes.self)
        return squares
    }

    /// The same for one weight.
    @inline(__always)
    private static func momentumStep(_ gradient: Float, _ theta: UnsafeMutablePointer<Float>,
                                     _ velocity: UnsafeMutablePointer<Float>, _ step: MomentumStep) -> Double {
        let weight = theta.pointee
        var g = gradient, squares: Double = 0
        if step.l2Scale != 0 {
            squares = Double(weight * weight)
            g = multiplyAdd(step.l2Scale, weight, g)
        }
        let v = step.momentum * velocity.pointee - step.learningRate * g
        velocity.pointee = v
        theta.pointee = step.nesterov ? weight + (step.momentum * v - step.learningRate * g) : weight + v
        return squares
    }
}
