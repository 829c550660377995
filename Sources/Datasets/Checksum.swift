import Crypto

/// SHA-256 digests as published checksums write them, from swift-crypto.
public enum Checksum {
    /// The SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
    public static func sha256(_ bytes: [UInt8]) -> String {
        hexadecimal(SHA256.hash(data: bytes))
    }

    /// The bytes of `digest` as lowercase hexadecimal digits.
    static func hexadecimal(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
