import Reporting
import MLPCore

/// What one section of the assignment produced: text, tables and figures in reading order, the
/// goals it checked, its configuration and its key numbers. Both the section's own subcommand and
/// `mlp reproduce` render it (``reportSection()``, ``terminalText()``, ``write(to:command:)``), so the
/// two never differ.
public struct SectionResult: Sendable {
    /// A short name used for file names and JSON keys, e.g. `"activations"`.
    public var key: String
    /// The section heading, e.g. "C2. Activation functions (Fashion-MNIST)".
    public var title: String
    /// Paragraphs, tables and figures in order.
    public var blocks: [Report.Block]
    /// The goals and whether they held.
    public var goals: [GoalCheck]
    /// The settings the section ran with.
    public var configuration: [(key: String, value: String)]
    /// Key numbers by name (accuracies, losses, seconds), for `results.json`.
    public var numbers: [String: Double]
    /// Why the section did not run (say, MNIST is missing), or nil.
    public var skipped: String?
    /// Seconds the section took.
    public var duration: Double

    /// An empty result for the section `key`.
    public init(key: String, title: String) {
        self.key = key
        self.title = title
        blocks = []
        goals = []
        configuration = []
        numbers = [:]
        skipped = nil
        duration = 0
    }

    /// A section drawn by `draw` from the results of a run that took `runSeconds`; its duration is
    /// the run's seconds plus the drawing's.
    static func drawn(
        key: String, title: String, runSeconds: Double, _ draw: (inout SectionResult) -> Void
    ) -> SectionResult {
        let started = MonotonicClock.seconds()
        var result = SectionResult(key: key, title: title)
        draw(&result)
        result.duration = runSeconds + (MonotonicClock.seconds() - started)
        return result
    }

    /// A section that did not run, saying why and what to do.
    public static func skipped(key: String, title: String, reason: String) -> SectionResult {
        var result = SectionResult(key: key, title: title)
        result.skipped = reason
        result.blocks = [.paragraph("skipped: " + reason)]
        return result
    }

    /// The part of the title before its first full stop ("C2" of "C2. Activation functions"): the
    /// whole title when it has none, the key when it is empty.
    public var shortTitle: String {
        title.split(separator: ".").first.map(String.init) ?? key
    }

    /// The section's tables, in order.
    public var tables: [Table] {
        blocks.compactMap { if case .table(let table) = $0 { return table } else { return nil } }
    }

    /// The section's figures, in order.
    public var figures: [Report.Figure] {
        blocks.compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } }
    }

    mutating func add(_ block: Report.Block) { blocks.append(block) }
    mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    mutating func table(_ table: Table) { blocks.append(.table(table)) }
    mutating func figure(svg: String, fileName: String, caption: String) {
        blocks.append(.figure(Report.Figure(svg: svg, fileName: fileName, caption: caption)))
    }
    mutating func figure(png: PNGImage, fileName: String, caption: String) {
        blocks.append(.figure(Report.Figure(png: png, fileName: fileName, caption: caption)))
    }
    mutating func check(_ goal: String, met: Bool, measured: String) {
        goals.append(GoalCheck(goal: goal, met: met, measured: measured))
    }

    /// The section for a report: its blocks, then the goals and the configuration.
    public func reportSection() -> Report.Section {
        var section = Report.Section(title: title, duration: duration, blocks: blocks)
        if !goals.isEmpty {
            section.add(.heading("Goals"))
            section.add(.list(goals.map(\.line)))
        }
        if !configuration.isEmpty {
            section.add(.heading("Configuration"))
            section.add(.keyValues(configuration))
        }
        return section
    }

    /// The section as terminal text: the heading, paragraphs, box-drawn tables, figure file
    /// names, goals and duration.
    public func terminalText() -> String {
        var lines = ["", "== " + title + " ==", ""]
        for block in blocks {
            switch block {
            case .paragraph(let text): lines += [text, ""]
            case .heading(let text): lines += ["-- " + text + " --", ""]
            case .list(let items): lines += items.map { "  • " + $0 } + [""]
            case .preformatted(let text): lines += [text, ""]
            case .table(let table): lines += [String(table.plainText().dropLast(table.plainText().hasSuffix("\n") ? 1 : 0)), ""]
            case .figure(let figure): lines += ["[figure] \(figure.fileName): \(figure.caption)", ""]
            case .keyValues(let pairs): lines += pairs.map { "  \($0.key): \($0.value)" } + [""]
            }
        }
        lines += goals.map(\.line)
        lines.append("(\(NumberFormat.duration(seconds: duration)))")
        return lines.joined(separator: "\n")
    }

    /// The machine-readable form written to `results.json`.
    public var record: SectionRecord {
        SectionRecord(
            key: key, title: title, skipped: skipped, durationSeconds: duration,
            configuration: Dictionary(configuration.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }),
            numbers: numbers, goals: goals,
            tables: tables.map { SectionRecord.TableRecord(title: $0.title, headers: $0.headers, rows: $0.rows) },
            files: figures.map(\.fileName))
    }

    /// Writes the section's figures, `results.json` and `results.md` into `directory`.
    public func write(to directory: inout RunDirectory, command: String) throws(ReportingError) {
        try writeFigures(to: &directory)
        try directory.writeJSON(record, to: "results.json")
        let report = Report(title: title, subtitle: command, sections: [reportSection()])
        try directory.write(report.markdown(), to: "results.md")
    }

    /// Writes each figure under its file name.
    public func writeFigures(to directory: inout RunDirectory) throws(ReportingError) {
        for figure in figures {
            switch figure.content {
            case .svg(let text): try directory.write(text, to: figure.fileName)
            case .png(let bytes): try directory.write(bytes, to: figure.fileName)
            }
        }
    }
}

/// The JSON form of a ``SectionResult``.
public struct SectionRecord: Sendable, Codable {
    /// A table as its title, headers and rows of cells.
    public struct TableRecord: Sendable, Codable {
        public var title: String
        public var headers: [String]
        public var rows: [[String]]
    }

    public var key: String
    public var title: String
    public var skipped: String?
    public var durationSeconds: Double
    public var configuration: [String: String]
    public var numbers: [String: Double]
    public var goals: [GoalCheck]
    public var tables: [TableRecord]
    public var files: [String]
}
