extension Dataset {
    /// The number of samples in each class, indexed by label (`classCount` entries); over the
    /// samples at `indices`, or over all of them when `indices` is nil.
    public func classHistogram(of indices: [Int]? = nil) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        if let indices {
            for index in indices {
                precondition(index >= 0 && index < sampleCount,
                             "sample index \(index) is outside a dataset of \(sampleCount)")
                counts[Int(labels[index])] &+= 1
            }
        } else {
            for label in labels { counts[Int(label)] &+= 1 }
        }
        return counts
    }

    /// The mean, standard deviation and range of the pixels, raw and under this dataset's
    /// ``normalization``; over the images at `indices` (the training rows, say, when the
    /// statistics will standardize inputs), or over all images when `indices` is nil.
    public func pixelStatistics(of indices: [Int]? = nil) -> PixelStatistics {
        var histogram = ByteHistogram()
        pixels.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if let indices {
                for index in indices {
                    precondition(index >= 0 && index < sampleCount,
                                 "sample index \(index) is outside a dataset of \(sampleCount)")
                    histogram.add(base + index &* featureCount, count: featureCount)
                }
            } else {
                histogram.add(base, count: buffer.count)
            }
        }
        return PixelStatistics(histogram: histogram.counts(), normalization: normalization)
    }
}

/// Counts of the 256 byte values. Four interleaved partial tables of 32-bit counts break the
/// dependency between neighbouring equal bytes (most pixels are 0); they are folded into `Int`
/// totals before they could overflow.
struct ByteHistogram {
    private var partial = [UInt32](repeating: 0, count: 4 * 256)
    private var totals = [Int](repeating: 0, count: 256)
    private var pending = 0

    /// Counts the bytes at `start..<start + count`.
    mutating func add(_ start: UnsafePointer<UInt8>, count: Int) {
        // Chunks of 2³⁰ bytes keep every 32-bit partial count below 2³².
        let chunk = 1 << 30
        var offset = 0
        while count &- offset > chunk {
            addChunk(start + offset, count: chunk)
            offset &+= chunk
        }
        addChunk(start + offset, count: count &- offset)
    }

    private mutating func addChunk(_ start: UnsafePointer<UInt8>, count: Int) {
        if pending &+ count >= Int(UInt32.max) { flush() }
        pending &+= count
        partial.withUnsafeMutableBufferPointer { counts in
            guard let table = counts.baseAddress else { return }
            var position = 0
            while position &+ 4 <= count {
                table[Int(start[position])] &+= 1
                table[256 &+ Int(start[position &+ 1])] &+= 1
                table[512 &+ Int(start[position &+ 2])] &+= 1
                table[768 &+ Int(start[position &+ 3])] &+= 1
                position &+= 4
            }
            while position < count {
                table[Int(start[position])] &+= 1
                position &+= 1
            }
        }
    }

    /// The 256 counts.
    mutating func counts() -> [Int] {
        flush()
        return totals
    }

    private mutating func flush() {
        for value in 0..<256 {
            totals[value] &+= Int(partial[value]) &+ Int(partial[256 &+ value])
                &+ Int(partial[512 &+ value]) &+ Int(partial[768 &+ value])
        }
        for index in 0..<partial.count { partial[index] = 0 }
        pending = 0
    }
}
