import MLPCore

/// The sparse first layer's two products: the forward product by pair of rows, in slices of 128,
/// 64 or 32 output columns; the weight gradient input column by input column, in slices of 64
/// (four ``Lanes``).
extension KernelTable {
    /// `output = X · weights` over rows `rows` (see ``VectorKernelSet/sparseMultiply(_:rows:weights:width:weightStride:into:outputStride:)``).
    ///
    /// By pair of rows, from the block's pair lists: a slice of both rows is summed in registers
    /// over the pair's inputs and stored once, each input's weight slice loaded once for both rows
    /// (the product is bound by loading weight rows from L2, not by its multiply-adds). Each
    /// output adds the pair's inputs in increasing order with one fused multiply-add each: its own
    /// non-zeros in the order of a dense product's inner loop, and the other row's with a zero
    /// scale, which adds zero for finite weights (an infinite or NaN weight makes both rows NaN,
    /// as in a dense product). A row of a pair that `rows` leaves out is summed but not stored.
    /// The AVX-512 path holds 128-float slices of both rows (16 registers), then 64-float ones;
    /// every path then 32-float ones, and the last `width % 32` columns one at a time. The
    /// AVX-512 path takes the pairs one by one, each over all its slices; the others take the
    /// slices one by one, each over all the pairs (see the loops for why). Either order adds
    /// the same terms in the same order to each output.
    func sparseMultiply(_ input: SparseLists, rows: Range<Int>, weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                        into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        guard !rows.isEmpty else { return }
        let pairs = (rows.lowerBound / 2)..<((rows.upperBound &+ 1) / 2)
        /// Pair `pair`'s entries and its two output rows from column `first` on (nil for a row
        /// `rows` leaves out).
        @inline(__always)
        func pairRows(_ pair: Int, from first: Int) -> (Range<Int>, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) {
            let rowA = pair &* 2
            let outA = rowA >= rows.lowerBound ? output + ((rowA &- rows.lowerBound) &* outputStride &+ first) : nil
            let outB = rowA &+ 1 < rows.upperBound ? output + ((rowA &+ 1 &- rows.lowerBound) &* outputStride &+ first) : nil
            return (Int(input.pairStarts[pair])..<Int(input.pairStarts[pair &+ 1]), outA, outB)
        }
        #if KERNELS_AVX512
        // Pair after pair, each over every slice: measured on a Zen 4, whose 1 MB L2 holds the
        // weights (784 × 256 floats, 800 KB).
        for pair in pairs {
            let (entries, outA, outB) = pairRows(pair, from: 0)
            var first = 0
            while first &+ 128 <= width {
                Self.addPairs128(entries, input, weights: weights + first, weightStride: weightStride, outA: outA.map { $0 + first },
                                 outB: outB.map { $0 + first })
                first &+= 128
            }
            if first &+ 64 <= width {
                Self.addPairs64(entries, input, weights: weights + first, weightStride: weightStride, outA: outA.map { $0 + first },
                                outB: outB.map { $0 + first })
                first &+= 64
            }
            while first &+ 32 <= width {
                Self.addPairs32(entries, input, weights: weights + first, weightStride: weightStride, outA: outA.map { $0 + first },
                                outB: outB.map { $0 + first })
                first &+= 32
            }
            Self.addPairsTail(entries, input, weights: weights + first, weightStride: weightStride, count: width &- first,
                              outA: outA.map { $0 + first }, outB: outB.map { $0 + first })
        }
        #else
        // Slice after slice, each over every pair: a 32-column slice of the weights (784 × 32
        // floats, 100 KB) stays in L2 while the pairs go by, where pair after pair over whole
        // weight rows streams 800 KB through a Zen 3 core's 512 KB L2 from L3 for every pair.
        var first = 0
        while first &+ 32 <= width {
            for pair in pairs {
                let (entries, outA, outB) = pairRows(pair, from: first)
                Self.addPairs32(entries, input, weights: weights + first, weightStride: weightStride, outA: outA, outB: outB)
            }
            first &+= 32
        }
        if first < width {
            for pair in pairs {
                let (entries, outA, outB) = pairRows(pair, from: first)
                Self.addPairsTail(entries, input, weights: weights + first, weightStride: weightStride, count: width &- first,
                                  outA: outA, outB: outB)
            }
        }
        #endif
    }

    /// The last `count` (< 32) columns of a pair's two product rows, in place, one row after the
    /// other: `outA` and `outB` (when not nil) get `Σ_entries value · weights[column, 0..<count]`.
    @inline(__always)
    private static func addPairsTail(_ entries: Range<Int>, _ input: SparseLists, weights: UnsafePointer<Float>, weightStride: Int,
                                     count: Int, outA: UnsafeMutablePointer<Float>?, outB: UnsafeMutablePointer<Float>?) {
        guard count > 0 else { return }
        for slot in 0..<2 {
            guard let out = slot == 0 ? outA : outB else { continue }
            out.update(repeating: 0, count: count)
            for entry in entries {
                addScaledRow(input.pairValues[entry &* 2 &+ slot], weights + Int(input.pairColumns[entry]) &* weightStride,
                             into: out, count: count)
            }
        }
    }

    #if KERNELS_AVX512
    /// Columns `0..<128` of a pair's two product rows, in 16 registers: `outA` and `outB` (when not nil)
    /// get `Σ_entries value · weights[column, 0..<128]` with each row's own values.
    @inline(__always)
    private static func addPairs128(_ entries: Range<Int>, _ input: SparseLists, weights: UnsafePointer<Float>, weightStride: Int,
                                   outA: UnsafeMutablePointer<Float>?, outB: UnsafeMutablePointer<Float>?) {
        let columns = input.pairColumns, values = input.pairValues
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes(), a6 = Lanes(), a7 = Lanes()
        var b0 = Lanes(), b1 = Lanes(), b2 = Lanes(), b3 = Lanes(), b4 = Lanes(), b5 = Lanes(), b6 = Lanes(), b7 = Lanes()
        for entry in entries {
            let scaleA = Lanes(repeating: values[entry &* 2]), scaleB = Lanes(repeating: values[entry &* 2 &+ 1])
            let w = UnsafeRawPointer(weights + Int(columns[entry]) &* weightStride)
            let w0 = w.loadUnaligned(fromByteOffset: 0, as: Lanes.self)
            a0 = multiplyAdd(scaleA, w0, a0)
            b0 = multiplyAdd(scaleB, w0, b0)
            let w1 = w.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
            a1 = multiplyAdd(scaleA, w1, a1)
            b1 = multiplyAdd(scaleB, w1, b1)
            let w2 = w.loadUnaligned(fromByteOffset: 128, as: Lanes.self)
            a2 = multiplyAdd(scaleA, w2, a2)
            b2 = multiplyAdd(scaleB, w2, b2)
            let w3 = w.loadUnaligned(fromByteOffset: 192, as: Lanes.self)
            a3 = multiplyAdd(scaleA, w3, a3)
            b3 = multiplyAdd(scaleB, w3, b3)
            let w4 = w.loadUnaligned(fromByteOffset: 256, as: Lanes.self)
            a4 = multiplyAdd(scaleA, w4, a4)
            b4 = multiplyAdd(scaleB, w4, b4)
            let w5 = w.loadUnaligned(fromByteOffset: 320, as: Lanes.self)
            a5 = multiplyAdd(scaleA, w5, a5)
            b5 = multiplyAdd(scaleB, w5, b5)
            let w6 = w.loadUnaligned(fromByteOffset: 384, as: Lanes.self)
            a6 = multiplyAdd(scaleA, w6, a6)
            b6 = multiplyAdd(scaleB, w6, b6)
            let w7 = w.loadUnaligned(fromByteOffset: 448, as: Lanes.self)
            a7 = multiplyAdd(scaleA, w7, a7)
            b7 = multiplyAdd(scaleB, w7, b7)
        }
        if let outA {
            let o = UnsafeMutableRawPointer(outA)
            o.storeBytes(of: a0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
            o.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
            o.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
            o.storeBytes(of: a4, toByteOffset: 256, as: Lanes.self)
            o.storeBytes(of: a5, toByteOffset: 320, as: Lanes.self)
            o.storeBytes(of: a6, toByteOffset: 384, as: Lanes.self)
            o.storeBytes(of: a7, toByteOffset: 448, as: Lanes.self)
        }
        if let outB {
            let o = UnsafeMutableRawPointer(outB)
            o.storeBytes(of: b0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: b1, toByteOffset: 64, as: Lanes.self)
            o.storeBytes(of: b2, toByteOffset: 128, as: Lanes.self)
            o.storeBytes(of: b3, toByteOffset: 192, as: Lanes.self)
            o.storeBytes(of: b4, toByteOffset: 256, as: Lanes.self)
            o.storeBytes(of: b5, toByteOffset: 320, as: Lanes.self)
            o.storeBytes(of: b6, toByteOffset: 384, as: Lanes.self)
            o.storeBytes(of: b7, toByteOffset: 448, as: Lanes.self)
        }
    }
    #endif

    #if KERNELS_AVX512
    /// Columns `0..<64` of a pair's two product rows, in 8 registers: `outA` and `outB` (when not nil)
    /// get `Σ_entries value · weights[column, 0..<64]` with each row's own values.
    @inline(__always)
    private static func addPairs64(_ entries: Range<Int>, _ input: SparseLists, weights: UnsafePointer<Float>, weightStride: Int,
                                   outA: UnsafeMutablePointer<Float>?, outB: UnsafeMutablePointer<Float>?) {
        let columns = input.pairColumns, values = input.pairValues
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
        var b0 = Lanes(), b1 = Lanes(), b2 = Lanes(), b3 = Lanes()
        for entry in entries {
            let scaleA = Lanes(repeating: values[entry &* 2]), scaleB = Lanes(repeating: values[entry &* 2 &+ 1])
            let w = UnsafeRawPointer(weights + Int(columns[entry]) &* weightStride)
            let w0 = w.loadUnaligned(fromByteOffset: 0, as: Lanes.self)
            a0 = multiplyAdd(scaleA, w0, a0)
            b0 = multiplyAdd(scaleB, w0, b0)
            let w1 = w.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
            a1 = multiplyAdd(scaleA, w1, a1)
            b1 = multiplyAdd(scaleB, w1, b1)
            let w2 = w.loadUnaligned(fromByteOffset: 128, as: Lanes.self)
            a2 = multiplyAdd(scaleA, w2, a2)
            b2 = multiplyAdd(scaleB, w2, b2)
            let w3 = w.loadUnaligned(fromByteOffset: 192, as: Lanes.self)
            a3 = multiplyAdd(scaleA, w3, a3)
            b3 = multiplyAdd(scaleB, w3, b3)
        }
        if let outA {
            let o = UnsafeMutableRawPointer(outA)
            o.storeBytes(of: a0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
            o.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
            o.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
        }
        if let outB {
            let o = UnsafeMutableRawPointer(outB)
            o.storeBytes(of: b0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: b1, toByteOffset: 64, as: Lanes.self)
            o.storeBytes(of: b2, toByteOffset: 128, as: Lanes.self)
            o.storeBytes(of: b3, toByteOffset: 192, as: Lanes.self)
        }
    }
    #endif

    /// Columns `0..<32` of a pair's two product rows, in 4 registers: `outA` and `outB` (when not nil)
    /// get `Σ_entries value · weights[column, 0..<32]` with each row's own values.
    @inline(__always)
    private static func addPairs32(_ entries: Range<Int>, _ input: SparseLists, weights: UnsafePointer<Float>, weightStride: Int,
                                   outA: UnsafeMutablePointer<Float>?, outB: UnsafeMutablePointer<Float>?) {
        let columns = input.pairColumns, values = input.pairValues
        var a0 = Lanes(), a1 = Lanes()
        var b0 = Lanes(), b1 = Lanes()
        for entry in entries {
            let scaleA = Lanes(repeating: values[entry &* 2]), scaleB = Lanes(repeating: values[entry &* 2 &+ 1])
            let w = UnsafeRawPointer(weights + Int(columns[entry]) &* weightStride)
            let w0 = w.loadUnaligned(fromByteOffset: 0, as: Lanes.self)
            a0 = multiplyAdd(scaleA, w0, a0)
            b0 = multiplyAdd(scaleB, w0, b0)
            let w1 = w.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
            a1 = multiplyAdd(scaleA, w1, a1)
            b1 = multiplyAdd(scaleB, w1, b1)
        }
        if let outA {
            let o = UnsafeMutableRawPointer(outA)
            o.storeBytes(of: a0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
        }
        if let outB {
            let o = UnsafeMutableRawPointer(outB)
            o.storeBytes(of: b0, toByteOffset: 0, as: Lanes.self)
            o.storeBytes(of: b1, toByteOffset: 64, as: Lanes.self)
        }
    }

    /// `gradient = Xᵀ · delta` (see ``VectorKernelSet/sparseMultiplyTransposed(_:rows:delta:width:deltaStride:into:gradientStride:)``).
    /// Rows of inputs that are zero in every sample come out zero.
    ///
    /// For each slice of 64 columns, each gradient row's slice is summed in registers over the
    /// samples where its input is non-zero and stored once.
    func sparseMultiplyTransposed(_ input: SparseLists, rows: Int, delta: UnsafePointer<Float>, width: Int, deltaStride: Int,
                                  into gradient: UnsafeMutablePointer<Float>, gradientStride: Int) {
        let columns = input.columns, slice = input.slice
        let starts = input.columnStarts, rowIndices = input.columnRows, values = input.columnValues
        var first = 0
        while first &+ 64 <= width {
            for row in 0..<rows {
                (slice + row &* 64).update(from: delta + (row &* deltaStride &+ first), count: 64)
            }
            for column in 0..<columns {
                let (a0, a1, a2, a3) = Self.sliceSums(input, column: column, slice: slice)
                let g = UnsafeMutableRawPointer(gradient + (column &* gradientStride &+ first))
                g.storeBytes(of: a0, as: Lanes.self)
                g.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
                g.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
                g.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
            }
            first &+= 64
        }
        // The last width % 64 columns: one gradient row at a time.
        if first < width {
            for column in 0..<columns {
                let out = gradient + (column &* gradientStride &+ first)
                out.update(repeating: 0, count: width &- first)
                for entry in Int(starts[column])..<Int(starts[column &+ 1]) {
                    Self.addScaledRow(values[entry], delta + (Int(rowIndices[entry]) &* deltaStride &+ first),
                                 into: out, count: width &- first)
                }
            }
        }
    }

    /// `Σ value · slice[row, 0..<64]` over input `column`'s entries in `input`'s column lists,
    /// from a packed `rows × 64` slice: one 64-column slice of a gradient row.
    ///
    /// Four accumulators are four FMA chains, half of what two FMA pipes with a four-cycle
    /// latency need: the AVX-512 path (32 registers) sums even and odd entries in two sets of
    /// four and adds the sets at the end.
    @inline(__always)
    static func sliceSums(_ input: SparseLists, column: Int, slice: UnsafePointer<Float>) -> (Lanes, Lanes, Lanes, Lanes) {
        let rowIndices = input.columnRows, values = input.columnValues
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
        var entry = Int(input.columnStarts[column])
        let end = Int(input.columnStarts[column &+ 1])
        #if KERNELS_AVX512
        var b0 = Lanes(), b1 = Lanes(), b2 = Lanes(), b3 = Lanes()
        while entry &+ 1 < end {
            let scaleA = Lanes(repeating: values[entry]), scaleB = Lanes(repeating: values[entry &+ 1])
            let d = UnsafeRawPointer(slice + Int(rowIndices[entry]) &* 64)
            let e = UnsafeRawPointer(slice + Int(rowIndices[entry &+ 1]) &* 64)
            a0 = multiplyAdd(scaleA, d.loadUnaligned(as: Lanes.self), a0)
            b0 = multiplyAdd(scaleB, e.loadUnaligned(as: Lanes.self), b0)
            a1 = multiplyAdd(scaleA, d.loadUnaligned(fromByteOffset: 64, as: Lanes.self), a1)
            b1 = multiplyAdd(scaleB, e.loadUnaligned(fromByteOffset: 64, as: Lanes.self), b1)
            a2 = multiplyAdd(scaleA, d.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a2)
            b2 = multiplyAdd(scaleB, e.loadUnaligned(fromByteOffset: 128, as: Lanes.self), b2)
            a3 = multiplyAdd(scaleA, d.loadUnaligned(fromByteOffset: 192, as: Lanes.self), a3)
            b3 = multiplyAdd(scaleB, e.loadUnaligned(fromByteOffset: 192, as: Lanes.self), b3)
            entry &+= 2
        }
        #endif
        while entry < end {
            let scale = Lanes(repeating: values[entry])
            let d = UnsafeRawPointer(slice + Int(rowIndices[entry]) &* 64)
            a0 = multiplyAdd(scale, d.loadUnaligned(as: Lanes.self), a0)
            a1 = multiplyAdd(scale, d.loadUnaligned(fromByteOffset: 64, as: Lanes.self), a1)
            a2 = multiplyAdd(scale, d.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a2)
            a3 = multiplyAdd(scale, d.loadUnaligned(fromByteOffset: 192, as: Lanes.self), a3)
            entry &+= 1
        }
        #if KERNELS_AVX512
        a0 += b0; a1 += b1; a2 += b2; a3 += b3
        #endif
        return (a0, a1, a2, a3)
    }

    /// `out[j] += scale · row[j]` for `j < count` (the loop the vectoriser turns into FMAs).
    @inline(__always)
    static func addScaledRow(_ scale: Float, _ row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { out[index] = multiplyAdd(scale, row[index], out[index]) }
    }
}
