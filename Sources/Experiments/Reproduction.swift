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
///
/// Each finished section is saved in the directory's `sections/` (see `SavedSections`), so an
/// interrupted run can be resumed (``run(outputDirectory:resume:sectionFinished:sectionReused:)``
/// with `resume`): the sections saved by the earlier process are reused, with their durations, the
/// others run, and the report is the one an uninterrupted run writes, but for the total time and
/// the date. Sections saved as skipped run again (their data may have arrived since).
///
/// In a distributed run, rank 0 alone writes, decides which sections are reused and tells the
/// other ranks; they take part only in the sections whose fits are spread over the ranks (B and
/// C3) and return only those.
public struct Reproduction: Sendable {
    /// What the run produced (on a rank other than 0 of a distributed run, only the sections it
    /// took part in).
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

    /// The keys of the sections, in the order they run.
    public static let sectionKeys = [TheorySection.key, ScratchSection.key] + FashionSections.keys

    /// The sections whose fits are spread over the ranks of a distributed run; every rank runs them.
    static let sharedSectionKeys: Set = [ScratchSection.key, GridSearchSection.key]

    /// This run's identity: what must match for it to resume another.
    public var identity: Identity { Identity(context: context, toolVersion: toolVersion) }

    /// Runs every section, saving each and calling `sectionFinished` after it, and writes the report
    /// into `outputDirectory` (nowhere when it is nil: the other ranks of a distributed run, which
    /// share the fits of sections B and C3 with rank 0).
    ///
    /// With `resume`, continues the run that an earlier process started in `outputDirectory`: each
    /// section it saved is reused (and handed to `sectionReused` with its file) instead of run.
    /// `sectionFinished` runs after the section is saved, so a hook that throws stops the run as an
    /// interruption would.
    /// - Throws: ``ResumeError`` when `outputDirectory` holds no run to resume, the run's identity
    ///   differs from this one's or a saved file is corrupt; a `ReportingError` when a file cannot
    ///   be written; data errors of Fashion-MNIST (sections C1–C5 cannot run without it); and
    ///   whatever `sectionFinished` throws. In a distributed run, a `CommunicatorError` with rank
    ///   0's message when rank 0 cannot start or resume.
    public func run(
        outputDirectory: String?, resume: Bool = false, sectionFinished: (SectionResult) throws -> Void = { _ in },
        sectionReused: (_ section: SectionResult, _ file: String) -> Void = { _, _ in }
    ) throws -> Outcome {
        let started = MonotonicClock.seconds()
        let communicator = context.communicator
        precondition(!resume || outputDirectory != nil || communicator.rank != 0, "rank 0 resumes a run in its output directory")
        // Rank 0 opens the directory (and the earlier run); every rank learns whether it could.
        let opening = Result { try outputDirectory.map { path in try open(path, resume: resume) } }
        if communicator.size > 1 {
            var failure: String?
            if case .failure(let error) = opening { failure = "\(error)" }
            try communicator.agree(failure)
        }
        var output = try opening.get()
        var reused: [UInt8] = Self.sectionKeys.map { output?.reused[$0] == nil ? 0 : 1 }
        try communicator.broadcast(&reused, from: 0)
        let reusedKeys = Set(zip(Self.sectionKeys, reused).filter { $0.1 == 1 }.map(\.0))
        func runs(_ key: String) -> Bool {
            !reusedKeys.contains(key) && (communicator.rank == 0 || Self.sharedSectionKeys.contains(key))
        }

        var sections: [SectionResult] = []
        func finished(_ section: SectionResult, leaving carryOver: FashionSections.CarryOver? = nil) throws {
            if var opened = output {
                try section.writeFigures(to: &opened.directory)
                try opened.saved.save(section, leaving: carryOver)
                output = opened
            }
            sections.append(section)
            try sectionFinished(section)
        }
        // A section this rank does not run: rank 0 reuses the saved one; the other ranks leave it to rank 0.
        func passedOver(_ key: String) throws {
            guard var opened = output, let section = opened.reused[key] else { return }
            try section.writeFigures(to: &opened.directory)
            output = opened
            sections.append(section)
            sectionReused(section, opened.saved.path(ofSection: key))
        }

        if runs(TheorySection.key) {
            try finished(TheorySection.render(TheorySection.run(context)))
        } else {
            try passedOver(TheorySection.key)
        }
        if runs(ScratchSection.key) {
            let mnist = Result { () throws(DatasetError) in try ScratchSection.loadMNIST(context) }
            // A distributed run's ranks share section B's fits: it runs only when every rank has MNIST.
            let missing = try communicator.allgather([UInt8(mnist.isSuccess ? 1 : 0)]).firstIndex(of: 0)
            switch mnist {
            case .success(let data) where missing == nil:
                try finished(ScratchSection.render(try ScratchSection.run(context, data: data), context: context))
            case .success:
                try finished(ScratchSection.skipped(reason: "rank \(missing ?? 0) of the distributed run could not load MNIST"))
            case .failure(let error):
                try finished(ScratchSection.skipped(error))
            }
        } else {
            try passedOver(ScratchSection.key)
        }
        try FashionSections.run(context, runs: runs, restored: output?.restored ?? FashionSections.Restored(),
                                passedOver: passedOver, finished: finished)

        let total = MonotonicClock.seconds() - started
        guard var output else { return Outcome(sections: sections, totalSeconds: total, fileCount: 0) }
        let configuration = output.saved.record.configuration.map { ($0.key, $0.value) }
            + [("Date", ISO8601DateFormatter().string(from: Date()))]
        let commandLine = output.saved.record.commandLine
        let report = makeReport(sections: sections, configuration: configuration, commandLine: commandLine)
        try output.directory.write(report.html(), to: "report.html")
        try output.directory.write(report.markdown(), to: "report.md")
        try output.directory.writeJSON(Record(configuration: Self.record(configuration), totalSeconds: total,
                                           sections: sections.map(\.record)), to: "results.json")
        try output.directory.write(resultsMarkdown(sections: sections, commandLine: commandLine), to: "results.md")
        return Outcome(sections: sections, totalSeconds: total, fileCount: output.directory.writtenFiles.count)
    }

    /// The run's settings when it starts: command line, tool version, seeds, threads, cores, BLAS
    /// (the report adds the date when it ends).
    var startingConfiguration: [(key: String, value: String)] {
        [("Command", commandLine), ("Tool version", "mlp " + toolVersion)] + context.commonConfiguration
            + [("Cores", String(ProcessInfo.processInfo.activeProcessorCount)), ("BLAS", BLAS.configuration)]
    }

    /// `configuration` as a dictionary, for `results.json`.
    static func record(_ configuration: [(key: String, value: String)]) -> [String: String] {
        Dictionary(configuration.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// `results.md`: every section's tables and goals, or why it was skipped.
    func resultsMarkdown(sections: [SectionResult], commandLine: String) -> String {
        var text = "# Results of `\(commandLine)`\n\n"
        for section in sections {
            text += "## \(section.title)\n\n"
            if let skipped = section.skipped { text += "skipped: \(skipped)\n\n" }
            for table in section.tables { text += table.markdown() + "\n\n" }
            text += section.goals.map { "- " + $0.line }.joined(separator: "\n") + "\n\n"
        }
        return text
    }

    func makeReport(sections: [SectionResult], configuration: [(key: String, value: String)], commandLine: String) -> Report {
        let goals = sections.flatMap(\.goals)
        var summary = Report.Section(title: "Summary")
        summary.add(.paragraph("\(goals.filter(\.met).count) of \(goals.count) goals met."))
        var goalTable = Table(title: "Goals", headers: ["Section", "Goal", "Result", "Measured"],
                              alignments: [.left, .left, .left, .right])
        for section in sections {
            for goal in section.goals {
                goalTable.addRow([section.shortTitle, goal.goal, goal.met ? "met" : "NOT met", goal.measured])
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
