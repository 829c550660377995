#if canImport(Glibc)
import Glibc
#endif
import MLPCore
import NeuralNetwork
import Synchronization

/// SIGINT and SIGTERM during training: the first asks the run to stop after its current batch
/// (and write a checkpoint); a second removes the temporary file being written, if any, and ends
/// the process at once with 128 + the signal's number.
enum Interruption {
    /// Raised by the first signal.
    static let stopSignal = StopSignal()

    /// The first signal's number (SIGINT when none came).
    static var signalNumber: Int32 {
        let number = receivedSignal.load(ordering: .sequentiallyConsistent)
        return number == 0 ? SIGINT : number
    }

    /// Installs the handlers of SIGINT and SIGTERM.
    static func install() {
        // Initialise the globals the handler reads before a signal can arrive.
        _ = stopSignal.isRaised
        _ = receivedSignal.load(ordering: .sequentiallyConsistent)
        AtomicFile.prepareForSignalHandlers()
        signal(SIGINT, handleStopSignal)
        signal(SIGTERM, handleStopSignal)
    }
}

/// The first signal received.
private let receivedSignal = Atomic<Int32>(0)

/// The handler: lock-free stores, `unlink` and `_exit` only (async-signal-safe).
private func handleStopSignal(_ number: Int32) {
    _ = receivedSignal.compareExchange(expected: 0, desired: number, ordering: .sequentiallyConsistent)
    if Interruption.stopSignal.raise() > 0 {
        AtomicFile.removeTemporaryFileInProgress()
        _exit(128 + number)
    }
}
