/// The processes of one training run and the collective operations between them, as
/// `torch.distributed`'s process group and Horovod's: every process (a *rank*) calls the same
/// operations in the same order.
///
/// Training uses it for data-parallel SGD across processes: rank 0 broadcasts the initial weights,
/// each rank computes the gradient of its share of every batch, and the gradients are summed into
/// one fused buffer, in rank order by default (``allgather(_:into:)`` then a sum on every rank),
/// so the result does not depend on the network. ``SingleProcessCommunicator`` is the default,
/// and with it nothing changes; the `MessagePassing` module implements this protocol on MPI.
///
/// Raw buffers keep the operations free of allocation; every rank must pass buffers of the same
/// size.
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, `0..<size`.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Copies rank `root`'s bytes into every other rank's `buffer`.
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws(CommunicatorError)
    /// Every rank's `values`, in rank order, into `gathered` (`size × values.count` bytes).
    func allgather(_ values: UnsafeRawBufferPointer, into gathered: UnsafeMutableRawBufferPointer) throws(CommunicatorError)
    /// The element-wise sum over the ranks of `values`, in place, in the order the implementation
    /// chooses (MPI's `MPI_Allreduce`: not necessarily rank order, so not bit-reproducible across
    /// process counts).
    func allreduce(_ values: UnsafeMutableBufferPointer<Float>) throws(CommunicatorError)
    /// Returns once every rank has called it.
    func barrier() throws(CommunicatorError)
}

/// A collective operation that failed: MPI's error, or ranks that disagree.
public struct CommunicatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed, as one line.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One process, the default: rank 0 of 1, and every collective operation is a copy or nothing.
public final class SingleProcessCommunicator: Communicator {
    /// The one instance.
    public static let shared = SingleProcessCommunicator()

    public var rank: Int { 0 }
    public var size: Int { 1 }

    public init() {}

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws(CommunicatorError) {
        precondition(root == 0, "a single process has only rank 0, not \(root)")
    }

    public func allgather(_ values: UnsafeRawBufferPointer, into gathered: UnsafeMutableRawBufferPointer) throws(CommunicatorError) {
        precondition(gathered.count == values.count, "allgather of \(values.count) bytes into \(gathered.count)")
        gathered.copyMemory(from: values)
    }

    public func allreduce(_ values: UnsafeMutableBufferPointer<Float>) throws(CommunicatorError) {}

    public func barrier() throws(CommunicatorError) {}
}

extension Communicator {
    /// Every rank's `values`, in rank order (`size × values.count` elements).
    public func allgather<Element: BitwiseCopyable>(_ values: [Element]) throws(CommunicatorError) -> [Element] {
        let total = values.count &* size
        var failure: CommunicatorError?
        let gathered = [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            values.withUnsafeBytes { source in
                do throws(CommunicatorError) {
                    try allgather(source, into: UnsafeMutableRawBufferPointer(buffer))
                    initialized = total
                } catch {
                    failure = error
                    initialized = 0
                }
            }
        }
        if let failure { throw failure }
        return gathered
    }

    /// Rank `root`'s `values` on every rank.
    public func broadcast<Element: BitwiseCopyable>(_ values: inout [Element], from root: Int) throws(CommunicatorError) {
        var failure: CommunicatorError?
        values.withUnsafeMutableBytes { bytes in
            do throws(CommunicatorError) { try broadcast(bytes, from: root) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

extension Communicator {
    /// Every rank's `bytes`, which may differ in length, in rank order.
    public func allgather(variable bytes: [UInt8]) throws(CommunicatorError) -> [[UInt8]] {
        let lengths = try allgather([Int64(bytes.count)]).map(Int.init)
        let longest = lengths.max() ?? 0
        let padded = bytes + [UInt8](repeating: 0, count: longest - bytes.count)
        let gathered = try allgather(padded)
        return lengths.enumerated().map { rank, length in Array(gathered[(rank * longest)..<(rank * longest + length)]) }
    }

    /// Exchanges each rank's outcome of a step that every rank takes (loading the data, checking
    /// the options): returns when no rank failed, and otherwise throws, on every rank, the first
    /// failing rank's message, so that all of them stop with the same one line.
    public func agree(_ failure: String?) throws(CommunicatorError) {
        let outcome: [UInt8] = failure.map { [1] + Array($0.utf8.prefix(4_000)) } ?? [0]
        let outcomes = try allgather(variable: outcome)
        guard size > 1, let failed = outcomes.firstIndex(where: { $0.first == 1 }) else {
            if let failure { throw CommunicatorError(failure) }
            return
        }
        let message = String(decoding: outcomes[failed].dropFirst(), as: UTF8.self)
        throw CommunicatorError(failed == rank ? message : "rank \(failed): \(message)")
    }
}
