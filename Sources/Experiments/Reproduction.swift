import Datasets
import Foundation
import LinearAlgebra
import Reporting
import MLPCore

/// `mlp reproduce`: runs sections A, B and C1–C5 in order, then writes `report.html`,
/// `report.md`, `results.json`, `results.md` and every figure into one directory.
///
/// A section that cannot run because its data is missing (MNIST, say) becomes a "skipped" section
/// that says how to get the data; the others still run.
public struct Reproduction: Sendable {
    /// What the run produced.
    public struct Outcome: Sendable {
        public var sections: [SectionResult]
        public var goals: [GoalCheck] { sections.flatMap(\.goals) }
        public var totalSeconds: Double
        public var fileCount: Int
    }

    public var context: ExperimentContext
    public var toolVersion, commandLine: String

    public init(context: ExperimentContext, toolVersion: String, commandLine: String) {
        (self.context, self.toolVersion, self.commandLine) = (context, toolVersion, commandLine)
    }

    /// Runs every section, calling `sectionFinished` after each, and writes the report into
    /// `outputDirectory` (nowhere when it is nil: the other ranks of a distributed run, which share
    /// the fits of sections B and C3 with rank 0).
    /// - Throws: a `ReportingError` when a file cannot be written, and data errors of Fashion-MNIST
    ///   (sections C1–C5 cannot run without it).
    public func run(
        outputDirectory: String?, sectionFinished: (SectionResult) -> Void = { _ in }
    ) throws -> Outcome {
        let started = MonotonicClock.seconds()
        var directory = try outputDirectory.map { path throws(ReportingError) in try RunDirectory(path: path) }
        var sections: [SectionResult] = []
        func finished(_ section: SectionResult) throws {
            sections.append(section)
            if directory != nil { try section.writeFigures(to: &directory!) }
            sectionFinished(section)
        }

        try finished(TheorySection.render(TheorySection.run(context)))
        let mnist = Result { () throws(DatasetError) in try ScratchSection.loadMNIST(context) }
        // A distributed run's ranks share section B's fits: it runs only when every rank has MNIST.
        let missing = try context.communicator.allgather([UInt8(mnist.isSuccess ? 1 : 0)]).firstIndex(of: 0)
        switch mnist {
        case .success(let data) where missing == nil:
            try finished(ScratchSection.render(try ScratchSection.run(context, data: data), context: context))
        case .success:
            try finished(ScratchSection.skipped(reason: "rank \(missing ?? 0) of the distributed run could not load MNIST"))
        case .failure(let error):
            try finished(ScratchSection.skipped(error))
        }
        try FashionSections.run(context, finished: finished)

        let total = MonotonicClock.seconds() - started
        guard var directory else { return Outcome(sections: sections, totalSeconds: total, fileCount: 0) }
        let report = makeReport(sections: sections)
        try directory.write(report.html(), to: "report.html")
        try directory.write(report.markdown(), to: "report.md")
        try directory.writeJSON(Record(configuration: configurationRecord, totalSeconds: total,
                                       sections: sections.map(\.record)), to: "results.json")
        try directory.write(resultsMarkdown(sections: sections), to: "results.md")
        return Outcome(sections: sections, totalSeconds: total, fileCount: directory.writtenFiles.count)
    }

    /// The run's settings: seeds, threads, BLAS, tool version.
    var configuration: [(key: String, value: String)] {
        [("Command", commandLine), ("Tool version", "mlp " + toolVersion)] + context.commonConfiguration
            + [("Cores", String(ProcessInfo.processInfo.activeProcessorCount)), ("BLAS", BLAS.configuration),
               ("Date", ISO8601DateFormatter().string(from: Date()))]
    }

    var configurationRecord: [String: String] {
        Dictionary(configuration.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// `results.md`: every section's tables and goals, or why it was skipped.
    func resultsMarkdown(sections: [SectionResult]) -> String {
        var text = "# Results of `\(commandLine)`\n\n"
        for section in sections {
            text += "## \(section.title)\n\n"
            if let skipped = section.skipped { text += "skipped: \(skipped)\n\n" }
            for table in section.tables { text += table.markdown() + "\n\n" }
            text += section.goals.map { "- " + $0.line }.joined(separator: "\n") + "\n\n"
        }
        return text
    }

    func makeReport(sections: [SectionResult]) -> Report {
        let goals = sections.flatMap(\.goals)
        var summary = Report.Section(title: "Summary")
        summary.add(.paragraph("\(goals.filter(\.met).count) of \(goals.count) goals met."))
        var goalTable = Table(title: "Goals", headers: ["Section", "Goal", "Result", "Measured"],
                              alignments: [.left, .left, .left, .right])
        for section in sections {
            for goal in section.goals {
                goalTable.addRow([section.title.split(separator: ".").first.map(String.init) ?? section.key, goal.goal,
                                  goal.met ? "met" : "NOT met", goal.measured])
            }
            if let skipped = section.skipped { goalTable.addRow([section.key, "section ran", "skipped", skipped]) }
        }
        summary.add(.table(goalTable))
        var durations = Table(title: "Duration of each section", headers: ["Section", "Duration"], alignments: [.left, .right])
        for section in sections { durations.addRow([section.title, NumberFormat.duration(seconds: section.duration)]) }
        summary.add(.table(durations))
        return Report(
            title: "MLP assignment, reproduced" + (context.quick ? " (quick)" : ""),
            subtitle: commandLine, configuration: configuration,
            sections: [summary] + sections.map { $0.reportSection() })
    }

    struct Record: Encodable {
        var configuration: [String: String]
        var totalSeconds: Double
        var sections: [SectionRecord]
    }
}

private extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
