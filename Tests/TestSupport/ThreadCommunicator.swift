import Foundation
import NeuralNetwork

/// A `Communicator` whose ranks are threads of one process, for unit tests of distributed
/// training without MPI: ``group(size:)`` makes `size` communicators that exchange through shared
/// memory. `allreduce` sums in rank order.
public final class ThreadCommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let exchange: Exchange

    private init(rank: Int, size: Int, exchange: Exchange) {
        self.rank = rank
        self.size = size
        self.exchange = exchange
    }

    /// `size` communicators of one group, rank 0 first.
    public static func group(size: Int) -> [ThreadCommunicator] {
        let exchange = Exchange(size: size)
        return (0..<size).map { ThreadCommunicator(rank: $0, size: size, exchange: exchange) }
    }

    /// Runs `body(rank, communicator)` on one thread per rank of a new group and returns the
    /// results in rank order.
    public static func run<Result: Sendable>(
        ranks: Int, _ body: @escaping @Sendable (Int, ThreadCommunicator) throws -> Result
    ) -> [Swift.Result<Result, any Error>] {
        let communicators = group(size: ranks)
        let results = Results<Swift.Result<Result, any Error>>(count: ranks)
        let done = DispatchGroup()
        for rank in 0..<ranks {
            done.enter()
            let thread = Thread {
                results.set(rank, Swift.Result { try body(rank, communicators[rank]) })
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return results.values
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, from root: Int) throws(CommunicatorError) {
        let all = exchange.swap(rank, Array(buffer))
        buffer.copyBytes(from: all[root])
    }

    public func allgather(_ values: UnsafeRawBufferPointer, into gathered: UnsafeMutableRawBufferPointer) throws(CommunicatorError) {
        let all = exchange.swap(rank, Array(values))
        gathered.copyBytes(from: all.joined())
    }

    public func allreduce(_ values: UnsafeMutableBufferPointer<Float>) throws(CommunicatorError) {
        let all = exchange.swap(rank, Array(UnsafeRawBufferPointer(values)))
        for index in values.indices { values[index] = 0 }
        for bytes in all {
            bytes.withUnsafeBytes { raw in
                let floats = raw.bindMemory(to: Float.self)
                for index in values.indices { values[index] += floats[index] }
            }
        }
    }

    public func barrier() throws(CommunicatorError) {
        _ = exchange.swap(rank, [])
    }

    /// Where the ranks meet: each deposits its bytes and leaves with every rank's, once all have come.
    private final class Exchange: @unchecked Sendable {
        private let condition = NSCondition()
        private let size: Int
        private var deposits: [[UInt8]]
        private var arrived = 0
        private var generation = 0
        private var completed: [[UInt8]] = []

        init(size: Int) {
            self.size = size
            deposits = Array(repeating: [], count: size)
        }

        func swap(_ rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
            condition.lock()
            defer { condition.unlock() }
            let mine = generation
            deposits[rank] = bytes
            arrived += 1
            if arrived == size {
                completed = deposits
                arrived = 0
                generation += 1
                condition.broadcast()
            } else {
                while generation == mine { condition.wait() }
            }
            return completed
        }
    }

    private final class Results<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Value?]
        init(count: Int) { stored = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Value) { lock.lock(); stored[index] = value; lock.unlock() }
        var values: [Value] { lock.lock(); defer { lock.unlock() }; return stored.map { $0! } }
    }
}
