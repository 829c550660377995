import CPrefetch
import MLPCore

/// Lists a block's non-zero inputs by column (compressed sparse columns) and by pair of rows (see
/// ``SparseLists``) for the sparse products.
///
/// Two passes over the block: the first counts each column's non-zeros (a vectorised
/// compare-and-add), the second, a pair of rows at a time, places each non-zero in its column's
/// list, rows in order, and appends the inputs non-zero in either row to the pair's list. The
/// second tests eight inputs at a time, skips all-zero groups (image borders) and visits only the
/// set bits of the others; from bytes it gathers the bits of 64 inputs first, so that its three
/// loops over them (row A's, row B's, either's) end, each a mispredicted branch, once per 64
/// inputs instead of once per non-zero group of eight. A NaN counts as non-zero (`NaN != 0`), so it reaches the product.
extension KernelTable {
    /// Rows ahead whose bytes the first pass asks the caches for: the rows of a shuffled batch lie
    /// anywhere in the dataset, and each would otherwise start with a miss to memory.
    private static let prefetchDistance = 4

    func collectNonZeros(_ input: UnsafePointer<Float>, rows: Int, rowStride: Int, into lists: SparseLists) -> SparseLoad {
        let columns = lists.columns
        let next = Self.startBlock(lists)
        for row in 0..<rows {
            let line = input + row &* rowStride
            for column in 0..<columns { next[column] &+= line[column] != 0 ? 1 : 0 }
        }
        let load = Self.startSlots(lists)
        guard load.isFilled else { return load }
        let groups = columns / 8
        let laneBits = SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128)
        func bits(_ line: UnsafePointer<Float>, _ first: Int) -> UInt32 {
            let values = UnsafeRawPointer(line + first).loadUnaligned(as: SIMD8<Float>.self)
            return laneBits.replacing(with: 0, where: values .== 0).wrappedSum()
        }
        var pairEntry = 0
        lists.pairStarts[0] = 0
        var rowA = 0
        while rowA < rows {
            // A last odd row pairs with zeros: row B is row A read with every value taken as 0.
            let hasB = rowA &+ 1 < rows
            let lineA = input + rowA &* rowStride, lineB = hasB ? lineA + rowStride : lineA
            let indexA = Int32(truncatingIfNeeded: rowA)
            let valueA = { (column: Int) in lineA[column] }
            let valueB = { (column: Int) -> Float in hasB ? lineB[column] : 0 }
            for group in 0..<groups {
                let first = group &* 8
                Self.appendGroup(bits(lineA, first), hasB ? bits(lineB, first) : 0, shift: 0, first: first, rowA: indexA,
                                 valueA: valueA, valueB: valueB, next: next, lists: lists, pairEntry: &pairEntry)
            }
            Self.appendTail((groups &* 8)..<columns, rowA: indexA, listedA: { lineA[$0] != 0 },
                            listedB: { hasB && lineB[$0] != 0 }, valueA: valueA, valueB: valueB, next: next, lists: lists,
                            pairEntry: &pairEntry)
            lists.pairStarts[rowA / 2 &+ 1] = Int32(truncatingIfNeeded: pairEntry)
            rowA &+= 2
        }
        return load
    }

    func collectNonZeros(bytes: UnsafePointer<UInt8>, indices: UnsafeBufferPointer<Int>, rowStride: Int, scale: Float,
                         into lists: SparseLists) -> SparseLoad {
        let columns = lists.columns, rows = indices.count
        let next = Self.startBlock(lists)
        for row in 0..<Swift.min(Self.prefetchDistance, rows) { Self.prefetchRow(bytes + indices[row] &* rowStride, columns: columns) }
        for row in 0..<rows {
            if row &+ Self.prefetchDistance < rows {
                Self.prefetchRow(bytes + indices[row &+ Self.prefetchDistance] &* rowStride, columns: columns)
            }
            let line = bytes + indices[row] &* rowStride
            for column in 0..<columns { next[column] &+= line[column] != 0 ? 1 : 0 }
        }
        let load = Self.startSlots(lists)
        guard load.isFilled else { return load }
        let groups = columns / 8, wideGroups = columns / 64
        var pairEntry = 0
        lists.pairStarts[0] = 0
        var rowA = 0
        while rowA < rows {
            // A last odd row pairs with zeros: row B is row A read with a scale of 0.
            let hasB = rowA &+ 1 < rows
            let lineA = bytes + indices[rowA] &* rowStride
            let lineB = hasB ? bytes + indices[rowA &+ 1] &* rowStride : lineA
            let scaleB: Float = hasB ? scale : 0
            let indexA = Int32(truncatingIfNeeded: rowA)
            let valueA = { (column: Int) in Float(lineA[column]) * scale }
            let valueB = { (column: Int) in Float(lineB[column]) * scaleB }
            // 64 inputs at a time: one bit per non-zero byte, gathered from eight words, so that
            // the loop over the set bits ends (and mispredicts) once per 64 inputs.
            for wide in 0..<wideGroups {
                let first = wide &* 64
                Self.appendGroup(Self.nonZeroBits64(lineA + first), hasB ? Self.nonZeroBits64(lineB + first) : 0, shift: 0,
                                 first: first, rowA: indexA, valueA: valueA, valueB: valueB, next: next, lists: lists,
                                 pairEntry: &pairEntry)
            }
            for group in (wideGroups &* 8)..<groups {
                let first = group &* 8
                // Bit 0 of each byte of a mask says whether that byte is non-zero.
                let maskA = Self.nonZeroBytes(lineA + first), maskB = hasB ? Self.nonZeroBytes(lineB + first) : 0
                if maskA | maskB == 0 { continue }
                Self.appendGroup(maskA, maskB, shift: 3, first: first, rowA: indexA, valueA: valueA, valueB: valueB, next: next,
                                 lists: lists, pairEntry: &pairEntry)
            }
            // Listed by their bytes, as the counting pass counts them.
            Self.appendTail((groups &* 8)..<columns, rowA: indexA, listedA: { lineA[$0] != 0 },
                            listedB: { hasB && lineB[$0] != 0 }, valueA: valueA, valueB: valueB, next: next, lists: lists,
                            pairEntry: &pairEntry)
            lists.pairStarts[rowA / 2 &+ 1] = Int32(truncatingIfNeeded: pairEntry)
            rowA &+= 2
        }
        return load
    }

    /// Bit `i` set where byte `i` of the 64 at `line` is non-zero.
    @inline(__always)
    private static func nonZeroBits64(_ line: UnsafePointer<UInt8>) -> UInt64 {
        var bits: UInt64 = 0
        for part in 0..<8 {
            let mask = nonZeroBytes(line + part &* 8)
            bits |= ((mask &* 0x0102_0408_1020_4080) &>> 56) &<< UInt64(part &* 8)
        }
        return bits
    }

    /// Bit 0 of byte `i` set where byte `i` of the eight at `line` is non-zero.
    @inline(__always)
    private static func nonZeroBytes(_ line: UnsafePointer<UInt8>) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(line).loadUnaligned(as: UInt64.self))
        var mask = word | (word &>> 4)
        mask |= mask &>> 2
        mask |= mask &>> 1
        return mask & 0x0101_0101_0101_0101
    }

    /// A group of a pair's inputs, the bit `b` of `bitsA` or `bitsB` standing for input
    /// `first + (b >> shift)` of row A or row B: each row's non-zeros to their columns' lists
    /// (row A's first, so that each column's rows stay in order), then the inputs set in either
    /// to the pair's list.
    @inline(__always)
    private static func appendGroup<Bits: FixedWidthInteger>(_ bitsA: Bits, _ bitsB: Bits, shift: Int, first: Int, rowA: Int32,
                                                             valueA: (Int) -> Float, valueB: (Int) -> Float,
                                                             next: UnsafeMutablePointer<Int32>, lists: SparseLists,
                                                             pairEntry: inout Int) {
        appendColumns(bitsA, shift: shift, first: first, row: rowA, value: valueA, next: next, lists: lists)
        appendColumns(bitsB, shift: shift, first: first, row: rowA &+ 1, value: valueB, next: next, lists: lists)
        appendPairs(bitsA | bitsB, shift: shift, first: first, valueA: valueA, valueB: valueB, lists: lists, pairEntry: &pairEntry)
    }

    /// Appends to their columns' lists, as row `row`, the inputs `first + (b >> shift)` for each
    /// set bit `b` of `bits`.
    @inline(__always)
    private static func appendColumns<Bits: FixedWidthInteger>(_ bits: Bits, shift: Int, first: Int, row: Int32,
                                                               value: (Int) -> Float, next: UnsafeMutablePointer<Int32>,
                                                               lists: SparseLists) {
        var bits = bits
        while bits != 0 {
            let column = first &+ (bits.trailingZeroBitCount &>> shift)
            appendColumn(value(column), row: row, column: column, next: next, lists: lists)
            bits &= bits &- 1
        }
    }

    /// Appends to the pair's list the inputs `first + (b >> shift)` for each set bit `b` of `bits`.
    @inline(__always)
    private static func appendPairs<Bits: FixedWidthInteger>(_ bits: Bits, shift: Int, first: Int, valueA: (Int) -> Float,
                                                             valueB: (Int) -> Float, lists: SparseLists, pairEntry: inout Int) {
        var bits = bits
        while bits != 0 {
            let column = first &+ (bits.trailingZeroBitCount &>> shift)
            appendPair(column: column, valueA(column), valueB(column), lists: lists, pairEntry: &pairEntry)
            bits &= bits &- 1
        }
    }

    /// The inputs `columns` one at a time (those past the last group of eight), listed where
    /// `listedA` or `listedB` says so (the counting pass's test; row B's is false for a phantom
    /// row).
    @inline(__always)
    private static func appendTail(_ columns: Range<Int>, rowA: Int32, listedA: (Int) -> Bool, listedB: (Int) -> Bool,
                                   valueA: (Int) -> Float, valueB: (Int) -> Float, next: UnsafeMutablePointer<Int32>,
                                   lists: SparseLists, pairEntry: inout Int) {
        for column in columns {
            let inA = listedA(column), inB = listedB(column)
            if inA { appendColumn(valueA(column), row: rowA, column: column, next: next, lists: lists) }
            if inB { appendColumn(valueB(column), row: rowA &+ 1, column: column, next: next, lists: lists) }
            if inA || inB { appendPair(column: column, valueA(column), valueB(column), lists: lists, pairEntry: &pairEntry) }
        }
    }

    /// Asks for every cache line of a row of `columns` bytes.
    @inline(__always)
    private static func prefetchRow(_ line: UnsafePointer<UInt8>, columns: Int) {
        var offset = 0
        while offset < columns {
            mlp_prefetch(line + offset)
            offset &+= 64
        }
        mlp_prefetch(line + (columns &- 1))
    }

    /// Zeroes the column counts and returns where they go, `columnStarts + 1` (column `k` counts
    /// in element `k`).
    @inline(__always)
    private static func startBlock(_ lists: SparseLists) -> UnsafeMutablePointer<Int32> {
        lists.columnStarts.update(repeating: 0, count: lists.columns &+ 1)
        return lists.columnStarts + 1
    }

    /// Turns the counts into exclusive prefix sums, column `k`'s first slot, advanced by
    /// ``appendColumn(_:row:column:next:lists:)`` as the column fills, so that afterwards element `k` is
    /// column `k`'s end, `columnStarts[k + 1]`.
    @inline(__always)
    private static func startSlots(_ lists: SparseLists) -> SparseLoad {
        let next = lists.columnStarts + 1
        var total: Int32 = 0
        for column in 0..<lists.columns {
            let count = next[column]
            next[column] = total
            total &+= count
        }
        return SparseLoad(nonZeroCount: Int(total), isFilled: Int(total) <= lists.entryCapacity)
    }

    /// Appends the entry `value` of row `row` to column `column`'s list.
    @inline(__always)
    private static func appendColumn(_ value: Float, row: Int32, column: Int, next: UnsafeMutablePointer<Int32>,
                                     lists: SparseLists) {
        let slot = Int(next[column])
        lists.columnRows[slot] = row
        lists.columnValues[slot] = value
        next[column] = Int32(truncatingIfNeeded: slot &+ 1)
    }

    /// Appends input `column`, with its values in the pair's two rows, to the pair's list.
    @inline(__always)
    private static func appendPair(column: Int, _ a: Float, _ b: Float, lists: SparseLists, pairEntry: inout Int) {
        lists.pairColumns[pairEntry] = Int32(truncatingIfNeeded: column)
        UnsafeMutableRawPointer(lists.pairValues + pairEntry &* 2).storeBytes(of: SIMD2(a, b), as: SIMD2<Float>.self)
        pairEntry &+= 1
    }
}
