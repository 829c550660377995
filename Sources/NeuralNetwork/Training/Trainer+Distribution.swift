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

    /// The doubles each rank contributes to the exchange of loss sums: each worker's loss and
    /// correct count, then the rank's stop request (1 when its ``StopSignal`` is raised).
    static func statisticsWidth(workers: Int) -> Int { 2 &* workers &+ 1 }

    /// The loss sums of the first `used` global workers, added in global worker order: this
    /// process's workers' alone with one process, every rank's gathered with several (which also
    /// tells every rank whether any rank was asked to stop, ``stopRequestedOnAnyRank``).
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
        let width = Trainer.statisticsWidth(workers: workers.count)
        localStatistics[width &- 1] = stopSignal?.isRaised == true ? 1 : 0
        let started = MonotonicClock.seconds()
        defer { communicationSeconds += MonotonicClock.seconds() - started }
        do {
            try communicator.allgather(
                UnsafeRawBufferPointer(UnsafeBufferPointer(start: localStatistics, count: width)),
                into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(start: gatheredStatistics, count: width &* communicator.size)))
        } catch {
            throw .distributed(error.message)
        }
        /// Global worker `worker`'s loss (`field` 0) or correct count (1).
        func statistic(_ worker: Int, _ field: Int) -> Double {
            let (rank, local) = worker.quotientAndRemainder(dividingBy: workers.count)
            return gatheredStatistics[rank &* width &+ 2 &* local &+ field]
        }
        var sums = OutputLossSums(loss: statistic(0, 0), correct: Int(statistic(0, 1)))
        for worker in 1..<Swift.max(used, 1) {
            sums.loss += statistic(worker, 0)
            sums.correct &+= Int(statistic(worker, 1))
        }
        stopRequestedOnAnyRank = (0..<communicator.size).contains { gatheredStatistics[$0 &* width &+ width &- 1] != 0 }
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
