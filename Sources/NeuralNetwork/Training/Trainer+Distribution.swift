import LinearAlgebra
import MLPCore

/// How a batch is shared between the processes of a distributed run: every rank has all the data
/// and the same parameters, the batch's rows are split over every rank's workers (global worker
/// `rank · workers.count + w`) exactly as one process splits them over its own threads, and the
/// loss sums and gradients are combined in global worker order.
extension Trainer {
    /// The workers of every rank together.
    var globalWorkerCount: Int { workers.count &* communicator.size }

    /// The global index of this rank's first worker.
    var firstGlobalWorker: Int { communicator.rank &* workers.count }

    /// How many of this rank's workers are among the first `used` global workers.
    @inline(__always)
    func localWorkersUsed(of used: Int) -> Int {
        Swift.max(0, Swift.min(workers.count, used &- firstGlobalWorker))
    }

    /// How many ranks have a worker among the first `used` global workers.
    func ranksUsed(of used: Int) -> Int {
        (used &+ workers.count &- 1) / workers.count
    }

    /// The loss sums of the first `used` global workers, added in global worker order: this
    /// process's workers' alone with one process, every rank's gathered with several.
    func combinedSums(workersUsed used: Int) throws(NeuralNetworkError) -> OutputLossSums {
        guard communicator.size > 1, let localStatistics, let gatheredStatistics else {
            var sums = workerSums[0]
            for index in 1..<Swift.max(used, 1) {
                sums.loss += workerSums[index].loss
                sums.correct &+= workerSums[index].correct
            }
            return sums
        }
        let local = localWorkersUsed(of: used)
        for index in 0..<workers.count {
            localStatistics[2 &* index] = index < local ? workerSums[index].loss : 0
            localStatistics[2 &* index &+ 1] = index < local ? Double(workerSums[index].correct) : 0
        }
        let width = 2 &* workers.count
        let started = MonotonicClock.seconds()
        defer { communicationSeconds += MonotonicClock.seconds() - started }
        do {
            try communicator.allgather(
                UnsafeRawBufferPointer(UnsafeBufferPointer(start: localStatistics, count: width)),
                into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(start: gatheredStatistics, count: width &* communicator.size)))
        } catch {
            throw .distributed(error.message)
        }
        var sums = OutputLossSums(loss: gatheredStatistics[0], correct: Int(gatheredStatistics[1]))
        for worker in 1..<Swift.max(used, 1) {
            sums.loss += gatheredStatistics[2 &* worker]
            sums.correct &+= Int(gatheredStatistics[2 &* worker &+ 1])
        }
        return sums
    }

    /// The ranks' exchange of their workers' summed gradients, between the local sum and the
    /// update: the ordered reduction gathers every rank's gradient (summed in rank order by the
    /// update threads, ``UpdatePhase/combineRanks(usedRanks:clipping:)``), the allreduce sums in
    /// place in MPI's order. A rank without rows in the batch contributes zeros.
    func exchangeGradients(localWorkers: Int) throws(NeuralNetworkError) {
        if localWorkers == 0 { gradient.update(repeating: 0, count: parameterCount) }
        let started = MonotonicClock.seconds()
        defer { communicationSeconds += MonotonicClock.seconds() - started }
        do {
            if let rankGradients {
                try communicator.allgather(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(start: gradient, count: parameterCount)),
                    into: UnsafeMutableRawBufferPointer(
                        UnsafeMutableBufferPointer(start: rankGradients, count: parameterCount &* communicator.size)))
            } else {
                try communicator.allreduce(UnsafeMutableBufferPointer(start: gradient, count: parameterCount))
            }
        } catch {
            throw .distributed(error.message)
        }
    }

    /// `g ← G₀ + G₁ + … + G_{usedRanks−1}` over `segment`, from the gathered rank gradients, in
    /// rank order (the same additions, in the same order, as one process's workers).
    @inline(__always)
    func sumRanks(_ segment: UpdateSegment, usedRanks: Int) {
        guard let rankGradients, usedRanks > 0 else { return }
        let count = segment.end &- segment.start
        let g = gradient + segment.start
        g.update(from: rankGradients + segment.start, count: count)
        for rank in 1..<usedRanks {
            BLAS.axpy(count: count, alpha: 1, x: rankGradients + (rank &* parameterCount &+ segment.start), y: g)
        }
    }
}
