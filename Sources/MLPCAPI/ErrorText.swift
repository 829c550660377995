import Foundation

/// Makes the messages of `mlp_last_error()` safe to print: text that came from the caller or from
/// a file cannot move a terminal's cursor, change its colours or end the line, and a long path
/// does not flood a log.
///
/// - A quoted input (a C string argument: a path, an activation name) is shown as an excerpt:
///   control characters, backslashes and bytes that are not UTF-8 escaped, and cut after
///   ``excerptLength`` characters with an ellipsis and its length in bytes.
/// - In the rest of the message (which may quote a file's contents through the library's errors),
///   every control character is escaped; the whole message is cut after ``messageLength``.
///
/// Escapes: `\xNN` for NUL, the other C0 controls, DEL, the C1 controls (U+0080…U+009F) and each
/// byte of invalid UTF-8; `\u{NNNN}` for Unicode's line and paragraph separators and its
/// bidirectional and other invisible format characters (category Cf: U+200B…U+200F,
/// U+202A…U+202E, U+2066…U+2069, U+FEFF, …); `\\` for a backslash inside an excerpt.
enum ErrorText {
    static let excerptLength = 200
    static let messageLength = 2000

    /// `message` with each of `inputs` (as it appears in it) replaced by its excerpt, every other
    /// control character escaped, and cut after ``messageLength`` characters.
    static func sanitized(_ message: String, quoting inputs: [String]) -> String {
        var text = message
        for input in Set(inputs).sorted(by: { $0.utf8.count > $1.utf8.count }) where !input.isEmpty {
            text = text.replacingOccurrences(of: input, with: excerpt(Array(input.utf8)), options: .literal)
        }
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = escape(scalar) ?? String(scalar)
            if count + piece.count > messageLength {
                result += "… (message cut at \(messageLength) characters)"
                break
            }
            result += piece
            count += piece.count
        }
        return result
    }

    /// Whether `text` would appear in a message differently from itself: too long, or with a
    /// character that is escaped.
    static func needsExcerpt(_ text: String) -> Bool {
        text.unicodeScalars.count > excerptLength || text.unicodeScalars.contains { $0 == "\\" || escape($0) != nil }
    }

    /// The UTF-8 bytes of a quoted input as printable text: valid characters as they are, except
    /// the escaped ones; each byte of an invalid sequence as `\xNN`; cut after ``excerptLength``
    /// characters of the result.
    static func excerpt(_ bytes: [UInt8]) -> String {
        var result = ""
        var count = 0
        var position = 0
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        func append(_ piece: String) -> Bool {
            guard count + piece.count <= excerptLength else { return false }
            result += piece
            count += piece.count
            return true
        }
        parsing: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                let piece = scalar == "\\" ? "\\\\" : escape(scalar) ?? String(scalar)
                guard append(piece) else { break parsing }
                position += encoded.count
            case .error(let length):
                for byte in bytes[position..<position + length] {
                    guard append(byteEscape(byte)) else { break parsing }
                }
                position += length
            case .emptyInput:
                return result
            }
        }
        return result + "… (\(bytes.count) bytes)"
    }

    /// The escape of `scalar`, or nil when it is shown as it is.
    static func escape(_ scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return byteEscape(UInt8(value)) }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator:
            return "\\u{" + String(value, radix: 16, uppercase: true) + "}"
        default:
            return nil
        }
    }

    private static func byteEscape(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
