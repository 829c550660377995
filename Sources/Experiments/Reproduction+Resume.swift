import Foundation
import LinearAlgebra
import Reporting

extension Reproduction {
    /// What a run's sections depend on besides the data: the tool's version, the seed, `--quick`,
    /// the threads per training run, the number of processes and the BLAS kernel. A run saves its
    /// identity when it starts (`sections/run.json`), and only a process of the same identity may
    /// resume it, so that every section of the report comes from the same settings.
    ///
    /// The data directories are not part of it: the data may have moved, or arrived (a section
    /// skipped for missing data runs again on resume).
    public struct Identity: Sendable, Codable, Equatable {
        /// The version of the tool that ran the sections.
        public var toolVersion: String
        /// The seed of every random choice.
        public var seed: UInt64
        /// Few epochs on small subsets.
        public var quick: Bool
        /// The threads per training run as given (`--threads`; 0 means every core).
        public var threads: Int
        /// The threads per training run on the machine (``ExperimentContext/resolvedThreads``).
        public var threadsPerRun: Int
        /// The processes that share the fits (`mpirun -np`); 1 without `--distributed`.
        public var processes: Int
        /// OpenBLAS's configuration, whose kernel decides the last bits of every product.
        public var blas: String

        /// The identity of a run of `context` by version `toolVersion` of the tool.
        public init(context: ExperimentContext, toolVersion: String) {
            self.toolVersion = toolVersion
            seed = context.seed
            quick = context.quick
            threads = context.threads
            threadsPerRun = context.resolvedThreads
            processes = context.communicator.size
            blas = BLAS.configuration
        }

        /// The options as a command line would give them (`--seed 42 --quick --threads 0`),
        /// followed by whichever of the other settings differ from `other`'s.
        func options(comparedWith other: Identity) -> String {
            var text = "--seed \(seed)" + (quick ? " --quick" : "") + " --threads \(threads)"
            if threadsPerRun != other.threadsPerRun { text += " (\(threadsPerRun) per run)" }
            if processes != other.processes { text += processes == 1 ? " in one process" : " in \(processes) processes" }
            if toolVersion != other.toolVersion { text += " by mlp \(toolVersion)" }
            if blas != other.blas { text += " with \(blas)" }
            return text
        }
    }

    /// What `sections/run.json` holds: the run's identity, its command line and the report's
    /// configuration rows as they were when the run started (the date is added when it ends).
    struct RunRecord: Codable, Equatable {
        var identity: Identity
        var commandLine: String
        var configuration: [Setting]
    }

    /// The output directory as rank 0 holds it: where the report and figures go, the saved
    /// sections and, when resuming, what the earlier process finished.
    struct OpenRun {
        var directory: RunDirectory
        var saved: SavedSections
        /// The sections the earlier process finished (those it skipped excluded), by key.
        var reused: [String: SectionResult]
        /// C2's and C4's saved results, when they are reused and C5 runs.
        var restored: FashionSections.Restored
    }

    /// Opens `path` for a new run, removing the sections an earlier run saved there, or with
    /// `resume`, for continuing the run saved there: checks its identity, reads every section it
    /// finished and, when C5 is still to run, what it needs of C2 and C4.
    /// - Throws: ``ResumeError`` when there is no run to resume, its identity differs or a saved
    ///   file is corrupt; `ReportingError` when the directory cannot be written.
    func open(_ path: String, resume: Bool) throws -> OpenRun {
        guard resume else {
            let directory = try RunDirectory(path: path)
            let record = RunRecord(identity: identity, commandLine: commandLine,
                                   configuration: startingConfiguration.map { Setting(key: $0.key, value: $0.value) })
            let saved = try SavedSections.start(in: path, record: record, sectionKeys: Self.sectionKeys)
            return OpenRun(directory: directory, saved: saved, reused: [:], restored: FashionSections.Restored())
        }
        let saved = try SavedSections.open(path)
        let started = saved.record.identity
        guard started == identity else {
            throw ResumeError.optionsDiffer(path: path, started: started.options(comparedWith: identity),
                                            given: identity.options(comparedWith: started))
        }
        let reused = try saved.finishedSections(keys: Self.sectionKeys)
        var restored = FashionSections.Restored()
        if reused[FeaturesSection.key] == nil {
            if reused[ActivationsSection.key] != nil { restored.activations = try saved.savedActivations() }
            if reused[AutoencoderSection.key] != nil { restored.encoders = try saved.savedEncoders(quick: context.quick) }
        }
        return OpenRun(directory: try RunDirectory(path: path), saved: saved, reused: reused, restored: restored)
    }
}
