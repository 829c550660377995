/// Estimates of how wide a line of text renders, used to lay out labels and legends without a
/// font engine.
///
/// The widths are those of a typical proportional sans-serif (Helvetica, Arial, DejaVu Sans,
/// system-ui) in ems, slightly generous so labels never overlap.
enum TextMetrics {
    /// The estimated width of `text` at font size `size`.
    static func width(of text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            ems += characterWidth(character)
        }
        return ems * size
    }

    /// The width of `character` in ems.
    static func characterWidth(_ character: Character) -> Double {
        switch character {
        case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "ı": return 0.3
        case " ", "f", "t", "r", "I", "(", ")", "[", "]", "/", "-": return 0.36
        case "m", "w", "M", "W", "@", "%": return 0.9
        case "0"..."9": return 0.6
        case "A"..."Z": return 0.7
        case "a"..."z": return 0.57
        default: return character.isASCII ? 0.6 : 0.75
        }
    }

    /// The x at which to centre a title of width `titleWidth` near `preferredCenter` so that it
    /// stays inside `0...totalWidth` with `margin` on both sides.
    static func centeredPosition(
        preferredCenter: Double, titleWidth: Double, totalWidth: Double, margin: Double = 8
    ) -> Double {
        let half = titleWidth / 2
        return min(max(preferredCenter, margin + half), max(totalWidth - margin - half, margin + half))
    }

    /// `text` shortened with a trailing ellipsis so it fits in `maximumWidth` at font size `size`.
    static func truncate(_ text: String, toWidth maximumWidth: Double, size: Double) -> String {
        if width(of: text, size: size) <= maximumWidth { return text }
        var result = ""
        var used = characterWidth("…") * size
        for character in text {
            let next = characterWidth(character) * size
            if used + next > maximumWidth { break }
            used += next
            result.append(character)
        }
        return result + "…"
    }
}
