import CZlib

/// gzip/zlib compression and CRC-32 through the system zlib.
///
/// This module is the package's only zlib boundary: the dataset readers and the PNG writer reach
/// zlib through here.
public enum Zlib {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1f && iterator.next() == 0x8b
    }

    /// Decompresses gzip (possibly several concatenated members) or zlib data, producing at most
    /// `maximumSize` bytes; with `stopAtLimit`, the first `maximumSize` bytes are returned
    /// instead of an error (to read a header).
    /// - Throws: ``CompressionError/truncated`` when the stream ends early,
    ///   ``CompressionError/corrupt(detail:)`` on invalid data,
    ///   ``CompressionError/exceedsLimit(_:)`` when the output would pass `maximumSize`.
    public static func decompress(
        _ input: [UInt8], maximumSize: Int = Int.max, stopAtLimit: Bool = false
    ) throws(CompressionError) -> [UInt8] {
        if input.isEmpty { throw .truncated }
        // gzip stores the uncompressed size modulo 2³² in its last four bytes: a good first capacity.
        var capacity = input.count * 4
        if isGzip(input), input.count >= 18 {
            let tail = input.suffix(4).reversed().reduce(0) { ($0 << 8) | Int($1) }
            // Deflate cannot expand more than about 1032:1, so a larger claim is not a real size
            // (for example a truncated file whose last bytes are not the trailer).
            if tail > 0 && tail <= input.count * 1032 { capacity = tail + 64 }
        }
        capacity = Swift.min(capacity, maximumSize == Int.max ? capacity : maximumSize &+ 1)
        var output = [UInt8](repeating: 0, count: Swift.max(capacity, 1024))
        var produced = 0
        var stream = z_stream()
        // 15 + 32: a 32 KiB window with automatic gzip/zlib header detection.
        var status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .corrupt(detail: "inflateInit failed (\(status))") }
        defer { inflateEnd(&stream) }
        var consumed = 0
        var failure: CompressionError?
        input.withUnsafeBufferPointer { inBuffer in
            let inBase = UnsafeMutablePointer(mutating: inBuffer.baseAddress!)
            while true {
                if produced > maximumSize {
                    if !stopAtLimit { failure = .exceedsLimit(maximumSize) }
                    return
                }
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: Swift.min(output.count, Swift.max(maximumSize &- produced &+ 1, 1))))
                }
                stream.next_in = inBase + consumed
                stream.avail_in = UInt32(clamping: input.count - consumed)
                let before = stream.avail_in
                status = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = UInt32(clamping: outBuffer.count - produced)
                    let room = stream.avail_out
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced += Int(room - stream.avail_out)
                    return result
                }
                consumed += Int(before - stream.avail_in)
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow.
                    let rest = input[consumed...]
                    if isGzip(rest) {
                        inflateReset(&stream)
                        continue
                    }
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if consumed >= input.count { failure = .truncated; return }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    failure = .corrupt(detail: message)
                    return
                }
            }
        }
        if let failure { throw failure }
        output.removeSubrange(Swift.min(produced, stopAtLimit ? maximumSize : produced)...)
        return output
    }

    /// Compresses `input` as a zlib stream (RFC 1950), as PNG's IDAT chunks need.
    public static func compress(_ input: [UInt8], level: Int = 6) -> [UInt8] {
        deflate(input, level: level, windowBits: 15)
    }

    /// Compresses `input` as a gzip member (RFC 1952).
    public static func gzip(_ input: [UInt8], level: Int = 6) -> [UInt8] {
        deflate(input, level: level, windowBits: 15 + 16)
    }

    static func deflate(_ input: [UInt8], level: Int, windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                let result = CZlib.deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "zlib deflate did not finish (status \(result))")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }

    /// The CRC-32 (as in gzip and PNG) of `bytes`, continuing from `initial`.
    public static func crc32(_ bytes: some Collection<UInt8>, initial: UInt32 = 0) -> UInt32 {
        let contiguous = Array(bytes)
        return contiguous.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(UInt(initial), buffer.baseAddress, UInt32(buffer.count)))
        }
    }
}
