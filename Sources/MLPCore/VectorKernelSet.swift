/// The element-wise function a kernel applies after adding a bias (a hidden layer's activation).
public enum ElementwiseFunction: Sendable, Hashable {
    case sigmoid
    case tanh
    case relu
    /// `x < 0 ? slope · x : x`.
    case leakyReLU(slope: Float)
    case identity
}

/// The buffers that list a block's non-zero inputs by column (compressed sparse columns) and by
/// pair of rows, which ``VectorKernelSet/collectNonZeros(_:rows:rowStride:into:)`` fills and the
/// sparse products read (the forward product by pair of rows, the weight gradient by column). The
/// caller allocates them once, for its largest block.
///
/// Column `k`'s entries are `columnStarts[k]..<columnStarts[k + 1]` of `columnRows` (row indices,
/// increasing) and `columnValues`.
public struct SparseLists {
    /// `columns + 1` offsets.
    public let columnStarts: UnsafeMutablePointer<Int32>
    /// Room for ``entryCapacity`` row indices.
    public let columnRows: UnsafeMutablePointer<Int32>
    /// Room for ``entryCapacity`` values.
    public let columnValues: UnsafeMutablePointer<Float>
    /// Inputs per row (the first layer's fan-in).
    public let columns: Int
    /// The most entries the lists hold.
    public let entryCapacity: Int
    /// Scratch for the weight gradient: one packed `rows × 64` slice of the delta.
    public let slice: UnsafeMutablePointer<Float>
    /// The same entries listed by pair of rows, for the forward product, which loads each weight
    /// row once for both rows of a pair: pair `p` (rows `2p` and `2p + 1`; an odd block's last row
    /// pairs with a row of zeros) lists the inputs non-zero in either row, increasing, as
    /// `pairStarts[p]..<pairStarts[p + 1]` (``pairCount(rows:)`` `+ 1` offsets) of `pairColumns`
    /// and, two per entry, `pairValues`: row `2p`'s value then row `2p + 1`'s, zero where that
    /// row's input is zero. A pair lists at most its rows' non-zeros, so ``entryCapacity``
    /// entries (and twice as many values) hold any block that fits.
    public let pairStarts: UnsafeMutablePointer<Int32>
    public let pairColumns: UnsafeMutablePointer<Int32>
    public let pairValues: UnsafeMutablePointer<Float>

    /// The pairs of a block of `rows` rows.
    public static func pairCount(rows: Int) -> Int { (rows &+ 1) / 2 }

    public init(columnStarts: UnsafeMutablePointer<Int32>, columnRows: UnsafeMutablePointer<Int32>,
                columnValues: UnsafeMutablePointer<Float>, pairStarts: UnsafeMutablePointer<Int32>,
                pairColumns: UnsafeMutablePointer<Int32>, pairValues: UnsafeMutablePointer<Float>, columns: Int,
                entryCapacity: Int, slice: UnsafeMutablePointer<Float>) {
        self.pairStarts = pairStarts
        self.pairColumns = pairColumns
        self.pairValues = pairValues
        self.columnStarts = columnStarts
        self.columnRows = columnRows
        self.columnValues = columnValues
        self.columns = columns
        self.entryCapacity = entryCapacity
        self.slice = slice
    }
}

/// Consecutive rows of a first-layer delta for the fused first-layer step
/// (``VectorKernelSet/sparseGradientStep(_:deltas:columns:scratch:parameters:velocity:stride:step:)``),
/// whose rows may lie in several buffers (one per worker).
public struct DeltaBlock {
    public let rows: Int
    /// `rows × width`, rows `stride` apart.
    public let delta: UnsafePointer<Float>
    public let stride: Int

    public init(rows: Int, delta: UnsafePointer<Float>, stride: Int) {
        self.rows = rows
        self.delta = delta
        self.stride = stride
    }
}

/// SGD with momentum as the fused first-layer step applies it: `g ← g + l2Scale · θ` (when
/// `l2Scale` is not 0), `v ← μ v − η g`, then `θ ← θ + v`, or `θ ← θ + μ v − η g` with Nesterov.
public struct MomentumStep: Sendable, Hashable {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var l2Scale: Float

    public init(learningRate: Float, momentum: Float, nesterov: Bool, l2Scale: Float) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.l2Scale = l2Scale
    }
}

/// Adam (or AdamW) as the fused first-layer step applies it, with the scalars of
/// ``VectorKernelSet/adam(parameters:gradient:firstMoment:secondMoment:count:rate:beta1:beta2:epsilon:decay:gradientScale:)``:
/// `g ← g + l2Scale · θ` (when `l2Scale` is not 0), then that kernel's step.
public struct AdamStep: Sendable, Hashable {
    public var rate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var decay: Float
    public var l2Scale: Float

    public init(rate: Float, beta1: Float, beta2: Float, epsilon: Float, decay: Float, l2Scale: Float) {
        self.rate = rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decay = decay
        self.l2Scale = l2Scale
    }
}

/// What listing a block's non-zero inputs found.
public struct SparseLoad: Sendable, Hashable {
    /// The non-zero inputs of the block (a NaN counts as non-zero).
    public var nonZeroCount: Int
    /// Whether the lists were filled: false when the block has more non-zeros than the lists hold.
    public var isFilled: Bool

    public init(nonZeroCount: Int, isFilled: Bool) {
        self.nonZeroCount = nonZeroCount
        self.isFilled = isFilled
    }
}

/// Our own vectorised kernels: the loops that run between BLAS calls, compiled once per
/// ``KernelPath`` (the same source for each, built for that path's instruction set) and chosen at
/// start-up (see `Kernels` in LinearAlgebra).
///
/// The element-wise and update kernels compute the same operations in the same order on every
/// path, so they give the same bits; the sparse products and the blocked product round
/// differently per path (fused or separate multiply-adds, and on AVX-512 the weight gradient's
/// two interleaved sums). A run is deterministic for a given machine, path and thread count.
public protocol VectorKernelSet: Sendable {
    /// The instruction set this implementation was compiled for.
    var path: KernelPath { get }

    /// Lists the non-zero entries of the `rows × columns` block `input` (`columns` being
    /// `lists.columns`; rows `rowStride` floats apart) by column, rows in increasing order, and by
    /// pair of rows (leaving the lists unfilled when they would overflow).
    func collectNonZeros(_ input: UnsafePointer<Float>, rows: Int, rowStride: Int, into lists: SparseLists) -> SparseLoad

    /// The same from bytes: the first `lists.columns` bytes of rows `indices` of `bytes` (row `i`
    /// at `bytes + i · rowStride`), where a byte `b` is the input `Float(b) · scale` and a zero
    /// byte a zero input.
    func collectNonZeros(bytes: UnsafePointer<UInt8>, indices: UnsafeBufferPointer<Int>, rowStride: Int, scale: Float,
                         into lists: SparseLists) -> SparseLoad

    /// `output = X · weights` for the rows `rows` of the sparse block `X` (listed in `input`) and
    /// the row-major `columns × width` matrix `weights` (rows `weightStride` apart): row
    /// `rows.lowerBound + i` of the product goes to row `i` of `output`, rows `outputStride`
    /// apart, and only its columns `0..<width` are written.
    func sparseMultiply(_ input: SparseLists, rows: Range<Int>, weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                        into output: UnsafeMutablePointer<Float>, outputStride: Int)
    /// `gradient = Xᵀ · delta` for the sparse block `X` (`rows × columns`) and `delta` (`rows × width`, rows
    /// `deltaStride` apart): `columns × width`, rows `gradientStride` apart.
    func sparseMultiplyTransposed(_ input: SparseLists, rows: Int, delta: UnsafePointer<Float>, width: Int, deltaStride: Int,
                                  into gradient: UnsafeMutablePointer<Float>, gradientStride: Int)

    /// The sparse first layer's weight gradient and its SGD step in one pass, for the output
    /// columns `columns` of the `inputs × stride` weights: for each input `k`, the gradient
    /// slice `g[k, columns] = (Xᵀ · δ)[k, columns]` is summed in registers (in 64-column slices
    /// from `columns.lowerBound`, then a tail; where those slices start as
    /// ``sparseMultiplyTransposed(_:rows:delta:width:deltaStride:into:gradientStride:)``'s do, at
    /// multiples of 64, it sums exactly as that product does),
    /// and goes straight into `step` on `parameters` and `velocity` (same layout), without being
    /// stored. `X` is listed in `input`; `δ`'s rows are the blocks of `deltas`, one after another.
    /// `scratch` holds `(rows + 1) × 64` floats. Returns `Σ θ²` over the weights before the step
    /// when `step.l2Scale` is not 0 (the L2 term of the loss), else 0.
    func sparseGradientStep(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                            scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>,
                            velocity: UnsafeMutablePointer<Float>, stride: Int, step: MomentumStep) -> Double
    /// The same with an Adam or AdamW step on `parameters` and the moments `firstMoment` and
    /// `secondMoment` (same layout).
    func sparseGradientAdamStep(_ input: SparseLists, deltas: UnsafeBufferPointer<DeltaBlock>, columns: Range<Int>,
                                scratch: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>,
                                firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>,
                                stride: Int, step: AdamStep) -> Double

    /// `values[i, j] ← f(values[i, j] + bias[j])` for a `rows × columns` row-major block.
    func addBiasAndApply(_ function: ElementwiseFunction, to values: UnsafeMutablePointer<Float>,
                         rows: Int, columns: Int, bias: UnsafePointer<Float>)

    /// `destination[k] ← destination[k] + source[k]` for `k < count`.
    func add(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int)

    /// `delta[k] ← delta[k] · f′(a[k])`, the derivative computed from the function's output `a`.
    func multiplyByDerivative(of function: ElementwiseFunction, delta: UnsafeMutablePointer<Float>,
                              output: UnsafePointer<Float>, count: Int)

    /// Softmax of one row in place after adding `bias`; returns `log Σⱼ e^(zⱼ)`, computed as
    /// `m + log Σⱼ e^(zⱼ − m)` with `m = maxⱼ zⱼ`.
    func addBiasAndSoftmax(_ row: UnsafeMutablePointer<Float>, columns: Int, bias: UnsafePointer<Float>) -> Float

    /// SGD with momentum: `v ← μ v − η g`; `θ ← θ + v`, or `θ ← θ + μ v − η g` with Nesterov,
    /// with `g` scaled by `gradientScale`.
    func sgd(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, velocity: UnsafeMutablePointer<Float>,
             count: Int, learningRate: Float, momentum: Float, nesterov: Bool, gradientScale: Float)

    /// One Adam/AdamW step with precomputed scalars: `m ← β₁ m + (1 − β₁) g`,
    /// `v ← β₂ v + (1 − β₂) g²`, `θ ← θ · decay − rate · m / (√v + ε)`, with `g` scaled by
    /// `gradientScale`.
    func adam(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
              firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
              rate: Float, beta1: Float, beta2: Float, epsilon: Float, decay: Float, gradientScale: Float)

    /// Row-major `C(m×n) ← alpha·A(m×k)·B(k×n) + beta·C`, blocked for the caches, the inner loop
    /// along contiguous rows (the pure-Swift "tuned" product).
    func blockedMultiply(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>?, b: UnsafePointer<Float>?,
                         beta: Float, c: UnsafeMutablePointer<Float>)

    /// Runs `iterations` rounds of ten independent fused multiply-add chains at this path's vector
    /// width (the fp32 peak probe); returns a value that depends on every chain.
    func fusedMultiplyAddLoop(iterations: Int) -> Float

    /// Floating-point operations of one round of ``fusedMultiplyAddLoop(iterations:)``.
    var flopsPerFusedMultiplyAddRound: Int { get }

    /// e^x as the kernels compute it (relative error below 3·10⁻⁷ on [−87, 88]).
    func exp(_ x: Float) -> Float
}
