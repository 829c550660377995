/// The content of a report, independent of its format: a title, a configuration block and
/// sections of paragraphs, tables and figures. Render it with ``html()`` (one self-contained
/// file) or ``markdown()`` (figures referenced by file name).
///
///     var report = Report(title: "MLP experiments", configuration: [("Epochs", "50"), ("Seed", "42")])
///     var section = Report.Section(title: "Activation functions", duration: 83.2)
///     section.add(.paragraph("ReLU converges fastest."))
///     section.add(.table(accuracyTable))
///     section.add(.figure(.init(svg: chart.svg(), fileName: "loss.svg", caption: "Loss per epoch")))
///     report.sections.append(section)
///     try directory.write(report.html(), to: "report.html")
public struct Report: Sendable {
    /// A figure: an SVG drawing or a PNG image with a caption.
    public struct Figure: Sendable, Equatable {
        /// What the figure shows.
        public enum Content: Sendable, Equatable {
            /// An SVG document (inlined into HTML).
            case svg(String)
            /// The bytes of a PNG file (embedded into HTML as a `data:` URI).
            case png([UInt8])
        }

        /// The drawing or image.
        public var content: Content
        /// The file the figure is saved as, relative to the report (Markdown links to it).
        public var fileName: String
        /// The caption under the figure; empty for none.
        public var caption: String
        /// The text for readers who cannot see the image; the caption when empty.
        public var alternativeText: String

        /// A figure of `content`.
        public init(content: Content, fileName: String, caption: String = "", alternativeText: String = "") {
            self.content = content
            self.fileName = fileName
            self.caption = caption
            self.alternativeText = alternativeText
        }

        /// A figure of an SVG document, such as ``LineChart/svg()``.
        public init(svg: String, fileName: String, caption: String = "", alternativeText: String = "") {
            self.init(content: .svg(svg), fileName: fileName, caption: caption, alternativeText: alternativeText)
        }

        /// A figure of a PNG image.
        public init(png: PNGImage, fileName: String, caption: String = "", alternativeText: String = "") {
            self.init(content: .png(png.encoded()), fileName: fileName, caption: caption,
                      alternativeText: alternativeText)
        }

        /// The alternative text, falling back to the caption and then the file name.
        var altText: String {
            !alternativeText.isEmpty ? alternativeText : !caption.isEmpty ? caption : fileName
        }
    }

    /// One piece of a section's content. Two blocks are equal when they are of the same kind with
    /// equal content (key–value pairs in the same order).
    public enum Block: Sendable, Equatable {
        /// A paragraph of plain text.
        case paragraph(String)
        /// A sub-heading inside the section.
        case heading(String)
        /// A bulleted list of plain-text items.
        case list([String])
        /// Monospaced text kept as is (say, a command line or a terminal table).
        case preformatted(String)
        /// A table, numbered "Table n" in the report.
        case table(Table)
        /// A figure, numbered "Figure n" in the report.
        case figure(Figure)
        /// Settings as key–value pairs.
        case keyValues([(key: String, value: String)])

        public static func == (left: Block, right: Block) -> Bool {
            switch (left, right) {
            case (.paragraph(let first), .paragraph(let second)),
                 (.heading(let first), .heading(let second)),
                 (.preformatted(let first), .preformatted(let second)):
                return first == second
            case (.list(let first), .list(let second)): return first == second
            case (.table(let first), .table(let second)): return first == second
            case (.figure(let first), .figure(let second)): return first == second
            case (.keyValues(let first), .keyValues(let second)):
                return first.map(\.key) == second.map(\.key) && first.map(\.value) == second.map(\.value)
            default: return false
            }
        }
    }

    /// A titled part of the report.
    public struct Section: Sendable {
        /// The heading.
        public var title: String
        /// How long the section's work took, in seconds; shown beside the heading and in the
        /// table of contents.
        public var duration: Double?
        /// The content, in order.
        public var blocks: [Block]

        /// A section titled `title`.
        public init(title: String, duration: Double? = nil, blocks: [Block] = []) {
            self.title = title
            self.duration = duration
            self.blocks = blocks
        }

        /// Appends `block`.
        public mutating func add(_ block: Block) { blocks.append(block) }
    }

    /// The document title.
    public var title: String
    /// A line under the title (say, the command that produced the report); empty for none.
    public var subtitle: String
    /// Settings of the whole run, shown before the sections.
    public var configuration: [(key: String, value: String)]
    /// The sections, in order.
    public var sections: [Section]

    /// A report titled `title`.
    public init(
        title: String, subtitle: String = "", configuration: [(key: String, value: String)] = [],
        sections: [Section] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.configuration = configuration
        self.sections = sections
    }

    /// The sum of the sections' durations, or `nil` when no section has one.
    public var totalDuration: Double? {
        let durations = sections.compactMap(\.duration)
        return durations.isEmpty ? nil : durations.reduce(0, +)
    }

    /// The title of the configuration block in both formats.
    static let configurationTitle = "Configuration"

    /// An anchor for each section (and the configuration block first, when there is one), made
    /// as GitHub makes heading anchors: lower case, letters, digits, `-` and `_` kept, spaces
    /// turned into `-`, everything else dropped; repeats get `-1`, `-2`, …
    func anchors() -> (configuration: String?, sections: [String]) {
        // "Contents" is a heading of its own in both formats.
        var used = ["contents": 1]
        func unique(_ title: String) -> String {
            var slug = ""
            for character in title.lowercased() {
                if character.isLetter || character.isNumber || character == "-" || character == "_" {
                    slug.append(character)
                } else if character == " " {
                    slug.append("-")
                }
            }
            if slug.isEmpty { slug = "section" }
            if let count = used[slug] {
                used[slug] = count + 1
                let candidate = "\(slug)-\(count)"
                used[candidate] = 1
                return candidate
            }
            used[slug] = 1
            return slug
        }
        let configuration = self.configuration.isEmpty ? nil : unique(Self.configurationTitle)
        return (configuration, sections.map { unique($0.title) })
    }
}
