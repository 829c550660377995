import MLPCore

/// The sparse first layer's two products, input column by input column, in slices of 64 output
/// columns (four ``Lanes``).
extension KernelTable {
    /// `output = X · weights` (see ``VectorKernelSet/sparseMultiply(_:rows:weights:width:weightStride:into:outputStride:)``).
    ///
    /// For each slice, a slice of `weights` row `k` is loaded once into registers and added, scaled,
    /// to the output rows of the samples where input `k` is non-zero. The output slice of the block
    /// stays in the L1 cache (packed in `input.slice`, so that its rows do not alias as rows 1 KiB
    /// apart would), and each weight is read once per block rather than once per non-zero.
    func sparseMultiply(_ input: SparseColumns, rows: Int, weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                        into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        let columns = input.columns, slice = input.slice
        let starts = input.columnStarts, rowIndices = input.columnRows, values = input.columnValues
        var first = 0
        while first &+ 64 <= width {
            slice.update(repeating: 0, count: rows &* 64)
            var column = 0
            #if KERNELS_AVX512
            // Two input columns at a time (32 registers hold both weight slices): a row non-zero
            // in both gets both products with one load and one store of its output slice, which
            // bounds this loop. Each output still adds column k before column k + 1, so the sums
            // are those of the one-column loop, bit for bit.
            while column &+ 1 < columns {
                Self.addPair(column, input, weights: weights + (column &* weightStride &+ first), weightStride: weightStride)
                column &+= 2
            }
            #endif
            while column < columns {
                defer { column &+= 1 }
                let start = Int(starts[column]), end = Int(starts[column &+ 1])
                if start == end { continue }
                let w = UnsafeRawPointer(weights + (column &* weightStride &+ first))
                let w0 = w.loadUnaligned(as: Lanes.self)
                let w1 = w.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
                let w2 = w.loadUnaligned(fromByteOffset: 128, as: Lanes.self)
                let w3 = w.loadUnaligned(fromByteOffset: 192, as: Lanes.self)
                for entry in start..<end {
                    Self.addRow(values[entry], rowIndices[entry], w0, w1, w2, w3, slice: slice)
                }
            }
            for row in 0..<rows {
                (output + (row &* outputStride &+ first)).update(from: slice + row &* 64, count: 64)
            }
            first &+= 64
        }
        // The last width % 64 columns: row by row in place.
        if first < width {
            for row in 0..<rows {
                (output + (row &* outputStride &+ first)).update(repeating: 0, count: width &- first)
            }
            for column in 0..<columns {
                for entry in Int(starts[column])..<Int(starts[column &+ 1]) {
                    Self.addScaledRow(values[entry], weights + (column &* weightStride &+ first),
                                 into: output + (Int(rowIndices[entry]) &* outputStride &+ first), count: width &- first)
                }
            }
        }
    }

    /// `gradient = Xᵀ · delta` (see ``VectorKernelSet/sparseMultiplyTransposed(_:rows:delta:width:deltaStride:into:gradientStride:)``).
    /// Rows of inputs that are zero in every sample come out zero.
    ///
    /// For each slice of 64 columns, each gradient row's slice is summed in registers over the
    /// samples where its input is non-zero and stored once.
    func sparseMultiplyTransposed(_ input: SparseColumns, rows: Int, delta: UnsafePointer<Float>, width: Int, deltaStride: Int,
                                  into gradient: UnsafeMutablePointer<Float>, gradientStride: Int) {
        let columns = input.columns, slice = input.slice
        let starts = input.columnStarts, rowIndices = input.columnRows, values = input.columnValues
        var first = 0
        while first &+ 64 <= width {
            for row in 0..<rows {
                (slice + row &* 64).update(from: delta + (row &* deltaStride &+ first), count: 64)
            }
            for column in 0..<columns {
                var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
                var entry = Int(starts[column])
                let end = Int(starts[column &+ 1])
                #if KERNELS_AVX512
                // Four accumulators are four FMA chains, half of what two FMA pipes with a
                // four-cycle latency need: the AVX-512 path (32 registers) sums even and odd
                // entries in two sets of four and adds the sets at the end.
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

    #if KERNELS_AVX512
    /// Adds input columns `column` and `column + 1` of the block, scaled, to the packed output
    /// slice: `w` is the first column's 64-float weight slice, the second's `weightStride` later.
    /// The two lists are merged by row.
    @inline(__always)
    private static func addPair(_ column: Int, _ input: SparseColumns, weights w: UnsafePointer<Float>, weightStride: Int) {
        let starts = input.columnStarts, rowIndices = input.columnRows, values = input.columnValues, slice = input.slice
        var i = Int(starts[column]), j = Int(starts[column &+ 1])
        let endI = j, endJ = Int(starts[column &+ 2])
        if i == endI && j == endJ { return }
        let a = UnsafeRawPointer(w), b = UnsafeRawPointer(w + weightStride)
        let a0 = a.loadUnaligned(as: Lanes.self), a1 = a.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
        let a2 = a.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a3 = a.loadUnaligned(fromByteOffset: 192, as: Lanes.self)
        let b0 = b.loadUnaligned(as: Lanes.self), b1 = b.loadUnaligned(fromByteOffset: 64, as: Lanes.self)
        let b2 = b.loadUnaligned(fromByteOffset: 128, as: Lanes.self), b3 = b.loadUnaligned(fromByteOffset: 192, as: Lanes.self)
        while i < endI && j < endJ {
            let rowA = rowIndices[i], rowB = rowIndices[j]
            if rowA == rowB {
                let scaleA = Lanes(repeating: values[i]), scaleB = Lanes(repeating: values[j])
                let o = UnsafeMutableRawPointer(slice + Int(rowA) &* 64)
                Self.addScaledTwice(scaleA, a0, scaleB, b0, at: o, byteOffset: 0)
                Self.addScaledTwice(scaleA, a1, scaleB, b1, at: o, byteOffset: 64)
                Self.addScaledTwice(scaleA, a2, scaleB, b2, at: o, byteOffset: 128)
                Self.addScaledTwice(scaleA, a3, scaleB, b3, at: o, byteOffset: 192)
                i &+= 1
                j &+= 1
            } else if rowA < rowB {
                Self.addRow(values[i], rowA, a0, a1, a2, a3, slice: slice)
                i &+= 1
            } else {
                Self.addRow(values[j], rowB, b0, b1, b2, b3, slice: slice)
                j &+= 1
            }
        }
        while i < endI {
            Self.addRow(values[i], rowIndices[i], a0, a1, a2, a3, slice: slice)
            i &+= 1
        }
        while j < endJ {
            Self.addRow(values[j], rowIndices[j], b0, b1, b2, b3, slice: slice)
            j &+= 1
        }
    }

    #endif

    /// Output row `row`'s slice `+= value · (w0, w1, w2, w3)`.
    @inline(__always)
    private static func addRow(_ value: Float, _ row: Int32, _ w0: Lanes, _ w1: Lanes, _ w2: Lanes, _ w3: Lanes,
                       slice: UnsafeMutablePointer<Float>) {
        let scale = Lanes(repeating: value)
        let o = UnsafeMutableRawPointer(slice + Int(row) &* 64)
        Self.addScaled(scale, w0, at: o, byteOffset: 0)
        Self.addScaled(scale, w1, at: o, byteOffset: 64)
        Self.addScaled(scale, w2, at: o, byteOffset: 128)
        Self.addScaled(scale, w3, at: o, byteOffset: 192)
    }

    #if KERNELS_AVX512
    /// `o[byteOffset..<byteOffset + 64] += scaleA · a`, then `+= scaleB · b`, with one load and one store.
    @inline(__always)
    private static func addScaledTwice(_ scaleA: Lanes, _ a: Lanes, _ scaleB: Lanes, _ b: Lanes,
                               at o: UnsafeMutableRawPointer, byteOffset: Int) {
        let current = o.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self)
        o.storeBytes(of: multiplyAdd(scaleB, b, multiplyAdd(scaleA, a, current)), toByteOffset: byteOffset, as: Lanes.self)
    }
    #endif

    /// `o[byteOffset..<byteOffset + 64] += scale · w` (sixteen floats).
    @inline(__always)
    private static func addScaled(_ scale: Lanes, _ w: Lanes, at o: UnsafeMutableRawPointer, byteOffset: Int) {
        let current = o.loadUnaligned(fromByteOffset: byteOffset, as: Lanes.self)
        o.storeBytes(of: multiplyAdd(scale, w, current), toByteOffset: byteOffset, as: Lanes.self)
    }

    /// `out[j] += scale · row[j]` for `j < count` (the loop the vectoriser turns into FMAs).
    @inline(__always)
    private static func addScaledRow(_ scale: Float, _ row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { out[index] = multiplyAdd(scale, row[index], out[index]) }
    }
}
