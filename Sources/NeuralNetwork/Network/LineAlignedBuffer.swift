/// Float buffers that start on a 64-byte cache line.
///
/// Threads that write neighbouring parts of one buffer (such as the row ranges of the first
/// layer's weights and velocities in ``Trainer/FusedFirstLayer``) share no cache line when the
/// parts are cut on multiples of 16 floats and the buffer starts on a line, as these do
/// (`malloc`'s are aligned to 16 bytes only).
enum LineAlignedBuffer {
    static let alignment = 64

    /// `count` zeroes (room for at least one float); release with `deallocate()`.
    static func zeroed(_ count: Int) -> UnsafeMutablePointer<Float> {
        let capacity = Swift.max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity &* MemoryLayout<Float>.stride, alignment: alignment)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: capacity)
    }
}
