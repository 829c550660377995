import LinearAlgebra

/// One `sgemm` of a dense network's training step, `C ← op(A) · op(B)` with `op(A)` m×k and
/// `op(B)` k×n, all row-major, as ``GemmReplay`` replays it.
///
/// For layer `l` with weights `W` (`fanIn × fanOut`), input activations `A` (`rows × fanIn`) and
/// output deltas `δ` (`rows × fanOut`):
///
/// | role | product | m × n × k |
/// | --- | --- | --- |
/// | ``Role/forward`` | `A · W` | rows × fanOut × fanIn |
/// | ``Role/weightGradient`` | `Aᵀ · δ` | fanIn × fanOut × rows |
/// | ``Role/inputGradient`` | `δ · Wᵀ` | rows × fanIn × fanOut |
public struct GemmCall: Sendable, Hashable {
    /// What the product computes.
    public enum Role: String, Sendable, Hashable {
        /// The layer's pre-activations, `A · W`.
        case forward
        /// The weight gradient, `Aᵀ · δ`.
        case weightGradient = "weight-gradient"
        /// The delta passed to the layer below, `δ · Wᵀ` (not for the first layer).
        case inputGradient = "input-gradient"
    }

    public var role: Role
    /// The layer, 1-based: layer `l` maps `layerSizes[l − 1]` inputs to `layerSizes[l]` outputs.
    public var layer: Int
    public var transposeA: Transpose
    public var transposeB: Transpose
    public var m: Int
    public var n: Int
    public var k: Int

    /// The call of `role` for a layer of `fanIn × fanOut` weights and a batch of `rows` samples.
    public init(_ role: Role, layer: Int, fanIn: Int, fanOut: Int, rows: Int) {
        self.role = role
        self.layer = layer
        switch role {
        case .forward:
            (transposeA, transposeB, m, n, k) = (.none, .none, rows, fanOut, fanIn)
        case .weightGradient:
            (transposeA, transposeB, m, n, k) = (.transposed, .none, fanIn, fanOut, rows)
        case .inputGradient:
            (transposeA, transposeB, m, n, k) = (.none, .transposed, rows, fanIn, fanOut)
        }
    }

    /// Floating-point operations: 2·m·n·k.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Leading dimensions of the stored operands (row-major, no padding): A is `m × k` or, when
    /// transposed, `k × m`; B is `k × n` or `n × k`; C is `m × n`.
    public var leadingDimensions: (a: Int, b: Int, c: Int) {
        (transposeA == .none ? k : m, transposeB == .none ? n : k, n)
    }

    /// The calls of one training step on a batch of `rows` samples, in the order a trainer makes
    /// them: the forward products of layers 1…L, then from layer L down to 1 the weight gradient
    /// and, above layer 1, the input gradient. That is `3L − 1` calls for `L` layers.
    ///
    /// - Parameter layerSizes: the widths of the input, the hidden layers and the output.
    public static func trainingStep(layerSizes: [Int], rows: Int) -> [GemmCall] {
        precondition(layerSizes.count >= 2, "a network needs an input and an output size, got \(layerSizes)")
        precondition(rows >= 1, "a batch needs at least one row, got \(rows)")
        let layerCount = layerSizes.count - 1
        var calls: [GemmCall] = []
        calls.reserveCapacity(3 * layerCount - 1)
        for layer in 1...layerCount {
            calls.append(GemmCall(.forward, layer: layer, fanIn: layerSizes[layer - 1], fanOut: layerSizes[layer], rows: rows))
        }
        for layer in stride(from: layerCount, through: 1, by: -1) {
            let (fanIn, fanOut) = (layerSizes[layer - 1], layerSizes[layer])
            calls.append(GemmCall(.weightGradient, layer: layer, fanIn: fanIn, fanOut: fanOut, rows: rows))
            if layer > 1 {
                calls.append(GemmCall(.inputGradient, layer: layer, fanIn: fanIn, fanOut: fanOut, rows: rows))
            }
        }
        return calls
    }

    /// The rows of each batch of an epoch: `sampleCount / batchSize` batches of `batchSize`, then
    /// the remainder, if any (1000 samples in batches of 128: seven of 128 and one of 104).
    public static func batchRows(sampleCount: Int, batchSize: Int) -> [Int] {
        precondition(sampleCount >= 1 && batchSize >= 1, "need samples and a batch size, got \(sampleCount) and \(batchSize)")
        let full = Array(repeating: batchSize, count: sampleCount / batchSize)
        return sampleCount % batchSize == 0 ? full : full + [sampleCount % batchSize]
    }
}

extension GemmCall {
    /// A sub-product of a call: the extents it computes and where its operands start, in elements
    /// from the start of the whole call's A, B and C. The leading dimensions stay the call's.
    public struct Piece: Sendable, Hashable {
        public var m: Int
        public var n: Int
        public var k: Int
        public var aOffset: Int
        public var bOffset: Int
        public var cOffset: Int

        /// Whether the piece computes anything (a block of a batch smaller than the thread count
        /// can be empty).
        public var isEmpty: Bool { m == 0 || n == 0 }
    }

    /// The whole call as one piece.
    public var whole: Piece { Piece(m: m, n: n, k: k, aOffset: 0, bOffset: 0, cOffset: 0) }

    /// The contiguous share `[count·part/parts, count·(part+1)/parts)` of `count` items.
    public static func share(of count: Int, part: Int, parts: Int) -> Range<Int> {
        precondition(parts >= 1 && (0..<parts).contains(part), "part \(part) of \(parts)")
        return (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// The piece thread `part` of `parts` computes when each thread takes a contiguous block of the
    /// batch's rows (data parallelism).
    ///
    /// The forward and input-gradient products get the block's rows of A and C (m shrinks). The
    /// weight gradient sums over the batch, so its block shrinks k instead and writes a whole
    /// `fanIn × fanOut` partial gradient: each thread needs its own C, and the full gradient is
    /// the sum of the parts.
    public func rowPiece(_ part: Int, of parts: Int) -> Piece {
        let (lda, ldb, ldc) = leadingDimensions
        switch role {
        case .forward, .inputGradient:
            let rows = GemmCall.share(of: m, part: part, parts: parts)
            return Piece(m: rows.count, n: n, k: k, aOffset: rows.lowerBound * lda, bOffset: 0, cOffset: rows.lowerBound * ldc)
        case .weightGradient:
            let rows = GemmCall.share(of: k, part: part, parts: parts)
            return Piece(m: m, n: n, k: rows.count, aOffset: rows.lowerBound * lda, bOffset: rows.lowerBound * ldb, cOffset: 0)
        }
    }

    /// The piece thread `part` of `parts` computes when each thread takes a contiguous block of
    /// the output's columns: columns `j` of C and of op(B), which is column `j` of B, or row `j`
    /// when B is transposed.
    public func columnPiece(_ part: Int, of parts: Int) -> Piece {
        let columns = GemmCall.share(of: n, part: part, parts: parts)
        let ldb = leadingDimensions.b
        let bOffset = transposeB == .none ? columns.lowerBound : columns.lowerBound * ldb
        return Piece(m: m, n: columns.count, k: k, aOffset: 0, bOffset: bOffset, cOffset: columns.lowerBound)
    }

    /// `C ← op(A) · op(B)` over `piece` with BLAS, on the whole call's operands.
    @inline(__always)
    public func multiply(
        _ piece: Piece, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    ) {
        guard !piece.isEmpty else { return }
        let (lda, ldb, ldc) = leadingDimensions
        BLAS.gemm(
            transposeA, transposeB, m: piece.m, n: piece.n, k: piece.k, alpha: 1,
            a: a + piece.aOffset, lda: lda, b: b + piece.bOffset, ldb: ldb,
            beta: 0, c: c + piece.cOffset, ldc: ldc)
    }
}
