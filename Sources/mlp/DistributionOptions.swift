import ArgumentParser
import Foundation
import MessagePassing
import NeuralNetwork

/// `--distributed`: run one job across the processes that an MPI launcher started.
struct DistributionOptions: ParsableArguments {
    @Flag(help: """
        Run across the processes of an MPI job (mpirun -np R mlp … --distributed): they share the \
        work, and rank 0 alone prints and writes. Give each rank --threads (cores per rank).
        """)
    var distributed = false

    func validate() throws {
        if distributed && !MPICommunicator.isUnderLauncher(environment: ProcessInfo.processInfo.environment) {
            throw ValidationError("--distributed needs an MPI launcher: start the job as mpirun -np R mlp … --distributed")
        }
    }

    /// MPI's world when `--distributed`, else the single process.
    func communicator() throws -> any Communicator {
        distributed ? try MPICommunicator.world() : SingleProcessCommunicator.shared
    }
}

extension Communicator {
    /// Whether this rank prints and writes (rank 0).
    var isLeader: Bool { rank == 0 }

    /// Runs `body` on every rank and agrees on the outcome (see `Communicator.agree(_:)`): when
    /// any rank failed, every rank throws the first failing rank's one-line message.
    func collectively<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            try agree(nil)
            return result
        } catch let error as CommunicatorError {
            throw error
        } catch {
            try agree(MLP.message(for: error))
            throw error
        }
    }
}
