/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`, copied into an array (the readers take
/// `[UInt8]`, as they do when they read a file).
public enum FuzzInput {
    /// The `count` bytes at `start` (none when `start` is nil, as libFuzzer passes for an empty input).
    public static func bytes(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    }
}
