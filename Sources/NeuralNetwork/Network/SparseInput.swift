import LinearAlgebra
import MLPCore

/// The non-zero entries of a block of input rows, listed by pair of rows and by column (compressed
/// sparse columns), for the first layer's sparse products (see ``InputKernel``).
///
/// The buffers are allocated once for `capacity × columns` entries (the dense worst case), so
/// loading a batch never allocates. ``multiply(weights:width:weightStride:into:outputStride:)``
/// (the forward pass) runs by pair of rows, ``multiplyTransposed(delta:width:deltaStride:into:gradientStride:)``
/// (the weight gradient) input column by input column.
final class SparseInput {
    /// The most rows one block may hold.
    let capacity: Int
    /// Inputs per row (the first layer's fan-in).
    let columns: Int
    /// The pair and column lists and the packed slice, allocated once: room for ``capacity`` rows
    /// and `maximumDensity` of their inputs. The slice is a contiguous `capacity × 64` block, one
    /// 64-column slice of the delta, packed so that its rows do not alias in the L1 cache, as
    /// rows 1 KiB apart would.
    let buffers: SparseLists
    /// The bytes these lists took (see ``bytes(capacity:columns:maximumDensity:packsSlices:)``).
    let allocatedBytes: Int
    /// The rows of the current block.
    private(set) var rows = 0

    /// Whether the last ``load(_:rows:)`` filled the lists (it skips them when the block
    /// has more non-zeros than they hold).
    private(set) var isFilled = false

    /// Whether a block of `capacity × columns` inputs fits the 32-bit offsets of the lists.
    static func fits(capacity: Int, columns: Int) -> Bool {
        let (cells, overflow) = capacity.multipliedReportingOverflow(by: columns)
        return capacity > 0 && columns > 0 && !overflow && cells <= Int(Int32.max)
    }

    /// The entries lists for `capacity` rows of `columns` inputs have room for: `maximumDensity`
    /// of them, at least one (a block that ``fits(capacity:columns:)``).
    static func entryCapacity(capacity: Int, columns: Int, maximumDensity: Double) -> Int {
        let cells = capacity &* columns
        return Swift.max(1, Swift.min(cells, Int((maximumDensity * Double(cells)).rounded(.up))))
    }

    /// The floats of the packed slice.
    static func sliceCount(capacity: Int, packsSlices: Bool) -> Int { packsSlices ? capacity &* 64 : 64 }

    /// The bytes ``init(capacity:columns:maximumDensity:packsSlices:)`` allocates (for a block
    /// that ``fits(capacity:columns:)``): a 4-byte row index and value per entry in the column
    /// lists and a 4-byte column index and two values per entry in the pair lists, the starts of
    /// every column and pair, and the packed slice.
    static func bytes(capacity: Int, columns: Int, maximumDensity: Double, packsSlices: Bool) -> Int {
        entryCapacity(capacity: capacity, columns: columns, maximumDensity: maximumDensity) &* 20
            &+ (columns &+ SparseLists.pairCount(rows: capacity) &+ 2) &* 4
            &+ sliceCount(capacity: capacity, packsSlices: packsSlices) &* 4
    }

    /// Lists for blocks of up to `capacity` rows, with room for `maximumDensity` of the block's
    /// inputs (a block above it is left to the dense kernel, so its lists are never filled).
    ///
    /// Without `packsSlices` the lists are only read by the fused first-layer step, which packs
    /// its own slices, and the slice buffer is left minimal.
    init(capacity: Int, columns: Int, maximumDensity: Double = 1, packsSlices: Bool = true) {
        precondition(SparseInput.fits(capacity: capacity, columns: columns),
                     "a sparse block of \(capacity)×\(columns) does not fit 32-bit offsets")
        precondition(maximumDensity >= 0 && maximumDensity <= 1, "maximum density \(maximumDensity) outside [0, 1]")
        self.capacity = capacity
        self.columns = columns
        let entries = SparseInput.entryCapacity(capacity: capacity, columns: columns, maximumDensity: maximumDensity)
        let sliceCount = SparseInput.sliceCount(capacity: capacity, packsSlices: packsSlices)
        allocatedBytes = SparseInput.bytes(capacity: capacity, columns: columns, maximumDensity: maximumDensity,
                                           packsSlices: packsSlices)
        func zeroed<Element: Numeric>(_ count: Int) -> UnsafeMutablePointer<Element> {
            let buffer = UnsafeMutablePointer<Element>.allocate(capacity: count)
            buffer.initialize(repeating: 0, count: count)
            return buffer
        }
        buffers = SparseLists(columnStarts: zeroed(columns &+ 1), columnRows: zeroed(entries), columnValues: zeroed(entries),
                                pairStarts: zeroed(SparseLists.pairCount(rows: capacity) &+ 1), pairColumns: zeroed(entries),
                                pairValues: zeroed(entries &* 2),
                                columns: columns, entryCapacity: entries, slice: zeroed(sliceCount))
    }

    deinit {
        buffers.columnStarts.deallocate()
        buffers.columnRows.deallocate()
        buffers.columnValues.deallocate()
        buffers.slice.deallocate()
        buffers.pairStarts.deallocate()
        buffers.pairColumns.deallocate()
        buffers.pairValues.deallocate()
    }

    /// The number of non-zero entries in the current block (when ``isFilled``).
    var nonZeroCount: Int { Int(buffers.columnStarts[columns]) }

    /// Collects the non-zero entries of the `rows × columns` row-major block `input` into the
    /// pair and column lists (the active kernel path's
    /// ``VectorKernelSet/collectNonZeros(_:rows:rowStride:into:)``); returns their share of the block (the
    /// density, in [0, 1]). With more non-zeros than the lists hold it counts them but leaves
    /// the lists unfilled (``isFilled`` is false). A NaN counts as non-zero, so it reaches the product.
    ///
    /// With `rowStride` (at least ``columns``) the block is the first ``columns`` inputs of rows
    /// `rowStride` apart: pass `input + first` to list inputs `first..<first + columns` of wider
    /// rows.
    @discardableResult
    func load(_ input: UnsafePointer<Float>, rows: Int, rowStride: Int? = nil) -> Double {
        startBlock(rows: rows)
        return finish(Kernels.active.collectNonZeros(input, rows: rows, rowStride: stride(rowStride), into: buffers))
    }

    /// ``load(_:rows:)`` straight from bytes: the samples `indices` of `bytes`, each `columns`
    /// bytes long, where a zero byte is a zero input and a byte `b` the input `Float(b) · scale`.
    /// Reads a quarter of the memory of the `Float` rows and needs no `Float` copy of the batch.
    /// `rowStride` as in ``load(_:rows:rowStride:)``.
    @discardableResult
    func load(bytes: UnsafePointer<UInt8>, indices: UnsafeBufferPointer<Int>, rowStride: Int? = nil, scale: Float) -> Double {
        startBlock(rows: indices.count)
        return finish(Kernels.active.collectNonZeros(bytes: bytes, indices: indices, rowStride: stride(rowStride), scale: scale,
                                                     into: buffers))
    }

    private func stride(_ rowStride: Int?) -> Int {
        guard let rowStride else { return columns }
        precondition(rowStride >= columns, "rows \(rowStride) apart cannot hold \(columns) inputs each")
        return rowStride
    }

    private func startBlock(rows: Int) {
        precondition(rows > 0 && rows <= capacity, "\(rows) rows do not fit a sparse block of \(capacity)")
        self.rows = rows
    }

    private func finish(_ load: SparseLoad) -> Double {
        isFilled = load.isFilled
        return Double(load.nonZeroCount) / Double(rows &* columns)
    }

    /// `output = X · weights` for the current block `X` (`rows × columns`) and the row-major
    /// `columns × width` matrix `weights`, whose rows are `weightStride` apart; `output` rows are
    /// `outputStride` apart. Only the columns `0..<width` of `output` are written. Runs the active
    /// kernel path's ``VectorKernelSet/sparseMultiply(_:rows:weights:width:weightStride:into:outputStride:)``:
    /// by pair of rows, each output row's slice summed in registers over the pair's inputs.
    func multiply(weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                  into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        Kernels.active.sparseMultiply(buffers, rows: 0..<rows, weights: weights, width: width, weightStride: weightStride,
                                      into: output, outputStride: outputStride)
    }

    /// `gradient = Xᵀ · delta` for the current block `X` (`rows × columns`) and `delta`
    /// (`rows × width`, rows `deltaStride` apart): a `columns × width` matrix whose rows are
    /// `gradientStride` apart. Rows of inputs that are zero in every sample come out zero. Runs the
    /// active kernel path's ``VectorKernelSet/sparseMultiplyTransposed(_:rows:delta:width:deltaStride:into:gradientStride:)``.
    func multiplyTransposed(delta: UnsafePointer<Float>, width: Int, deltaStride: Int,
                            into gradient: UnsafeMutablePointer<Float>, gradientStride: Int) {
        Kernels.active.sparseMultiplyTransposed(buffers, rows: rows, delta: delta, width: width, deltaStride: deltaStride,
                                                into: gradient, gradientStride: gradientStride)
    }
}
