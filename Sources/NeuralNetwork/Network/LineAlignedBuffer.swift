/// Float buffers that start on a 64-byte cache line.
///
/// Threads that own column ranges of a row-major matrix (see ``Trainer/FusedFirstLayer``) cut
/// the rows on multiples of 16 floats; that keeps each cache line with one writer only when the
/// rows start on a line, as they do in these buffers (and not always in `malloc`'s, aligned to 16
/// bytes).
enum LineAlignedBuffer {
    static let alignment = 64

    /// `count` zeroes (room for at least one float); release with `deallocate()`.
    static func zeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
        let capacity = Swift.max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity &* MemoryLayout<Float>.stride, alignment: alignment)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: capacity)
    }
}
