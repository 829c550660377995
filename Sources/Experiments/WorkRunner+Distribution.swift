import Foundation
import NeuralNetwork

extension WorkRunner {
    /// Runs the items of `fits` across the ranks of `communicator`, as `mpirun -np R mlp … --distributed`
    /// does: item `i` runs on rank `i mod R` (one after another, each with its own settings' threads),
    /// then every rank gathers every item's result, in item order, so each rank returns what one
    /// process would have. Results travel as JSON (non-finite numbers as strings), which
    /// reproduces every `Double` exactly.
    ///
    /// Every rank must call it at the same point. Its first step is `Communicator.agree(_:)`, so a
    /// rank that failed earlier and calls `agree` with its message stops every rank with it; a
    /// failing item does the same after the items ran.
    /// - Throws: `CommunicatorError` with the first failing rank's message.
    public func run<Fits: IndependentFits>(
        _ fits: Fits, across communicator: any Communicator,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Fits.Results where Fits.ItemResult: Codable {
        guard communicator.size > 1 else { return try run(fits, progress: progress) }
        try communicator.agree(nil)
        let items = fits.workItems()
        var mine: [ItemOutcome<Fits.ItemResult>] = []
        var failure: String?
        for index in stride(from: communicator.rank, to: items.count, by: communicator.size) {
            do {
                mine.append(ItemOutcome(index: index, result: try fits.run(items[index])))
                progress(mine.count, items.count)
            } catch {
                failure = "\(error)"
                break
            }
        }
        try communicator.agree(failure)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var results = [Fits.ItemResult?](repeating: nil, count: items.count)
        for bytes in try communicator.allgather(variable: Array(try encoder.encode(mine))) {
            for outcome in try decoder.decode([ItemOutcome<Fits.ItemResult>].self, from: Data(bytes)) {
                results[outcome.index] = outcome.result
            }
        }
        return fits.gather(try results.enumerated().map { index, result in
            guard let result else { throw CommunicatorError("no rank returned the result of work item \(index)") }
            return result
        })
    }
}

/// One item's result and its position, as ranks send them to each other.
private struct ItemOutcome<Result: Codable>: Codable {
    var index: Int
    var result: Result
}
