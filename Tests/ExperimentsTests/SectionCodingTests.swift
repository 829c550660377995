@testable import Experiments
import Foundation
import Reporting
import Testing
import TestSupport

/// A section saved as JSON and read back is the same section: same blocks, goals, configuration
/// order, numbers (to the bit, NaN and infinity included) and duration, and the same terminal
/// text, Markdown and HTML.
@Suite struct SectionCodingTests {
    /// A section with every kind of block, an SVG and a PNG figure, and awkward numbers.
    static func everyKindOfBlock() -> SectionResult {
        var section = SectionResult(key: "activations", title: "C2. Activation functions <Fashion-MNIST> & \"more\"")
        let chart = LineChart(title: "Loss", xLabel: "Epoch", yLabel: "Loss",
                              series: [.init(name: "train", values: [2, 1, 0.5]), .init(name: "val", values: [2.1, 1.2, 0.7])])
        let image = PNGImage(width: 3, height: 2, intensities: [0, 0.25, 0.5, 0.75, 1, 0.125])
        section.blocks = [
            .heading("Set-up"),
            .paragraph("ReLU converges fastest. <script>alert(1)</script> | pipes | and `ticks`"),
            .list(["one", "two & three", ""]),
            .preformatted("  indented\n```\nfenced\n"),
            .table(Table(title: "Accuracy", headers: ["Model", "Accuracy", "Note"], alignments: [.left, .right, .center],
                         rows: [["relu (64)", "97.31%", "—"], ["tanh", "96.10%", "a | b"]])),
            .figure(Report.Figure(svg: chart.svg(), fileName: "activations-loss.svg", caption: "Loss per epoch")),
            .figure(Report.Figure(png: image, fileName: "figures/samples.png", caption: "Samples", alternativeText: "six pixels")),
            .keyValues([("Seed", "42"), ("Activations", "logistic, tanh"), ("Batch", "256")]),
        ]
        section.goals = [GoalCheck(goal: "relu ≥ 0.85 validation accuracy", met: true, measured: "0.861"),
                         GoalCheck(goal: "identity ≥ 0.9", met: false, measured: "0.5")]
        section.configuration = [("Seed", "42"), ("Quick", "no"), ("Epochs", "100"), ("Activations", "four")]
        section.numbers = ["relu.validationAccuracy": 0.861, "third": 1.0 / 3, "tiny": .leastNonzeroMagnitude,
                           "diverged.loss": .nan, "overflow": .infinity, "underflow": -.infinity, "big": 1.234_567_890_123_456_7e300]
        section.duration = 72.123_456_789_012_34
        return section
    }

    /// `section` written by `SavedSections` and read back.
    func savedAndRead(_ section: SectionResult, in directory: String) throws -> SectionResult {
        let saved = SavedSections(path: directory, record: Reproduction.RunRecord(
            identity: Reproduction.Identity(context: ExperimentContext(), toolVersion: "test"), commandLine: "", configuration: []))
        try saved.save(section, leaving: nil)
        let sections = try saved.finishedSections(keys: [section.key])
        if section.skipped != nil { #expect(sections.isEmpty, "a skipped section is not reused") }
        return try SavedSections.decode(SectionResult.self, from: saved.path(ofSection: section.key), remedy: "")
    }

    @Test func everyKindOfBlockRoundTrips() throws {
        try withTemporaryDirectory("section-coding") { directory in
            let section = Self.everyKindOfBlock()
            let decoded = try savedAndRead(section, in: directory)
            #expect(decoded.key == section.key && decoded.title == section.title)
            #expect(decoded.blocks == section.blocks)
            #expect(decoded.goals == section.goals)
            #expect(decoded.configuration.map(\.key) == ["Seed", "Quick", "Epochs", "Activations"])
            #expect(decoded.configuration.map(\.value) == section.configuration.map(\.value))
            #expect(decoded.numbers.mapValues(\.bitPattern) == section.numbers.mapValues(\.bitPattern))
            #expect(decoded.skipped == nil)
            #expect(decoded.duration.bitPattern == section.duration.bitPattern)
            #expect(decoded.figures.map(\.content) == section.figures.map(\.content))

            #expect(decoded.terminalText() == section.terminalText())
            let original = Report(title: "t", subtitle: "s", sections: [section.reportSection()])
            let read = Report(title: "t", subtitle: "s", sections: [decoded.reportSection()])
            #expect(read.markdown() == original.markdown())
            #expect(read.html() == original.html())
            #expect(try RunDirectory.json(decoded) == RunDirectory.json(section), "encoding the decoded section changes it")
        }
    }

    @Test func skippedSectionRoundTripsAndIsNotReused() throws {
        try withTemporaryDirectory("section-coding") { directory in
            var section = SectionResult.skipped(key: "scratch", title: "B. MNIST from scratch", reason: "MNIST is missing: set MNIST_DIR")
            section.duration = 0.25
            let decoded = try savedAndRead(section, in: directory)
            #expect(decoded.skipped == "MNIST is missing: set MNIST_DIR")
            #expect(decoded.blocks == [.paragraph("skipped: MNIST is missing: set MNIST_DIR")])
            #expect(decoded.terminalText() == section.terminalText())
        }
    }
}
