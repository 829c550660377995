import CPrefetch
import MLPCore

/// Lists a block's non-zero inputs by column (compressed sparse columns) and by row (compressed
/// sparse rows) for the sparse products.
///
/// Two passes over the block: the first counts each column's non-zeros (a vectorised
/// compare-and-add), the second places each non-zero in its column's list, rows in order, and
/// appends it to its row's list. The
/// second tests eight inputs at a time, skips all-zero groups (image borders) and visits only the
/// set bits of the others; from bytes it gathers the bits of 64 inputs first, so that the loop
/// over them ends, a mispredicted branch, once per 64 inputs instead of once per non-zero group
/// of eight. A NaN counts as non-zero (`NaN != 0`), so it reaches the product.
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
        var rowEntry = 0
        lists.rowStarts[0] = 0
        for row in 0..<rows {
            let line = input + row &* rowStride
            let rowIndex = Int32(truncatingIfNeeded: row)
            for group in 0..<groups {
                let first = group &* 8
                let values = UnsafeRawPointer(line + first).loadUnaligned(as: SIMD8<Float>.self)
                var bits = laneBits.replacing(with: 0, where: values .== 0).wrappedSum()
                while bits != 0 {
                    let column = first &+ bits.trailingZeroBitCount
                    Self.append(line[column], row: rowIndex, column: column, next: next, lists: lists, rowEntry: &rowEntry)
                    bits &= bits &- 1
                }
            }
            for column in (groups &* 8)..<columns where line[column] != 0 {
                Self.append(line[column], row: rowIndex, column: column, next: next, lists: lists, rowEntry: &rowEntry)
            }
            lists.rowStarts[row &+ 1] = Int32(truncatingIfNeeded: rowEntry)
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
        let groups = columns / 8
        var rowEntry = 0
        lists.rowStarts[0] = 0
        let wideGroups = columns / 64
        for row in 0..<rows {
            let line = bytes + indices[row] &* rowStride
            let rowIndex = Int32(truncatingIfNeeded: row)
            // 64 inputs at a time: one bit per non-zero byte, gathered from eight words, so that
            // the loop over the set bits ends (and mispredicts) once per 64 inputs.
            for wide in 0..<wideGroups {
                let first = wide &* 64
                var bits: UInt64 = 0
                for part in 0..<8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(line + (first &+ part &* 8)).loadUnaligned(as: UInt64.self))
                    var mask = word | (word &>> 4)
                    mask |= mask &>> 2
                    mask |= mask &>> 1
                    mask &= 0x0101_0101_0101_0101
                    bits |= ((mask &* 0x0102_0408_1020_4080) &>> 56) &<< UInt64(part &* 8)
                }
                while bits != 0 {
                    let column = first &+ bits.trailingZeroBitCount
                    Self.append(Float(line[column]) * scale, row: rowIndex, column: column, next: next, lists: lists,
                                rowEntry: &rowEntry)
                    bits &= bits &- 1
                }
            }
            for group in (wideGroups &* 8)..<groups {
                let first = group &* 8
                let word = UInt64(littleEndian: UnsafeRawPointer(line + first).loadUnaligned(as: UInt64.self))
                if word == 0 { continue }
                // Bit 0 of each byte of `mask` says whether that byte is non-zero.
                var mask = word | (word &>> 4)
                mask |= mask &>> 2
                mask |= mask &>> 1
                mask &= 0x0101_0101_0101_0101
                while mask != 0 {
                    let column = first &+ (mask.trailingZeroBitCount &>> 3)
                    Self.append(Float(line[column]) * scale, row: rowIndex, column: column, next: next, lists: lists,
                                rowEntry: &rowEntry)
                    mask &= mask &- 1
                }
            }
            for column in (groups &* 8)..<columns where line[column] != 0 {
                Self.append(Float(line[column]) * scale, row: rowIndex, column: column, next: next, lists: lists,
                            rowEntry: &rowEntry)
            }
            lists.rowStarts[row &+ 1] = Int32(truncatingIfNeeded: rowEntry)
        }
        return load
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
    /// ``append(_:row:column:next:lists:)`` as the column fills, so that afterwards element `k` is
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
    private static func append(_ value: Float, row: Int32, column: Int, next: UnsafeMutablePointer<Int32>, lists: SparseLists,
                               rowEntry: inout Int) {
        let slot = Int(next[column])
        lists.columnRows[slot] = row
        lists.columnValues[slot] = value
        next[column] = Int32(truncatingIfNeeded: slot &+ 1)
        lists.rowColumns[rowEntry] = Int32(truncatingIfNeeded: column)
        lists.rowValues[rowEntry] = value
        rowEntry &+= 1
    }
}
