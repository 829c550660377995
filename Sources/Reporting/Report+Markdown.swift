extension Report {
    /// The report as GitHub-flavoured Markdown with the same content as ``html()``. Figures are
    /// linked by their ``Figure/fileName`` (relative to the Markdown file), so write the figure
    /// files beside it; tables become pipe tables and all text is escaped.
    public func markdown() -> String {
        let (configurationAnchor, sectionAnchors) = anchors()
        var lines = ["# " + Markup.escapeMarkdown(title), ""]
        if !subtitle.isEmpty { lines += [Markup.escapeMarkdown(subtitle), ""] }
        var summary = ["\(sections.count) section\(sections.count == 1 ? "" : "s")"]
        if let totalDuration { summary.append("total time " + NumberFormat.duration(seconds: totalDuration)) }
        lines += ["*" + summary.joined(separator: " · ") + "*", ""]

        if configurationAnchor != nil || !sections.isEmpty {
            lines += ["## Contents", ""]
            var number = 1
            if let configurationAnchor {
                lines.append("\(number). [\(Self.configurationTitle)](#\(configurationAnchor))")
                number += 1
            }
            for (section, anchor) in zip(sections, sectionAnchors) {
                var line = "\(number). [\(Markup.escapeMarkdown(section.title))](#\(anchor))"
                if let duration = section.duration { line += " — " + NumberFormat.duration(seconds: duration) }
                lines.append(line)
                number += 1
            }
            lines.append("")
        }

        if configurationAnchor != nil {
            lines += ["## \(Self.configurationTitle)", "", Self.keyValueMarkdown(configuration)]
        }

        var tableNumber = 0
        var figureNumber = 0
        for section in sections {
            lines += ["## " + Markup.escapeMarkdown(section.title), ""]
            if let duration = section.duration {
                lines += ["*Duration: \(NumberFormat.duration(seconds: duration))*", ""]
            }
            for block in section.blocks {
                switch block {
                case .paragraph(let paragraph):
                    lines += [Markup.escapeMarkdown(paragraph), ""]
                case .heading(let heading):
                    lines += ["### " + Markup.escapeMarkdown(heading), ""]
                case .list(let items):
                    lines += items.map { "- " + Markup.escapeMarkdown($0) } + [""]
                case .preformatted(let content):
                    let fence = content.contains("```") ? "~~~~" : "```"
                    lines += [fence + "text", content.hasSuffix("\n") ? String(content.dropLast()) : content, fence, ""]
                case .keyValues(let pairs):
                    lines.append(Self.keyValueMarkdown(pairs))
                case .table(let table):
                    tableNumber += 1
                    var caption = "**Table \(tableNumber).**"
                    if !table.title.isEmpty { caption += " " + Markup.escapeMarkdown(table.title) }
                    var untitled = table
                    untitled.title = ""
                    lines += [caption, "", untitled.markdown()]
                case .figure(let figure):
                    figureNumber += 1
                    lines.append("![\(Markup.escapeMarkdown(figure.altText))](\(Self.linkTarget(figure.fileName)))")
                    lines.append("")
                    var caption = "*Figure \(figureNumber).*"
                    if !figure.caption.isEmpty { caption += " " + Markup.escapeMarkdown(figure.caption) }
                    lines += [caption, ""]
                }
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    static func keyValueMarkdown(_ pairs: [(key: String, value: String)]) -> String {
        Table(headers: ["Setting", "Value"], rows: pairs.map { [$0.key, $0.value] }).markdown()
    }

    /// `fileName` percent-encoded for a Markdown link: unreserved characters and `/` stay,
    /// everything else (spaces, parentheses, non-ASCII) becomes `%XX` of its UTF-8 bytes.
    static func linkTarget(_ fileName: String) -> String {
        var result = ""
        for byte in fileName.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                result += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
            }
        }
        return result
    }
}
