import MLPCore

/// The sparse first layer's two products: the forward product row by row, the weight gradient
/// input column by input column, in slices of 64 output columns (four ``Lanes``).
extension KernelTable {
    /// `output = X · weights` (see ``VectorKernelSet/sparseMultiply(_:rows:weights:width:weightStride:into:outputStride:)``).
    ///
    /// Row by row, from the block's row lists: an output row's slice is summed in registers over
    /// the row's non-zero inputs, each adding that input's weight row scaled, and stored once.
    /// Each output adds its inputs in increasing order with one fused multiply-add each, the
    /// order of a dense product's inner loop. The AVX-512 path holds a 256-float slice (16
    /// registers), then a 128-float one (8), the others a 64-float one.
    func sparseMultiply(_ input: SparseLists, rows: Int, weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                        into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        let rowStarts = input.rowStarts, rowColumns = input.rowColumns, rowValues = input.rowValues
        for row in 0..<rows {
            let entries = Int(rowStarts[row])..<Int(rowStarts[row &+ 1])
            let out = output + row &* outputStride
            var first = 0
            #if KERNELS_AVX512
            while first &+ 256 <= width {
                Self.addRows256(entries, rowColumns, rowValues, weights: weights + first, weightStride: weightStride,
                                into: out + first)
                first &+= 256
            }
            if first &+ 128 <= width {
                Self.addRows128(entries, rowColumns, rowValues, weights: weights + first, weightStride: weightStride,
                                into: out + first)
                first &+= 128
            }
            #endif
            while first &+ 64 <= width {
                var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
                for entry in entries {
                    let scale = Lanes(repeating: rowValues[entry])
                    let w = UnsafeRawPointer(weights + (Int(rowColumns[entry]) &* weightStride &+ first))
                    a0 = multiplyAdd(scale, w.loadUnaligned(as: Lanes.self), a0)
                    a1 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 64, as: Lanes.self), a1)
                    a2 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a2)
                    a3 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 192, as: Lanes.self), a3)
                }
                let o = UnsafeMutableRawPointer(out + first)
                o.storeBytes(of: a0, as: Lanes.self)
                o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
                o.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
                o.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
                first &+= 64
            }
            // The last width % 64 columns, in place.
            if first < width {
                let tail = out + first
                tail.update(repeating: 0, count: width &- first)
                for entry in entries {
                    Self.addScaledRow(rowValues[entry], weights + (Int(rowColumns[entry]) &* weightStride &+ first),
                                      into: tail, count: width &- first)
                }
            }
        }
    }

    #if KERNELS_AVX512
    /// `out[0..<256] = Σ_entries value · weights[column, 0..<256]` in sixteen registers.
    @inline(__always)
    private static func addRows256(_ entries: Range<Int>, _ rowColumns: UnsafeMutablePointer<Int32>,
                                   _ rowValues: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                                   weightStride: Int, into out: UnsafeMutablePointer<Float>) {
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes(), a6 = Lanes(), a7 = Lanes()
        var a8 = Lanes(), a9 = Lanes(), a10 = Lanes(), a11 = Lanes(), a12 = Lanes(), a13 = Lanes(), a14 = Lanes(), a15 = Lanes()
        for entry in entries {
            let scale = Lanes(repeating: rowValues[entry])
            let w = UnsafeRawPointer(weights + Int(rowColumns[entry]) &* weightStride)
            a0 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 0, as: Lanes.self), a0)
            a1 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 64, as: Lanes.self), a1)
            a2 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a2)
            a3 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 192, as: Lanes.self), a3)
            a4 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 256, as: Lanes.self), a4)
            a5 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 320, as: Lanes.self), a5)
            a6 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 384, as: Lanes.self), a6)
            a7 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 448, as: Lanes.self), a7)
            a8 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 512, as: Lanes.self), a8)
            a9 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 576, as: Lanes.self), a9)
            a10 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 640, as: Lanes.self), a10)
            a11 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 704, as: Lanes.self), a11)
            a12 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 768, as: Lanes.self), a12)
            a13 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 832, as: Lanes.self), a13)
            a14 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 896, as: Lanes.self), a14)
            a15 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 960, as: Lanes.self), a15)
        }
        let o = UnsafeMutableRawPointer(out)
        o.storeBytes(of: a0, toByteOffset: 0, as: Lanes.self)
        o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
        o.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
        o.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
        o.storeBytes(of: a4, toByteOffset: 256, as: Lanes.self)
        o.storeBytes(of: a5, toByteOffset: 320, as: Lanes.self)
        o.storeBytes(of: a6, toByteOffset: 384, as: Lanes.self)
        o.storeBytes(of: a7, toByteOffset: 448, as: Lanes.self)
        o.storeBytes(of: a8, toByteOffset: 512, as: Lanes.self)
        o.storeBytes(of: a9, toByteOffset: 576, as: Lanes.self)
        o.storeBytes(of: a10, toByteOffset: 640, as: Lanes.self)
        o.storeBytes(of: a11, toByteOffset: 704, as: Lanes.self)
        o.storeBytes(of: a12, toByteOffset: 768, as: Lanes.self)
        o.storeBytes(of: a13, toByteOffset: 832, as: Lanes.self)
        o.storeBytes(of: a14, toByteOffset: 896, as: Lanes.self)
        o.storeBytes(of: a15, toByteOffset: 960, as: Lanes.self)
    }
    #endif

    #if KERNELS_AVX512
    /// `out[0..<128] = Σ_entries value · weights[column, 0..<128]` in eight registers (a
    /// 128-column layer, or what a wider one leaves after its 256-column slices).
    @inline(__always)
    private static func addRows128(_ entries: Range<Int>, _ rowColumns: UnsafeMutablePointer<Int32>,
                                   _ rowValues: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>,
                                   weightStride: Int, into out: UnsafeMutablePointer<Float>) {
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes(), a6 = Lanes(), a7 = Lanes()
        for entry in entries {
            let scale = Lanes(repeating: rowValues[entry])
            let w = UnsafeRawPointer(weights + Int(rowColumns[entry]) &* weightStride)
            a0 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 0, as: Lanes.self), a0)
            a1 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 64, as: Lanes.self), a1)
            a2 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 128, as: Lanes.self), a2)
            a3 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 192, as: Lanes.self), a3)
            a4 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 256, as: Lanes.self), a4)
            a5 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 320, as: Lanes.self), a5)
            a6 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 384, as: Lanes.self), a6)
            a7 = multiplyAdd(scale, w.loadUnaligned(fromByteOffset: 448, as: Lanes.self), a7)
        }
        let o = UnsafeMutableRawPointer(out)
        o.storeBytes(of: a0, toByteOffset: 0, as: Lanes.self)
        o.storeBytes(of: a1, toByteOffset: 64, as: Lanes.self)
        o.storeBytes(of: a2, toByteOffset: 128, as: Lanes.self)
        o.storeBytes(of: a3, toByteOffset: 192, as: Lanes.self)
        o.storeBytes(of: a4, toByteOffset: 256, as: Lanes.self)
        o.storeBytes(of: a5, toByteOffset: 320, as: Lanes.self)
        o.storeBytes(of: a6, toByteOffset: 384, as: Lanes.self)
        o.storeBytes(of: a7, toByteOffset: 448, as: Lanes.self)
    }
    #endif

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
