import Dispatch
import Foundation
import LinearAlgebra

/// Runs the work items of ``IndependentFits`` and gathers their results in item order: one after
/// another on the calling thread, or on `workers` threads that each take the next item when they
/// finish one.
public struct WorkRunner: Sendable {
    /// How many items run at once; 1 runs them in order on the calling thread.
    public var workers: Int

    public init(workers: Int = 1) {
        self.workers = max(1, workers)
    }

    /// Runs every item of `fits`, calling `progress` after each (from any thread), and gathers
    /// their results.
    /// - Throws: the error of the first failing item in item order. With one worker, the items
    ///   after it do not run.
    public func run<Fits: IndependentFits>(
        _ fits: Fits, progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(Fits.Failure) -> Fits.Results {
        let items = fits.workItems()
        let results = workers > 1
            ? try concurrently(fits, items: items, progress: progress)
            : try inOrder(fits, items: items, progress: progress)
        return fits.gather(results)
    }

    private func inOrder<Fits: IndependentFits>(
        _ fits: Fits, items: [Fits.WorkItem], progress: (_ done: Int, _ total: Int) -> Void
    ) throws(Fits.Failure) -> [Fits.ItemResult] {
        var results: [Fits.ItemResult] = []
        results.reserveCapacity(items.count)
        for item in items {
            results.append(try fits.run(item))
            progress(results.count, items.count)
        }
        return results
    }

    /// Items on several threads. Fits that run side by side each use one thread (their settings say
    /// so); each sets BLAS to its thread count and restores the previous count, so BLAS starts from 1
    /// here, and concurrent restores never raise it while another fit runs.
    private func concurrently<Fits: IndependentFits>(
        _ fits: Fits, items: [Fits.WorkItem], progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void
    ) throws(Fits.Failure) -> [Fits.ItemResult] {
        let results = ResultBox<Result<Fits.ItemResult, Fits.Failure>>(count: items.count)
        let previous = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(previous) }
        let next = TaskCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = next.take(below: items.count) {
                let result = Result { () throws(Fits.Failure) in try fits.run(items[index]) }
                progress(results.set(index, result), items.count)
            }
        }
        return try results.values.map { result throws(Fits.Failure) in try result.get() }
    }
}

/// Item results written from several threads.
final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value?]
    private var done = 0

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    /// Stores the result of item `index` and returns how many items are done.
    func set(_ index: Int, _ value: Value) -> Int {
        lock.lock()
        defer { lock.unlock() }
        stored[index] = value
        done += 1
        return done
    }

    /// Every item's result, in item order; each must have been set.
    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return stored.enumerated().map { index, value in
            guard let value else { preconditionFailure("work item \(index) of \(stored.count) has no result") }
            return value
        }
    }
}

/// Hands out item indices to worker threads.
final class TaskCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        defer { next += 1 }
        return next
    }
}
