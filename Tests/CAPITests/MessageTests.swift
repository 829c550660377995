import CMLP
import Foundation
@testable import MLPCAPI
import Testing
import TestSupport

/// `mlp_last_error()` never carries a terminal control from the caller's strings or from a file,
/// and quotes a long string as a short excerpt.
@Suite struct MessageTests {
    /// The bytes of the calling thread's last error message.
    private func messageBytes() -> [UInt8] { Array(String(cString: mlpLastError()).utf8) }

    /// No C0 control, DEL or C1 control (as UTF-8) in `bytes`.
    private func isPrintable(_ bytes: [UInt8]) -> Bool {
        !bytes.indices.contains { index in
            bytes[index] < 0x20 || bytes[index] == 0x7F
                || (bytes[index] == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]))
        }
    }

    /// Trains with `activation` given as raw bytes (NUL-terminated here).
    private func train(activation bytes: [UInt8]) -> mlp_status {
        let x: [Float] = [0, 0, 1, 1]
        let labels: [Int32] = [0, 1]
        var options = mlp_train_options()
        _ = mlp_train_options_init(&options)
        var model: OpaquePointer?
        let status = (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { name in
                options.activation = name.baseAddress
                return mlpTrainClassifier(x, labels, 2, 2, &options, &model)
            }
        }
        #expect(model == nil)
        return status
    }

    @Test func controlCharactersInANameAreEscaped() {
        // OSC title, BEL, CSI colour, C1 CSI (U+009B), DEL, a backslash, right-to-left override.
        let name = Array("\u{1B}]0;owned\u{07}\u{1B}[31mred\u{9B}2J\u{7F}a\\b\u{202E}txt".utf8)
        #expect(train(activation: name) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(isPrintable(messageBytes()), "\(messageBytes())")
        #expect(lastError().contains(#"'\x1B]0;owned\x07\x1B[31mred\x9B2J\x7Fa\\b\u{202E}txt'"#), "\(lastError())")
    }

    @Test func invalidUTF8IsRefusedAndShownAsBytes() {
        #expect(train(activation: Array("relu".utf8) + [0xFF, 0xC3]) == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError() == #"mlp_train_classifier: activation is not valid UTF-8: 'relu\xFF\xC3'"#)
        var model: OpaquePointer?
        let path: [UInt8] = Array("/tmp/model-".utf8) + [0xE2, 0x28, 0xA1, 0]
        let status = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { mlpModelLoad($0.baseAddress, &model) }
        }
        #expect(status == MLP_ERROR_INVALID_ARGUMENT)
        #expect(lastError().hasSuffix(#"'/tmp/model-\xE2(\xA1'"#), "\(lastError())")
    }

    @Test func aLongPathIsCut() {
        let path = "/nonexistent/" + String(repeating: "a", count: 4987) + "\u{1B}[2J"
        var model: OpaquePointer?
        #expect(mlpModelLoad(path, &model) == MLP_ERROR_IO)
        let message = lastError()
        #expect(message.count < 400, "\(message.count) characters")
        #expect(message.contains("… (5004 bytes): cannot read"), "\(message)")
        #expect(isPrintable(messageBytes()))
    }

    /// A control sequence inside a model file (the library quotes its `format` entry) is
    /// escaped too, though it is no argument of the call.
    @Test func controlCharactersFromAFileAreEscaped() throws {
        try withTemporaryDirectory("capi-messages") { directory in
            let header = Array(#"{"__metadata__":{"format":"\u001b]0;pwned\u0007"}}"#.utf8)
            var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
            bytes += header
            try writeBytes(bytes, to: directory + "/odd.safetensors")
            var model: OpaquePointer?
            #expect(mlpModelLoad(directory + "/odd.safetensors", &model) == MLP_ERROR_FORMAT)
            #expect(isPrintable(messageBytes()), "\(lastError())")
            // The library escapes what it quotes from the file (`\u{1b}`) before the C layer sees it.
            #expect(lastError().contains(#"\u{1b}]0;pwned\u{7}"#), "\(lastError())")
        }
    }

    @Test func excerptsAndSanitizing() {
        #expect(ErrorText.excerpt(Array("plain/path.safetensors".utf8)) == "plain/path.safetensors")
        #expect(ErrorText.excerpt([0x61, 0x00, 0x1B, 0x5C, 0xC2, 0x85, 0xFF, 0x62]) == #"a\x00\x1B\\\x85\xFFb"#)
        #expect(ErrorText.excerpt(Array("\u{200B}\u{2028}é".utf8)) == #"\u{200B}\u{2028}é"#)
        let long = ErrorText.excerpt([UInt8](repeating: 0x1B, count: 100))
        #expect(long == String(repeating: #"\x1B"#, count: 50) + "… (100 bytes)")
        #expect(!ErrorText.needsExcerpt("relu") && ErrorText.needsExcerpt("a\u{7}") && ErrorText.needsExcerpt("a\\b"))
        #expect(ErrorText.sanitized("model x\u{1B}y: bad\nline", quoting: []) == #"model x\x1By: bad\x0Aline"#)
        let quoted = "c:\\\u{1B}"
        #expect(ErrorText.sanitized("file \(quoted) is \u{1B}", quoting: [quoted]) == #"file c:\\\x1B is \x1B"#)
        #expect(ErrorText.sanitized(String(repeating: "m", count: 3000), quoting: []).count < 2100)
    }
}
