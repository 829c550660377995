#if canImport(Glibc)
import Glibc
#endif
import MLPCore
import NeuralNetwork
import Synchronization

/// SIGINT and SIGTERM. Outside training, they remove the temporary file being written, if any,
/// and end the process at once with 128 + the signal's number. During training (``armed``), the
/// first asks the run to stop after its current batch (and write a checkpoint); a second ends the
/// process at once, the same way.
enum Interruption {
    /// Whether a signal asks training to stop instead of ending the process.
    static let armed = Atomic<Bool>(false)

    /// Raised by the first signal.
    static let stopSignal = StopSignal()

    /// The first signal's number (SIGINT when none came).
    static var signalNumber: Int32 {
        let number = receivedSignal.load(ordering: .sequentiallyConsistent)
        return number == 0 ? SIGINT : number
    }

    /// Installs the handlers of SIGINT and SIGTERM (at start-up).
    static func install() {
        // Initialise the globals the handler reads before a signal can arrive.
        _ = armed.load(ordering: .sequentiallyConsistent)
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
    if !Interruption.armed.load(ordering: .sequentiallyConsistent) || Interruption.stopSignal.raise() > 0 {
        AtomicFile.removeTemporaryFileInProgress()
        _exit(128 + number)
    }
}
