@testable import Experiments
import Foundation
import NeuralNetwork
import Reporting
import Testing
import TestSupport

/// An interruption thrown by a `sectionFinished` hook.
private struct Interruption: Error {}

/// Resuming a reproduction: saved sections are reused (not run), the others run, and refusals are
/// one typed error before anything runs. These tests need no dataset: C1–C5 are saved by hand,
/// and the dataset directories are empty, so section B is skipped and loading Fashion-MNIST would
/// fail.
@Suite struct ResumeTests {
    /// A quick, single-threaded context with empty dataset directories under `root`.
    static func context(root: String, seed: UInt64 = 42) throws -> ExperimentContext {
        let empty = root + "/no-data"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        return ExperimentContext(seed: seed, quick: true, threads: 1, fashionDirectory: empty, mnistDirectory: empty,
                                 showsProgress: false, log: { _ in })
    }

    static func reproduction(_ context: ExperimentContext, directory: String) -> Reproduction {
        Reproduction(context: context, toolVersion: "test", commandLine: "mlp reproduce --quick --out \(directory)")
    }

    /// A run in `directory` that was started with `context` (by `processes` processes) and
    /// finished the sections `keys` of C1–C5, each with a paragraph, a table and a duration of
    /// 60 s and more.
    @discardableResult
    static func savedRun(
        in directory: String, context: ExperimentContext, processes: Int = 1, keys: [String] = FashionSections.keys
    ) throws -> [String: SectionResult] {
        let reproduction = reproduction(context, directory: directory)
        var identity = reproduction.identity
        identity.processes = processes
        let record = Reproduction.RunRecord(
            identity: identity, commandLine: reproduction.commandLine,
            configuration: reproduction.startingConfiguration.map { Setting(key: $0.key, value: $0.value) })
        let saved = try SavedSections.start(in: directory, record: record, sectionKeys: Reproduction.sectionKeys)
        var sections: [String: SectionResult] = [:]
        for (index, key) in FashionSections.keys.enumerated() where keys.contains(key) {
            var section = SectionResult(key: key, title: "C\(index + 1). Saved \(key)")
            section.paragraph("Computed by the earlier process.")
            section.table(Table(title: "Saved table \(index)", headers: ["Model", "Accuracy"], rows: [["relu", "0.8\(index)"]]))
            section.check("saved goal \(index)", met: true, measured: "0.8\(index)")
            section.duration = 60 + Double(index) + 0.5
            try saved.save(section, leaving: nil)
            sections[key] = section
        }
        return sections
    }

    @Test func resumeReusesSavedSectionsAndRunsTheOthers() throws {
        try withTemporaryDirectory("resume") { root in
            let directory = root + "/run"
            let context = try Self.context(root: root)
            let saved = try Self.savedRun(in: directory, context: context)
            var ran: [String] = [], reused: [(key: String, file: String)] = []
            let outcome = try Self.reproduction(context, directory: directory).run(outputDirectory: directory, resume: true) { section in
                ran.append(section.key)
            } sectionReused: { section, file in
                reused.append((section.key, file))
            }
            #expect(ran == [TheorySection.key, ScratchSection.key])
            #expect(reused.map(\.key) == FashionSections.keys)
            #expect(reused.map(\.file) == FashionSections.keys.map { directory + "/sections/\($0).json" })
            #expect(outcome.sections.map(\.key) == Reproduction.sectionKeys)
            for section in outcome.sections.dropFirst(2) {
                let original = try #require(saved[section.key])
                #expect(section.terminalText() == original.terminalText())
                #expect(section.duration == original.duration)
            }
            #expect(outcome.sections[1].skipped != nil, "section B has no MNIST here")

            // The report lists the saved sections with their saved durations.
            let report = try String(contentsOfFile: directory + "/report.md", encoding: .utf8)
            #expect(report.contains("Saved table 4") && report.contains("1 min 04 s"))
            let results = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
            #expect(results.hasPrefix("# Results of `mlp reproduce --quick --out \(directory)`"))

            // B was saved as skipped, so a second resume runs it again, and only it.
            ran = []
            _ = try Self.reproduction(context, directory: directory).run(outputDirectory: directory, resume: true) { section in
                ran.append(section.key)
            }
            #expect(ran == [ScratchSection.key])
        }
    }

    @Test func interruptedRunKeepsTheFinishedSectionsAndAFreshRunDropsThem() throws {
        try withTemporaryDirectory("resume") { root in
            let directory = root + "/run"
            let context = try Self.context(root: root)
            try Self.savedRun(in: directory, context: context)
            // A fresh run in the same directory: the earlier sections go, and the hook interrupts it after A.
            #expect(throws: Interruption.self) {
                try Self.reproduction(context, directory: directory).run(outputDirectory: directory) { _ in throw Interruption() }
            }
            #expect(fileNames(in: directory + "/sections") == ["run.json", "theory.json"])
            #expect(!FileManager.default.fileExists(atPath: directory + "/report.md"))

            // Resumed, A is reused and B runs (and is interrupted in its turn: Fashion-MNIST is missing here).
            var ran: [String] = [], reused: [String] = []
            #expect(throws: Interruption.self) {
                try Self.reproduction(context, directory: directory).run(outputDirectory: directory, resume: true) { section in
                    ran.append(section.key)
                    throw Interruption()
                } sectionReused: { section, _ in
                    reused.append(section.key)
                }
            }
            #expect(reused == [TheorySection.key] && ran == [ScratchSection.key])
            #expect(fileNames(in: directory + "/sections") == ["run.json", "scratch.json", "theory.json"])
        }
    }

    @Test func refusalsNameTheDirectoryOrFileAndRunNothing() throws {
        try withTemporaryDirectory("resume") { root in
            let directory = root + "/run"
            let context = try Self.context(root: root)
            var ran: [String] = []
            func resume(_ context: ExperimentContext, in path: String = directory) throws {
                _ = try Self.reproduction(context, directory: path).run(outputDirectory: path, resume: true) { ran.append($0.key) }
            }

            // No saved run: the directory is not even created.
            #expect(throws: ResumeError.notARunDirectory(path: root + "/absent")) { try resume(context, in: root + "/absent") }
            #expect(!FileManager.default.fileExists(atPath: root + "/absent"))

            try Self.savedRun(in: directory, context: context, keys: [VisualizeSection.key, ActivationsSection.key, AutoencoderSection.key])
            #expect(throws: ResumeError.optionsDiffer(path: directory, started: "--seed 42 --quick --threads 1",
                                                      given: "--seed 7 --quick --threads 1")) {
                try resume(try Self.context(root: root, seed: 7))
            }
            var other = context
            other.threads = 2
            #expect(throws: ResumeError.optionsDiffer(path: directory, started: "--seed 42 --quick --threads 1 (1 per run)",
                                                      given: "--seed 42 --quick --threads 2 (2 per run)")) {
                try resume(other)
            }

            // C5 still has to run, and C2 and C4 were saved by hand without what they leave for it.
            let classifiers = directory + "/sections/activations-classifiers.json"
            #expect(throws: ResumeError.corruptFile(path: classifiers, reason: "it is missing",
                                                    remedy: "delete \(directory)/sections/activations.json to run C2 again")) {
                try resume(context)
            }

            let visualize = directory + "/sections/visualize.json"
            try writeBytes(Array("{\"key\": \"visualize\", \"title\": ".utf8), to: visualize)
            do {
                try resume(context)
                Issue.record("a truncated section file was accepted")
            } catch let error as ResumeError {
                guard case .corruptFile(let path, _, let remedy) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(path == visualize && remedy == "delete it to run that section again")
                #expect(!error.description.contains("\n"))
            }
            try writeBytes(Array(try RunDirectory.json(SectionResult(key: "features", title: "C5. Features"))), to: visualize)
            #expect(throws: ResumeError.corruptFile(path: visualize, reason: "it holds section \"features\", not \"visualize\"",
                                                    remedy: "delete it to run that section again")) {
                try resume(context)
            }
            #expect(ran.isEmpty, "a refused resume ran \(ran)")
        }
    }

    @Test func distributedRanksAgreeOnTheReusedSections() throws {
        try withTemporaryDirectory("resume") { root in
            let directory = root + "/run"
            let context = try Self.context(root: root)
            try Self.savedRun(in: directory, context: context, processes: 2)
            // Rank 1 has no output directory; it must not load Fashion-MNIST (its directory is empty) for
            // sections rank 0 reuses, and takes part only in section B.
            let outcomes = ThreadCommunicator.run(ranks: 2) { rank, communicator in
                var rankContext = context
                rankContext.communicator = communicator
                return try Self.reproduction(rankContext, directory: directory)
                    .run(outputDirectory: rank == 0 ? directory : nil, resume: true).sections.map(\.key)
            }
            #expect(try outcomes[0].get() == Reproduction.sectionKeys)
            #expect(try outcomes[1].get() == [ScratchSection.key])

            // A corrupt file on rank 0 stops both ranks with rank 0's line.
            let grid = directory + "/sections/grid-search.json"
            try writeBytes(Array("[]".utf8), to: grid)
            let failures = ThreadCommunicator.run(ranks: 2) { rank, communicator in
                var rankContext = context
                rankContext.communicator = communicator
                return try Self.reproduction(rankContext, directory: directory)
                    .run(outputDirectory: rank == 0 ? directory : nil, resume: true).sections.count
            }
            for (rank, failure) in failures.enumerated() {
                guard case .failure(let error) = failure else {
                    Issue.record("rank \(rank) resumed from a corrupt file")
                    continue
                }
                #expect("\(error)".contains(grid), "rank \(rank): \(error)")
                #expect("\(error)".hasPrefix("rank 0: ") == (rank == 1), "rank \(rank): \(error)")
            }
        }
    }
}

/// The real sections on Fashion-MNIST (quick, one thread): a run interrupted after C4 and resumed
/// gives the uninterrupted run's sections, with C5 trained on C4's saved autoencoders.
@Suite struct ResumedReproductionTests {
    /// The tables of `section` without their columns of seconds and times.
    func untimedTables(_ section: SectionResult) -> [String] {
        section.tables.map { removingTimedColumns($0.markdown()) }
    }

    /// The numbers of `section` that are not timings, as bits.
    func untimedNumbers(_ section: SectionResult) -> [String: UInt64] {
        section.numbers.filter { !$0.key.lowercased().contains("seconds") }.mapValues(\.bitPattern)
    }

    @Test(.enabled(if: EndToEndTests.fashionAvailable, "Fashion-MNIST is not installed"))
    func interruptedAfterC4ResumesToTheUninterruptedReport() throws {
        try withTemporaryDirectory("resume-real") { root in
            var context = try ResumeTests.context(root: root)
            context.fashionDirectory = nil   // the installed Fashion-MNIST; MNIST stays missing, so B is skipped
            let uninterrupted = root + "/uninterrupted", interrupted = root + "/interrupted"
            let whole = try ResumeTests.reproduction(context, directory: uninterrupted).run(outputDirectory: uninterrupted)

            var beforeInterruption: [String: SectionResult] = [:]
            #expect(throws: Interruption.self) {
                try ResumeTests.reproduction(context, directory: interrupted).run(outputDirectory: interrupted) { section in
                    beforeInterruption[section.key] = section
                    if section.key == AutoencoderSection.key { throw Interruption() }
                }
            }
            #expect(!FileManager.default.fileExists(atPath: interrupted + "/report.html"))
            #expect(fileNames(in: interrupted + "/sections") == [
                "activations-classifiers.json", "activations.json", "autoencoder-identity.safetensors",
                "autoencoder-relu.safetensors", "autoencoder.json", "grid-search.json", "run.json", "scratch.json",
                "theory.json", "visualize.json",
            ])

            var ran: [String] = [], reused: [String] = []
            let resumed = try ResumeTests.reproduction(context, directory: interrupted)
                .run(outputDirectory: interrupted, resume: true) { section in
                    ran.append(section.key)
                } sectionReused: { section, _ in
                    reused.append(section.key)
                }
            // B was skipped (no MNIST), so it runs again; C5 never finished. Nothing else runs.
            #expect(ran == [ScratchSection.key, FeaturesSection.key])
            #expect(reused == [TheorySection.key, VisualizeSection.key, ActivationsSection.key, GridSearchSection.key,
                               AutoencoderSection.key])

            // Reused sections are the interrupted run's, to the byte and the duration.
            for key in reused {
                let section = try #require(resumed.sections.first { $0.key == key })
                let original = try #require(beforeInterruption[key])
                #expect(section.terminalText() == original.terminalText(), "\(key)")
                #expect(Report(title: "", sections: [section.reportSection()]).html()
                        == Report(title: "", sections: [original.reportSection()]).html(), "\(key)")
                #expect(section.duration.bitPattern == original.duration.bitPattern, "\(key)")
            }

            // Every section equals the uninterrupted run's, but for timings.
            #expect(resumed.sections.map(\.key) == whole.sections.map(\.key))
            for (section, expected) in zip(resumed.sections, whole.sections) {
                #expect(section.title == expected.title)
                #expect(section.goals == expected.goals, "\(section.key)")
                #expect(section.figures == expected.figures, "\(section.key)")
                #expect(untimedTables(section) == untimedTables(expected), "\(section.key)")
                // Equal to float32 rounding, not to the bit: OpenBLAS's thread count is global to the
                // process, and tests running beside this one change it, which changes the rounding of
                // sgemm and of LAPACK's covariance and eigenvectors. In CI, C4's PCA explained variance
                // differed by 1.5e-7 relative and its MSEs by up to 7e-8: a few float32 ulps. A resume
                // that reused a wrong or retrained section differs by far more than 1e-5.
                let numbers = untimedNumbers(section), expectedNumbers = untimedNumbers(expected)
                #expect(numbers.keys.sorted() == expectedNumbers.keys.sorted(), "\(section.key)")
                for (key, bits) in numbers {
                    let value = Double(bitPattern: bits), other = Double(bitPattern: expectedNumbers[key] ?? 0)
                    #expect(isClose(value, other, absolute: 1e-9, relative: 1e-5), "\(section.key) \(key): \(value) against \(other)")
                }
            }
            // C5, trained on C4's saved autoencoders and compared with C2's saved accuracies, holds no
            // timings: its text, tables and figure are the uninterrupted run's exactly.
            let features = try #require(resumed.sections.last), expectedFeatures = try #require(whole.sections.last)
            #expect(features.key == FeaturesSection.key && features.tables.count == 3)
            #expect(features.blocks == expectedFeatures.blocks)
            #expect(features.numbers.mapValues(\.bitPattern) == expectedFeatures.numbers.mapValues(\.bitPattern))

            // And so are the results files, but for the command line that names the directory.
            func results(_ directory: String) throws -> String {
                let text = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
                return removingTimedColumns(String(text.drop { $0 != "\n" }))
            }
            #expect(try results(interrupted) == results(uninterrupted))
            #expect(resumed.fileCount == whole.fileCount)
        }
    }
}
