/// Escaping for text placed in XML, SVG, HTML and Markdown documents.
///
/// Every string that reaches a generated document (titles, class names, table cells, file names)
/// passes through one of these functions, so a label such as `T-shirt/top <1> & "co"` can never
/// break the document's structure.
public enum Markup {
    /// Escapes `text` for XML/HTML character data and attribute values.
    ///
    /// Replaces `&`, `<`, `>`, `"` and `'` by entities that XML and HTML both know
    /// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`), and replaces characters that XML 1.0 forbids
    /// (control characters other than tab, line feed and carriage return) by U+FFFD.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                result.unicodeScalars.append(isAllowedInXML(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return result
    }

    /// Escapes `text` for a GitHub Markdown table cell or paragraph.
    ///
    /// Backslash-escapes the characters Markdown treats as syntax (`\ ` `` ` `` `* _ [ ] | < >`),
    /// so the text shows literally, and folds line breaks into spaces so a cell stays on its row.
    public static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "<", ">", "#":
                result.append("\\")
                result.append(character)
            case "\n", "\r", "\r\n":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    /// Whether XML 1.0 allows `scalar` in a document: tab, line feed, carriage return, and
    /// everything from U+0020 except the non-characters U+FFFE and U+FFFF.
    static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
